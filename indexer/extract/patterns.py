"""The reference grammar compiled: the only place grammar tables become regexes.

Every pattern here is composed from named fragments and from the data tables
in ``indexer/grammar/*.toml`` (kinds, issuers, cues, symbols). Alternations
built from data are sorted longest-first in code, so that "Chương trình hành
động" is tried before "Chương trình" and "Căn cứ vào" before "Căn".
Patterns are compiled once at import and never mutated. The header grammar
(``header.toml``) and the date patterns are compiled here too, so that no other
module compiles a regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from string import Template
from typing import Any

from indexer.grammar import kinds, load_table


def longest_first(phrases: Iterable[str]) -> list[str]:
    """Distinct phrases, longest first (ties in alphabetical order).

    >>> longest_first(["Căn", "Căn cứ vào", "Căn cứ"])
    ['Căn cứ vào', 'Căn cứ', 'Căn']
    """
    return sorted(set(phrases), key=lambda p: (-len(p), p))


def phrase(text: str) -> str:
    """A regex for a printed phrase: words escaped, any run of spaces or line breaks between them.

    >>> bool(re.fullmatch(phrase("Chương trình hành động"), "Chương trình\\nhành động"))
    True
    """
    return r"\s+".join(re.escape(word) for word in text.split())


def alternation(phrases: Iterable[str]) -> str:
    """A non-capturing group of phrases, longest first."""
    return "(?:" + "|".join(phrase(p) for p in longest_first(phrases)) + ")"


_ISSUERS = load_table("issuers")["issuer"]
_CUES = load_table("cues")
_SYMBOLS = load_table("symbols")
_KIND_TABLE = load_table("kinds")

# --------------------------------------------------------------------------
# Symbols: NUM, YEAR, CODE fragments composed into the three families.
# --------------------------------------------------------------------------

_UP = "A-ZĐƯƠÂĂÊÔ"  # upper-case letters printed in codes (Ð is folded to Đ by normalize)
_NOT_UPPER_LETTER = r"[^\W\d_A-ZĐ]"  # any letter except an upper-case code letter
NUM = r"\d{1,5}"
# A state document's number may carry one lower-case letter ("12a/QĐ-UBND"),
# issued between 12 and 13 of the same register.
NUM_LETTERED = r"\d{1,5}[a-z]?"
YEAR = r"(?:19|20)\d{2}"
# A space on either side ("1813/QĐ- TTg" d002, "182/ PGDĐT" d008), or a line
# break after the separator ("29-\nNQ/TW"), never before it ("…/KH-UBND\n- UBND").
DASH = r"[ ]?-[ \n]?"
SLASH = r"[ ]?/[ \n]?"
# One code: upper-case runs, "&" inside ("SGD&ĐT"), a single lower-case letter
# that is not the start of a glued word ("CTr", "TTg", "GDTrH" but "VP" in
# "VPngày"), and a legislature number after QH ("QH15"; a footnote digit glued
# to any other code is not part of it: "29-CT/TW1"); at least two letters
# ("12/A1" is a class, not a symbol).
_CODE_PLAIN = (
    rf"(?=[{_UP}][{_UP}a-zđ])(?:[{_UP}]+(?:&[{_UP}]+)?(?:[a-zđ](?!{_NOT_UPPER_LETTER}))?)+"
    r"(?:(?<=QH)\d{2})?"
)
_SPACED = [s for issuer in _ISSUERS for s in issuer.get("spaced", ()) if " " in s]
CODE = (
    "(?:"
    + "|".join(re.escape(s).replace(r"\ ", "[ ]") for s in longest_first(_SPACED))
    + "|"
    + _CODE_PLAIN
    + ")"
    if _SPACED
    else _CODE_PLAIN
)
_GLUED = alternation(_SYMBOLS["glued"]["words"])
# A symbol starts after "số" glued to it or after a non-symbol character.
_START = r"(?<!\d:)(?:(?<=số)|(?<=Số)|(?<=SỐ)|(?<![\w/.\-&]))"  # not "QCVN 06:2022/BXD"
# ... and ends before a non-word character, a lower-case word glued to it
# ("VPngày", d016), a footnote digit or superscript ("TW1", "TW¹").
_END = rf"(?:(?![\w&/])|(?={_GLUED})|(?=[a-zđ][a-zđà-ỹ]{{2}})|(?<![\d/-])(?=[\d¹²³⁴-⁹](?!\d)))"

_KIND_CODES = longest_first(c for k in kinds() for c in k.get("codes", ()))
_PARTY_ISSUERS = longest_first(i["code"] for i in _ISSUERS if i.get("family") == "party")

# A later code of a state symbol: after a hyphen, or after a dot ("QĐ-UBND.VX").
_MORE = rf"(?:(?:{DASH}|\.(?=[{_UP}]{{2}})){CODE})"

# The fragments the families' shapes (symbols.toml `shape`) are written in, as
# printed in running text; a family's own table overrides a fragment for it.
TEXT_FRAGMENTS: dict[str, Any] = {
    "number": NUM,
    "dash": DASH,
    "slash": SLASH,
    "year": YEAR,
    "year_slash": rf"(?:{SLASH}|(?=[{_UP}]))",  # 69/2017NĐ-CP
    "kind": CODE,
    "code": CODE,
    "legislature": "",  # CODE takes "QH15" whole
    "more": rf"{_MORE}*",
    "state_administrative": {"number": NUM_LETTERED},  # 12a/QĐ-UBND
}


def expand_shape(shape: str, fragments: dict[str, Any], family: str = "") -> str:
    """A family's shape (symbols.toml, reporters-db style ``$name`` fragments) as a regex.

    A fragment in ``fragments[family]`` overrides the one of the same name.

    >>> fragments = {"number": "[0-9]+", "dash": "-", "slash": "/", "code": "[A-Z]+", "p": {"dash": " ?- ?"}}
    >>> expand_shape("$number$dash$code$slash$code", fragments)
    '[0-9]+-[A-Z]+/[A-Z]+'
    >>> expand_shape("$number$dash$code", fragments, "p")
    '[0-9]+ ?- ?[A-Z]+'
    """
    own = fragments.get(family, {})
    template = Template(shape)
    return template.substitute({n: own.get(n, fragments[n]) for n in template.get_identifiers()})


def symbol_shapes(fragments: dict[str, Any]) -> str:
    """Every family's shape expanded with ``fragments``: one alternative per family, in table order."""
    return "|".join(
        f"(?:{expand_shape(f['shape'], fragments, f['name'])})" for f in _SYMBOLS["family"]
    )


