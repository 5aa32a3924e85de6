"""A document symbol (số, ký hiệu): "29-CT/TW", "24/2021/NĐ-CP", "232-KH/TU".

The one home for what a symbol is once found: its canonical form (what
mentions, refs, identities and graph nodes carry), the key symbols are
looked up by, and the kind its code implies. Where symbols are printed is
the grammar's business (``grammar/symbols.toml``, compiled in
:mod:`indexer.extract.patterns`).
"""

from __future__ import annotations

from functools import lru_cache

from indexer.extract import patterns
from indexer.grammar import kind_for_code
from indexer.normalize import normalize_text, strip_diacritics

# Printed in place of a number left blank: "……/KH-THNBK", "…/QĐ-UBND".
_BLANK_NUMBER_MARKS = ".…_"


def canonical_symbol(raw: str) -> str:
    """The canonical form of a printed symbol (GOLD-SPEC): no spaces, ASCII hyphen, fixed noise.

    A number left blank is dropped ("……/KH-THNBK" -> "/KH-THNBK"), and a
    lower-case printing is upper-cased with the codes' own case restored.

    >>> canonical_symbol("29 CT/TW"), canonical_symbol("1813/QĐ- TTg"), canonical_symbol("928/PGD ĐT")
    ('29-CT/TW', '1813/QĐ-TTg', '928/PGDĐT')
    >>> canonical_symbol("69/2017NĐ-CP"), canonical_symbol("85/QĐ-TTG"), canonical_symbol("45/kh-ubnd")
    ('69/2017/NĐ-CP', '85/QĐ-TTg', '45/KH-UBND')
    >>> canonical_symbol("06/KH- UBND"), canonical_symbol("……/KH-THNBK")
    ('06/KH-UBND', '/KH-THNBK')
    """
    text = normalize_text(raw).strip().lstrip(_BLANK_NUMBER_MARKS).strip("-")
    if not any(c.isupper() for c in text):  # "123/pgdđt-gdth", printed in lower case
        text = text.upper()
    text = patterns.PARTY_SPACE_RE.sub(r"\1-", text)
    text = patterns.SPACES_RE.sub("", text)
    text = patterns.MISSING_YEAR_SLASH_RE.sub(r"\1/", text)
    parts = patterns.SEGMENT_SPLIT_RE.split(text)
    return "".join(patterns.CODE_CASE.get(p, p) if p.isupper() else p for p in parts)


@lru_cache(maxsize=65536)
def symbol_key(symbol: str, loose: bool = False) -> str:
    """The form symbols are matched in: normalised, upper case, no spaces.

    Case is ignored because printings disagree on it ("40-CTr/TU", "40-CTR/TU").
    ``loose`` also drops hyphens and diacritics, for a second look-up when the
    exact key finds nothing ("29 CT/TW" printed for "29-CT/TW", "1181/KH-PGD-DT").

    >>> symbol_key("40-CTr/ TU"), symbol_key("1181/KH-PGD-\u00d0T")
    ('40-CTR/TU', '1181/KH-PGD-ĐT')
    >>> symbol_key("1181/KH-PGD-ĐT", loose=True), symbol_key("29-CT/TW", loose=True)
    ('1181/KHPGDDT', '29CT/TW')
    """
    key = "".join(normalize_text(symbol).upper().split())
    return strip_diacritics(key).replace("-", "") if loose else key


def _family_code(symbol: str) -> tuple[str, str]:
    """A canonical symbol's family (symbols.toml) and its kind code, by the code's place in the shape."""
    number, _, rest = symbol.partition("/")
    if "-" in number:  # party: 29-CT/TW
        return "party", number.split("-", 1)[1]
    segments = rest.split("/")
    if len(segments) > 1 and segments[0].isdigit():  # normative: 24/2021/NĐ-CP
        return "state_normative", segments[1].split("-")[0]
    return "state_administrative", segments[0].split("-")[0]


def symbol_code(symbol: str) -> str:
    """The kind code inside a canonical symbol, by its place in the family's shape.

    >>> symbol_code("29-CT/TW"), symbol_code("68/NQ-CP"), symbol_code("24/2021/NĐ-CP")
    ('CT', 'NQ', 'NĐ')
    >>> symbol_code("3089/BGDĐT-GDTrH"), symbol_code("/KH-THNBK"), symbol_code("12")
    ('BGDĐT', 'KH', '')
    """
    return _family_code(symbol)[1]


def symbol_year(symbol: str) -> str:
    """The year printed inside a normative symbol, else "".

    >>> symbol_year("24/2021/NĐ-CP"), symbol_year("29-CT/TW")
    ('2021', '')
    """
    for part in symbol.split("/"):
        if len(part) == 4 and part.isdigit() and part[:2] in ("19", "20"):
            return part
    return ""


def is_blank_number(symbol: str) -> bool:
    """True for a symbol printed with its number left blank (``/KH-THNBK``)."""
    return symbol.startswith("/")


def kind_from_symbol(symbol: str, letter: str | None = None) -> str | None:
    """The kind a canonical symbol's code implies, else None.

    The code sits in the family's place: party "NUM-CODE/ISSUER", state
    normative "NUM/YEAR/CODE-ISSUER" (a legislature's number, "QH15", makes a
    law), state administrative "NUM/CODE-ISSUER". An administrative symbol
    whose first code names no kind ("3089/BGDĐT-GDTrH") is an official letter:
    ``letter`` is what to call it, None by default.

    >>> kind_from_symbol("29-CT/TW"), kind_from_symbol("24/2021/NĐ-CP"), kind_from_symbol("98/2023/QH15")
    ('Chỉ thị', 'Nghị định', 'Luật')
    >>> kind_from_symbol("3089/BGDĐT-GDTrH"), kind_from_symbol("3089/BGDĐT-GDTrH", letter="Công văn")
    (None, 'Công văn')
    """
    family, code = _family_code(symbol)
    kind = kind_for_code(code)
    if kind is None and family == "state_normative" and code.startswith("QH"):
        return "Luật"
    if kind is None and family == "state_administrative":
        return letter
    return kind
