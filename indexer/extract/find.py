"""Find every document symbol in a text: text -> list[Mention] with source spans.

Works on the normalised raw text, before any word segmentation (underthesea
splits ``10-CT/TW`` into pieces). Never raises on messy text: table pipes,
line breaks inside a reference, glued words and broken spacing are tolerated
by the grammar in :mod:`indexer.extract.patterns`.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.extract import patterns
from indexer.extract.dates import date_at
from indexer.extract.symbols import canonical_symbol, kind_from_symbol
from indexer.models import Mention

KIND_WINDOW_CHARS = 80  # how far before a symbol its kind word may start
ISSUER_WINDOW_CHARS = 240
MAX_ISSUER_CHARS = 120
DEFAULT_STATE_KIND = "Công văn"  # "3089/BGDĐT-GDTrH": no kind code, an official letter
FOOTNOTE_MARKS = frozenset("0123456789¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Found:
    """A mention plus what the relation and chain stages need to know about it."""

    mention: Mention
    kind_start: int  # where its kind word starts ("Nghị quyết số …"), else the symbol start
    tail_end: int  # end of the date printed right after the symbol, else the symbol end
    kind_from_word: bool  # the kind was printed before the symbol (not implied by its code)
    header: bool  # printed as "Số: …" (the document's own number)


def kind_named(printed: str) -> str | None:
    """The canonical kind for a printed kind word, any case and spacing.

    >>> kind_named("CHƯƠNG TRÌNH  HÀNH ĐỘNG"), kind_named("kế hoạch"), kind_named("Nghị")
    ('Chương trình hành động', 'Kế hoạch', 'Nghị quyết')
    """
    key = " ".join(printed.split()).lower()
    return patterns.KIND_NAMES.get(key) or patterns.KIND_ALIASES.get(key)


def _kind_before(text: str, start: int) -> tuple[str | None, int]:
    window_start = max(0, start - KIND_WINDOW_CHARS)
    before = text[window_start:start]
    matches = [
        m
        for r in (patterns.KIND_BEFORE_RE, patterns.KIND_ALIAS_BEFORE_RE)
        if (m := r.search(before))
    ]
    if not matches:
        return None, start
    # the longest kind phrase: "Thông báo kết luận số" over "kết luận số"
    match = min(matches, key=lambda m: m.start())
    return kind_named(match.group("kind")), window_start + match.start()


def issuer_after(text: str, pos: int) -> str | None:
    """The issuer named right after a symbol and its date: "… của Bộ Chính trị".

    >>> issuer_after("68/NQ-CP ngày 09/5/2024 của Chính phủ và Chương trình", 23)
    'Chính phủ'
    """
    match = patterns.ISSUER_RE.match(text[pos : pos + ISSUER_WINDOW_CHARS])
    if not match:
        return None
    issuer = " ".join(match.group("issuer").split()).strip(" -")
    return issuer[:MAX_ISSUER_CHARS] or None


def symbol_spans(text: str) -> list[tuple[int, int]]:
    """Where symbols are printed: the grammar's shapes, plus lower-case ones after "<kind> số".

    >>> text = "Căn cứ công văn số 123/pgdđt-gdth và Kế hoạch số 45/KH-UBND"
    >>> [text[a:b] for a, b in symbol_spans(text)]
    ['123/pgdđt-gdth', '45/KH-UBND']
    """
    spans = [m.span("symbol") for m in patterns.SYMBOL_RE.finditer(text)]
    for match in patterns.LOWER_SYMBOL_RE.finditer(text):
        start, end = match.span("symbol")
        known = match.group("code").upper() in patterns.KNOWN_CODES
        if known and not any(a < end and start < b for a, b in spans):
            spans.append((start, end))
    return sorted(spans)


def scan(text: str) -> list[Found]:
    """Every symbol in ``text`` with its kind, date, issuer and surroundings, in order."""
    found: list[Found] = []
    for start, end in symbol_spans(text):
        if patterns.FORM_BEFORE_RE.search(text, max(0, start - KIND_WINDOW_CHARS), start):
            continue
        raw = text[start:end]
        symbol = canonical_symbol(raw)
        kind, kind_start = _kind_before(text, start)
        from_word = kind is not None
        if kind is None:
            kind = kind_from_symbol(symbol, letter=DEFAULT_STATE_KIND)
        after = end + 1 if text[end : end + 1] in FOOTNOTE_MARKS else end  # "29-CT/TW1, ngày"
        date = date_at(text, after)
        tail_end = date.end if date else after
        line_start = text.rfind("\n", 0, start) + 1
        header = bool(
            patterns.HEADER_NUMBER_BEFORE_RE.search(text[max(0, start - 20) : start])
            or patterns.HEADER_LINE_RE.fullmatch(text, line_start, start)
        )
        mention = Mention(
            start=start,
            end=end,
            text=raw,
            symbol=symbol,
            kind=kind,
            date=date.iso if date else None,
            issuer=issuer_after(text, tail_end),
        )
        found.append(Found(mention, kind_start, tail_end, from_word, header))
    return found


def find_mentions(text: str) -> list[Mention]:
    """Every mention of a document by its symbol, in text order.

    >>> [m.symbol for m in find_mentions("Thực hiện Chỉ thị số 29 CT/TW và Nghị quyếtsố 68/NQ-CP")]
    ['29-CT/TW', '68/NQ-CP']
    >>> find_mentions("giai đoạn 2021-2025, năm học 2024-2025, Điều 3")
    []
    """
    return [f.mention for f in scan(text)]