# Printing noise the running-text grammar also accepts, tried before the shapes.
_SYMBOL_VARIANTS = [
    rf"{NUM}[ ](?:{'|'.join(_KIND_CODES)}){SLASH}(?:{'|'.join(_PARTY_ISSUERS)})",  # 29 CT/TW
    rf"{NUM}{SLASH}(?:{'|'.join(_KIND_CODES)})\n-[ ]?{CODE}{_MORE}*",  # 45/KH⏎-UBND
]
SYMBOL_RE = re.compile(
    rf"{_START}(?P<symbol>{'|'.join(_SYMBOL_VARIANTS)}|{symbol_shapes(TEXT_FRAGMENTS)}){_END}"
)

KNOWN_CODES = frozenset(code.upper() for code in [*(i["code"] for i in _ISSUERS), *_KIND_CODES])

# canonical_symbol() fixes, in order.
PARTY_SPACE_RE = re.compile(rf"^(\d+)\s+(?=[{_UP}])")  # "29 CT/TW" -> "29-CT/TW"
MISSING_YEAR_SLASH_RE = re.compile(rf"^(\d+/{YEAR})(?=[{_UP}])")  # "69/2017NĐ-CP"
SPACES_RE = re.compile(r"\s+")
SEGMENT_SPLIT_RE = re.compile(r"([/-])")
NUMBER_PREFIX_RE = re.compile(r"^\d+")

# Upper-cased code -> the case printed in well-formed symbols ("TTG" -> "TTg").
CODE_CASE: dict[str, str] = {
    code.upper(): code
    for code in [*(i["code"] for i in _ISSUERS), *_KIND_CODES]
    if code.upper() != code
}

# --------------------------------------------------------------------------
# Kinds printed before a symbol: "Nghị quyết số", "KẾ HOẠCH SỐ", "Nghị quyếtsố".
# --------------------------------------------------------------------------

KIND_NAMES: dict[str, str] = {}  # lower-cased printed name -> canonical kind
for _kind in kinds():
    for _printed in [_kind["name"], *_kind.get("aliases", ())]:
        KIND_NAMES[_printed.lower()] = _kind["name"]
KIND_ALIASES: dict[str, str] = {
    printed.lower(): alias["kind"]
    for alias in _KIND_TABLE.get("kind_alias", ())
    for printed in alias["printed"]
}
_SO = r"s[ốỐ]|S[ỐốO]"
KIND_WORD = alternation(KIND_NAMES)
KIND_BEFORE_RE = re.compile(
    rf"(?<!\w)(?P<kind>{KIND_WORD})[ \t\n|]*(?:(?:{_SO})[ \t\n]*:?[ \t\n]*)?\Z", re.IGNORECASE
)
KIND_ALIAS_BEFORE_RE = re.compile(
    rf"(?<!\w)(?P<kind>{alternation(KIND_ALIASES)})[ \t\n]*(?:{_SO})[ \t\n]*:?[ \t\n]*\Z",
    re.IGNORECASE,
)
# A symbol printed in lower case, only right after "<kind> số": "công văn số
# 123/pgdđt-gdth"; its first code must be a known kind or issuer code.
LOWER_SYMBOL_RE = re.compile(
    rf"""(?<!\w)(?:{KIND_WORD})\s+(?:{_SO})\s*:?\s*
    (?-i:(?P<symbol>{NUM}/(?:{YEAR}/)?(?P<code>[a-zđ][a-zđ&]+)(?:[-.][a-zđ][a-zđ&]*)*))
    (?![\w/&])""",
    re.VERBOSE | re.IGNORECASE,
)
# "Mẫu số 01/BC": a form, not a document.
FORM_BEFORE_RE = re.compile(
    rf"(?<!\w){alternation(_SYMBOLS['not_before']['words'])}[ \t\n]*(?:(?:{_SO})[ \t\n]*)?:?[ \t\n]*\Z",
    re.IGNORECASE,
)
# "Số: 131/QĐ-TTg" in the header: the document's own symbol.
HEADER_NUMBER_BEFORE_RE = re.compile(r"(?<!\w)(?:Số|SỐ)[ \t]*:[ \t\n|]*\Z")
# ... or "Số 45-KH/HU" opening a line (Party headers print no colon).
HEADER_LINE_RE = re.compile(r"[ \t|*]*(?:Số|SỐ)[ \t]*:?[ \t]*")

# --------------------------------------------------------------------------
# Issuer after a symbol: "… của Bộ Chính trị", "CỦA THỦ TƯỚNG CHÍNH PHỦ".
# --------------------------------------------------------------------------

_STOP = alternation(load_table("issuers")["issuer_phrase"]["stops"])
_TOKEN = r"(?:\((?:khóa|khoá)[^()\n]{0,20}\)|[^\s,;:.“”\"()]+)"
ISSUER_RE = re.compile(
    rf"""\A[ \t\n,]*(?:của|CỦA)\s+
    (?P<issuer>(?!{_STOP}(?!\w)){_TOKEN}(?:\s+(?!{_STOP}(?!\w))(?!và\s+{KIND_WORD}){_TOKEN}){{0,11}})
    """,
    re.VERBOSE | re.IGNORECASE,
)

# --------------------------------------------------------------------------
# Relation cues and clause starts.
# --------------------------------------------------------------------------

CUE_RELATIONS = {"implements", "basis", "cites"}
_CUE_GROUPS = []
for _relation in ("implements", "basis", "cites"):
    _phrases = [p for c in _CUES["cue"] if c["relation"] == _relation for p in c["phrases"]]
    _CUE_GROUPS.append(rf"(?P<{_relation}>{alternation(_phrases)})")
CUE_RE = re.compile(rf"(?<!\w)(?:{'|'.join(_CUE_GROUPS)})(?!\w)", re.IGNORECASE)
CUE_WHERE = {c["relation"]: c["where"] for c in _CUES["cue"]}

_LEAD_INS = alternation(_CUES["lead_ins"]["phrases"])
# Text before a cue that opens a clause: start, punctuation, a blank line.
CLAUSE_BEFORE_RE = re.compile(
    rf"(?:\A|[.;:!?|]|\n[ \t]*\n)[\s\-+•*|]*(?:{_LEAD_INS}\s+)?\Z", re.IGNORECASE
)
# ... or a line break or a closing bracket, when the cue (or its lead-in) is
# capitalised ("…quan trọng.\nThực hiện", "Vầy Nưa) Căn công văn", d019).
LINE_BEFORE_RE = re.compile(
    rf"(?:\n[ \t\-+•*|]*(?P<lead>{_LEAD_INS}\s+)?|\)[ \t]*)\Z", re.IGNORECASE
)

_DIRECT = _CUES["direct"]
DIRECT_BEFORE_RE = re.compile(
    rf"(?<!\w){alternation(_DIRECT['verbs'])}(?:\s+{alternation(_DIRECT['adverbs'])})*\s*\Z",
    re.IGNORECASE,
)

# A document inside the description of the one before it, not an item of the
# list a cue governs: "Căn cứ Quyết định số A … về việc … theo Thông tư số B".
DESCRIPTION_RE = re.compile(
    rf"(?<!\w){alternation(_CUES['list']['description'])}(?!\w)|[(“\"]", re.IGNORECASE
)
# ";", "và", or a comma right before the next document: a new item of the list.
COORDINATOR_RE = re.compile(
    rf"(?<!\w){alternation(_CUES['list']['coordinators'])}(?!\w)|;|,\s*\Z", re.IGNORECASE
)
# "… xây dựng Kế hoạch thực hiện Nghị quyết số …": this document's own plan.
PLAN_BEFORE_RE = re.compile(
    rf"(?<!\w){alternation(_CUES['list']['plan'])}\s+{KIND_WORD}\s*\Z", re.IGNORECASE
)

NOT_DIRECT_BEFORE_RE = re.compile(
    rf"(?<!\w){alternation(_DIRECT['not_after'])}\s*\Z", re.IGNORECASE
)

# An implements verb looking back at results (cues.toml [retrospective]).
_RETRO = _CUES["retrospective"]
RETRO_BEFORE_RE = re.compile(rf"(?<!\w){alternation(_RETRO['before'])}(?!\w)", re.IGNORECASE)
_NOT_AFTER_NOUNS = "".join(rf"(?<!{re.escape(noun)}[ \n])" for noun in _RETRO["not_after_nouns"])
RETRO_AFTER_RE = re.compile(
    rf"{_NOT_AFTER_NOUNS}(?<!\w){alternation(_RETRO['after'])}(?!\w)", re.IGNORECASE
)
# "… nhiệm vụ trọng tâm … theo " right before the document: the verb has another object.
OTHER_OBJECT_LINK_RE = re.compile(
    rf"(?<!\w){alternation(_CUES['other_object']['links'])}\s*\Z", re.IGNORECASE
)
DIRECT_ADVERBS_RE = re.compile(rf"(?<!\w){alternation(_DIRECT['adverbs'])}(?!\w)", re.IGNORECASE)

# Sentence ends: . ! ? : before white space, or a blank line.
SENTENCE_END_RE = re.compile(r"[.!?:](?=\s)|\n[ \t]*\n")

# Section headings that end the opening (preamble).
SECTION_RE = re.compile(
    r"""^[ \t|]*(?:\d{1,2}\.[ \t]+(?=[A-D]\.|[IVX]{1,4}\.))?  # "1. A. NHIỆM VỤ" (a web list number)
    (?:
        [IVX]{1,4}\.?[ \t]+\S            # I. MỤC ĐÍCH, YÊU CẦU / I Phương hướng chung
      | [IVX]{1,4}\.[ \t]*$
      | (?:PHẦN|Phần)[ \t]+\S
      | (?:CHƯƠNG|Chương)[ \t]+[IVX1-9]
      | Điều[ \t]+1\b
      | [A-D]\.[ \t]+[A-ZĐ]             # A. NHIỆM VỤ CHỦ YẾU
      | 1\.[ \t]+[A-ZĐ][A-ZĐÀ-Ỹ]+[ \t]+[A-ZĐ]  # 1. MỤC ĐÍCH (an all-caps numbered heading)
      | (?:QUYẾT[ \t]+ĐỊNH|QUYẾT[ \t]+NGHỊ|CHỈ[ \t]+THỊ)[ \t]*:
    )""",
    re.VERBOSE | re.MULTILINE,
)

GROUNDS_HEADING_RE = re.compile(rf"{alternation(_CUES['sections']['grounds'])}", re.IGNORECASE)

# --------------------------------------------------------------------------
# Chains: the words between two documents that make the first carry out the second.
# --------------------------------------------------------------------------

_CHAIN = _CUES["chain"]
_ISSUER_TOKENS = rf"(?:(?!về(?!\w))(?!và\s+{KIND_WORD}){_TOKEN}(?:\s+|(?=[;,]))){{1,12}}"
CHAIN_GAP_RE = re.compile(
    rf"""\A[\s,]*
    (?:(?:của)\s+{_ISSUER_TOKENS})?                                 # của Ban Thường vụ Tỉnh ủy
    (?:{alternation(_CHAIN["fillers"])}\s+{KIND_WORD}\s+(?:của\s+{_ISSUER_TOKENS})?)?  # về Chương trình hành động của Chính phủ
    (?:{alternation(_CHAIN["prefixes"])}\s+)?(?:{alternation(_CHAIN["adverbs"])}\s+)?  # về việc tiếp tục
    {alternation(_CHAIN["links"])}\s*\Z                              # thực hiện
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Between two coordinated documents: "… của Chính phủ và", "…; ".
COORD_GAP_RE = re.compile(
    rf"""\A[\s,]*
    (?:(?:của)\s+{_ISSUER_TOKENS})?
    (?:ban\s+hành\s+{KIND_WORD}\s+(?:của\s+{_ISSUER_TOKENS})?)?     # ban hành Chương trình hành động của Chính phủ
    (?P<sep>và|,|;)\s*\Z
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Any kind word, e.g. to find "Kết luận" named without its symbol.
KIND_ANY_RE = re.compile(rf"(?<!\w){KIND_WORD}(?!\w)", re.IGNORECASE)
# Kind named without a symbol right after a chain link: "triển khai Kết luận của Ban Bí thư".
KIND_OF_ISSUER_RE = re.compile(
    rf"""\s*(?P<kind>{KIND_WORD})\s+của\s+
    (?P<issuer>(?!{_STOP}(?!\w)){_TOKEN}(?:\s+(?!{_STOP}(?!\w)){_TOKEN}){{0,5}})""",
    re.IGNORECASE | re.VERBOSE,
)

# --------------------------------------------------------------------------
# Self-references and abbreviations.
# --------------------------------------------------------------------------

ANNEX_BEFORE_RE = re.compile(
    rf"\(\s*{alternation(_CUES['self']['annex'])}\s+(?P<kind>{KIND_WORD})\s*(?:{_SO})?\s*:?\s*\Z",
    re.IGNORECASE,
)
_APPROVAL = _CUES["approval"]
# "Phê duyệt Kế hoạch … theo " right before the document the approved plan carries out.
APPROVED_BEFORE_RE = re.compile(
    rf"""(?<!\w){alternation(_APPROVAL["verbs"])}\s+(?P<kind>{KIND_WORD})
    [^.;()]{{0,300}}?(?<!\w){alternation(_APPROVAL["links"])}\s*\Z""",
    re.IGNORECASE | re.VERBOSE,
)
ABBREVIATION_RE = re.compile(
    rf"\(\s*{alternation(_CUES['abbreviation']['phrases'])}\s+(?P<body>[^()]{{1,300}})\)",
    re.IGNORECASE,
)
# "Nghị quyết số 29" inside an abbreviation: a kind and a bare number.
ALIAS_ITEM_RE = re.compile(
    rf"(?P<kind>{KIND_WORD})\s+(?:(?:{_SO})\s*)?(?P<number>\d{{1,5}})(?![\d/\-])", re.IGNORECASE
)

# --------------------------------------------------------------------------
# Named references without a symbol (grammar/named.toml).
# --------------------------------------------------------------------------

NAMED_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (entry["kind"], re.compile(entry["name"])) for entry in load_table("named")["named"]
)

# --------------------------------------------------------------------------
# The header grammar (grammar/header.toml), one pattern per table.
# --------------------------------------------------------------------------


def fill_template(entry: dict[str, object]) -> str:
    """A header table's regex: its ``pattern``, or its ``template`` with each ``{name}``
    replaced by a group of the alternatives listed under ``name`` (in order).

    >>> fill_template({"template": "{a}x", "a": ["b", "c"]})
    '(?:b|c)x'
    """
    if "pattern" in entry:
        return str(entry["pattern"])
    text = str(entry["template"])
    for name, value in entry.items():
        if isinstance(value, list) and "{" + name + "}" in text:
            text = text.replace("{" + name + "}", "(?:" + "|".join(value) + ")")
    return text


def _header_re(entry: dict[str, object]) -> re.Pattern[str]:
    source = fill_template(entry)
    return re.compile(source, re.MULTILINE | (re.VERBOSE if "\n" in source else 0))


# Every header table with a `pattern` or a `template`, compiled.
HEADER_RES: dict[str, re.Pattern[str]] = {
    name: _header_re(entry)
    for name, entry in load_table("header").items()
    if "pattern" in entry or "template" in entry
}
# The document's own symbol after "Số:": the families' shapes with the header's
# looser fragments (header.toml [symbol]).
HEADER_SYMBOL_RE = re.compile(
    f"(?P<symbol>{symbol_shapes(load_table('header')['symbol']['fragments'])})"
)

# --------------------------------------------------------------------------
# Dates: "ngày 05/01/2024", "ngày 20 tháng 10 năm 2024", "tháng 11 năm 2013".
# --------------------------------------------------------------------------

_DAY = r"(?P<d>\d{1,2})"
_MONTH = r"(?P<m>\d{1,2})"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_DATE_SEP = r"\s*[/.\-]\s*"
# OCR and typing noise: "ngàỵ", "ngay", a missing space ("ngày05"), table pipes.
_NGAY = r"(?:ng[aàáảãạ]y\s*|ngay\s*)"
_THANG = r"(?:th[aá]ng)"
_NAM = r"(?:n[aă]m)"
# A blank left for the day or month, or OCR noise in its place ("thang § nam 2019", h002).
_BLANK = r"(?:[\s._…]|[^\w\s]){0,12}"

# "ngày 05/01/2024", "05-01-2024", "ngày 5.1.2024"
DATE_NUMERIC_RE = re.compile(
    rf"(?:{_NGAY})?(?<!\d){_DAY}{_DATE_SEP}{_MONTH}{_DATE_SEP}{_YEAR}(?!\d)", re.I
)
# "ngày 05 tháng 01 năm 2024", "ngày   tháng   năm 2024", "tháng 11 năm 2013"
DATE_WORDS_RE = re.compile(
    rf"(?:{_NGAY}(?:{_DAY}|{_BLANK})\s*)?{_THANG}\s*(?:{_MONTH}|{_BLANK})\s*{_NAM}\s*{_YEAR}(?!\d)",
    re.I,
)
