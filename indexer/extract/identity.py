"""A document's own identity: kind, symbol, issuer, place, date, title, signer, level.

Read from the header (issuer block, national motto, "Số:", "Place, ngày …",
the kind word and the title under it), else from the opening sentence
("Trường Tiểu học X xây dựng Kế hoạch …") and the signature block. The header
grammar is data: ``indexer/grammar/header.toml``, compiled in
``indexer/extract/patterns.py``. Extraction never raises on
messy text; what is not found stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from indexer.extract import dates, patterns
from indexer.extract.casing import is_caps, recase_title, restore_casing
from indexer.extract.columns import right_column_date, split_symbol_tail
from indexer.extract.identity_names import (
    clean_issuer,
    complete_issuer,
    decider_issuer,
    find_header_issuer,
    find_signer,
    is_motto,
    kind_words,
)
from indexer.extract.levels import level_of
from indexer.extract.symbols import canonical_symbol, kind_from_symbol
from indexer.grammar import kinds, load_table
from indexer.models import Identity
from indexer.normalize import lower_words

# The header is looked for in the first characters only.
MAX_HEADER_CHARS = 3000
# A place name has at most this many words ("Phường Trần Hưng Đạo").
MAX_PLACE_WORDS = 5
# A title is at most this many lines.
MAX_TITLE_LINES = 8


@dataclass(frozen=True)
class _Grammar:
    label: re.Pattern[str]
    symbol: re.Pattern[str]
    body_start: re.Pattern[str]
    opening: re.Pattern[str]
    level_word: re.Pattern[str]
    kind_names: tuple[tuple[str, str], ...]  # (printed in capitals, canonical), longest first
    table: dict[str, Any]


@cache
def _grammar() -> _Grammar:
    table = load_table("header")
    names: dict[str, str] = {}
    for kind in kinds():
        for spelling in (kind["name"], *kind.get("aliases", ())):
            names.setdefault(spelling.upper(), kind["name"])
    return _Grammar(
        label=patterns.HEADER_RES["symbol_label"],
        symbol=patterns.HEADER_SYMBOL_RE,
        body_start=patterns.HEADER_RES["body_start"],
        opening=patterns.HEADER_RES["opening"],
        level_word=patterns.HEADER_RES["level_word_after_body"],
        kind_names=tuple(sorted(names.items(), key=lambda item: -len(item[0]))),
        table=table,
    )


def header_zone(text: str) -> str:
    """The text before the preamble or body ("Căn cứ", "Thực hiện", "Kính gửi" …).

    >>> header_zone("Số: 45/KH-UBND\\nKẾ HOẠCH\\nCăn cứ Luật Giáo dục")
    'Số: 45/KH-UBND\\nKẾ HOẠCH\\n'
    """
    head = text[:MAX_HEADER_CHARS]
    for match in _grammar().body_start.finditer(head):
        above = head[: match.start()].rstrip(" |\n").rsplit("\n", 1)[-1]
        opens_title = lower_words(match.group()).startswith("thực hiện")
        if opens_title and lower_words(above.strip(" |*")) in kind_words():
            continue  # a title right under "KẾ HOẠCH": "Thực hiện Đề án …" (seed 004)
        return head[: match.start()]
    return head


def find_symbol(header: str) -> tuple[str, int, int] | None:
    """The document's own symbol after "Số:" in the header, with its span."""
    grammar = _grammar()
    for label in grammar.label.finditer(header):
        line_before = header[header.rfind("\n", 0, label.start()) + 1 : label.start()]
        if ":" not in label.group() and patterns.KIND_BEFORE_RE.search(line_before):
            continue  # a title in capitals: "KẾ HOẠCH THỰC HIỆN CHỈ THỊ SỐ 05-CT/TU"
        match = grammar.symbol.match(header, label.end())
        if match and "/" in match.group("symbol"):
            symbol = canonical_symbol(match.group("symbol"))
            tail = split_symbol_tail(header, match.end())
            symbol = f"{symbol}-{tail}" if tail else symbol
            if symbol.replace("/", "").replace(".", ""):
                return symbol, match.start(), match.end()
    return None


@dataclass(frozen=True)
class KindWord:
    """The kind word printed in the header: the kind it names, its span, and whether
    it opens a line (else it may be a word of a title in capitals)."""

    kind: str
    start: int
    end: int
    opens_line: bool


def find_kind(header: str) -> KindWord | None:
    """The kind word printed in capitals in the header ("KẾ HOẠCH").

    A line holding nothing but a kind name counts in any case ("Kế hoạch").

    >>> find_kind("Số: 12/KH-UBND\\nKẾ HOẠCH\\nTHỰC HIỆN NGHỊ QUYẾT SỐ 29-NQ/TW")
    KindWord(kind='Kế hoạch', start=15, end=23, opens_line=True)
    """
    names = dict(_grammar().kind_names)
    spaced = {printed.replace(" ", ""): name for printed, name in names.items()}
    offset = 0
    for line in header.split("\n"):
        bare = line.strip(" |*:#")
        if bare.isupper() and bare.replace(" ", "") in spaced:  # "K Ế H O Ạ C H"
            start = offset + line.index(bare)
            return KindWord(spaced[bare.replace(" ", "")], start, start + len(bare), True)
        if bare.upper() in names and bare[:1].isupper():
            start = offset + line.index(bare)
            return KindWord(names[bare.upper()], start, start + len(bare), True)
        offset += len(line) + 1
    best: KindWord | None = None
    for printed, name in _grammar().kind_names:
        start = header.find(printed)
        while start != -1:
            end = start + len(printed)
            before, after = header[max(0, start - 1) : start], header[end : end + 4]
            line_start = header.rfind("\n", 0, start) + 1
            at_line_start = header[line_start:start].strip(" |*#") == ""
            ends_word = not after[:1].isalpha()
            is_reference = after.strip().upper().startswith("SỐ")
            if ends_word and not before.isalpha() and not is_reference:
                if at_line_start and (best is None or not best.opens_line or start < best.start):
                    best = KindWord(name, start, end, True)
                elif best is None or (not best.opens_line and start < best.start):
                    best = KindWord(name, start, end, False)
                break
            start = header.find(printed, end)
    return best


def find_place_date(
    header: str, symbol_end: int = 0, kind_start: int | None = None
) -> tuple[str | None, str | None]:
    """Place and ISO date from "Thanh Khê, ngày 20 tháng 10 năm 2024" in the header.

    A date with no place before it counts only above the kind word, or in the
    bracketed line naming the decision that issues a plan (``[place_date]
    annex_words`` in header.toml): a date in the title belongs to the document
    the title names (seed 001).
    """
    table = _grammar().table["place_date"]
    cleaned = header
    for blank in table["blanked"]:  # "tháng 3. năm 2021": same length, so spans hold
        cleaned = cleaned.replace(blank["printed"], blank["read"])
    found = dates.find_dates(cleaned)
    for date in found:
        place = _place_before(cleaned, date.start, symbol_end)
        if place is not None:
            return place, date.iso
    for date in found:
        line_start = cleaned.rfind("(", 0, date.start)
        bracketed = cleaned[line_start : date.start] if line_start >= 0 else ""
        annexed = any(words in bracketed for words in table["annex_words"])
        if kind_start is None or date.start < kind_start or annexed:
            return None, date.iso
    return None, None


def _place_before(header: str, start: int, symbol_end: int) -> str | None:
    before = header[:start].rstrip(" ")
    if not before.endswith(","):
        return None
    lines = before[:-1].split("\n")
    words = lines[-1].split("|")[-1]
    if symbol_end and len(before) - len(lines[-1]) <= symbol_end <= len(before):
        words = before[symbol_end : len(before) - 1]
    words = words.split("|")[-1]
    for motto_end in _grammar().table["place_date"]["motto_ends"]:
        words = words.split(motto_end)[-1]
    words = words.strip(" -*")
    # One word under a line of one capitalised word: a name wrapped over two lines.
    if len(words.split()) == 1 and len(lines) > 1:
        previous = lines[-2].strip()
        if previous and len(previous.split()) == 1 and previous[0].isupper():
            words = f"{previous} {words}"
    parts = words.split()
    if not parts or len(parts) > MAX_PLACE_WORDS:
        return None
    # "Thành phố Hồ Chí Minh": the first and last words capitalised.
    if not all(part[0].isupper() or part[0].isdigit() for part in (parts[0], parts[-1])):
        return None
    return " ".join(parts)


def find_title(header: str, kind_span: tuple[int, int] | None) -> str | None:
    """The line(s) right after the kind word, up to a blank line or the body.

    A title in capitals ends at the first line that is not; one in lower case
    goes on only with lines that start in lower case (a wrapped line).
    """
    grammar = _grammar()
    stops = tuple(grammar.table["authority"]["starts"])
    if kind_span is None:
        for line in header.split("\n"):
            if line.strip().startswith(tuple(grammar.table["kind"]["letter_marks"][:1])):
                return line.strip()
        return _caps_title(header, stops)
    lines = header[kind_span[1] :].split("\n")
    collected: list[str] = []
    first = lines[0].strip(" |*:")
    if first:
        collected.append(first)
    for line in lines[1:]:
        stripped = line.strip(" |*")
        if not stripped:
            continue
        if lower_words(stripped).startswith(stops) or stripped.startswith("-----"):
            break
        if collected:
            caps = is_caps(" ".join(collected))
            if caps != is_caps(stripped) or (not caps and not stripped[0].islower()):
                break
        collected.append(stripped)
        if len(collected) >= MAX_TITLE_LINES:
            break
    title = " ".join(collected)
    for mark in grammar.table["title"]["ends_before"]:
        title = title.split(f" {mark}")[0]
    title = " ".join(title.split())
    return _sentence_case(title) if title else None


def _caps_title(header: str, stops: tuple[str, ...]) -> str | None:
    """With no kind line: the first line in capitals under the symbol and date lines
    that is not issuer, motto or authority."""
    grammar = _grammar()
    marks = [m.end() for m in grammar.label.finditer(header)]
    marks += [d.end for d in dates.find_dates(header)[:1]]
    start = header.find("\n", max(marks)) + 1 if marks else 0
    for raw in header[start:].split("\n"):
        line = raw.strip(" |*")
        letters = [ch for ch in line if ch.isalpha()]
        if len(line.split()) < 3 or not letters or not all(ch.isupper() for ch in letters):
            continue
        if is_motto(line) or lower_words(line).startswith(stops) or "SỐ:" in line.upper():
            continue
        if lower_words(line).startswith(tuple(grammar.table["authority"]["bodies"])):
            continue  # the issuer block, not a caption
        return _sentence_case(line)
    return None


def _sentence_case(title: str) -> str:
    """A title in capitals in sentence case; symbols and Roman numerals kept.

    >>> _sentence_case("THỰC HIỆN NGHỊ QUYẾT SỐ 29-NQ/TW (KHÓA XI)")
    'Thực hiện Nghị quyết số 29-NQ/TW (khóa XI)'
    """
    if not is_caps(title):
        return title
    words = []
    for word in title.split(" "):
        core = word.strip('()“”",.;:')
        keep = any(ch.isdigit() or ch == "/" for ch in core) or (core and set(core) <= set("IVXLC"))
        words.append(word if keep else word.lower())
    text = " ".join(words)
    text = text[:1].upper() + text[1:]
    for _, name in _grammar().kind_names:
        text = text.replace(f"{name.lower()} số ", f"{name} số ")
    return text


def find_opening(text: str) -> tuple[str | None, str | None, str | None]:
    """Issuer, kind and quoted title named by the opening sentence.

    >>> find_opening("Căn cứ …. Trường mầm non Vân Từ xây dựng “Kế hoạch phát triển giáo dục” như sau:")
    ('Trường mầm non Vân Từ', 'Kế hoạch', 'Kế hoạch phát triển giáo dục')
    """
    window = text[: MAX_HEADER_CHARS * 2]
    for match in _grammar().opening.finditer(window):
        issuer = clean_issuer(match.group("issuer"))
        if issuer is None:
            continue
        verb = lower_words(match.group("verb"))
        kind = _kind_in(match.group("kind")) if verb != "hướng dẫn" else "Hướng dẫn"
        if kind is None:
            continue
        title = None
        if window[match.start("kind") - 1] == "“" and "”" in window[match.start("kind") :]:
            title = window[match.start("kind") : window.index("”", match.start("kind"))]
        return issuer, kind, title
    return None, None, None


def _kind_in(words: str) -> str | None:
    upper = words.upper()
    for printed, name in _grammar().kind_names:
        if upper.startswith(printed) and not upper[len(printed) : len(printed) + 1].isalpha():
            return name
    return None


def _proper_part(issuer: str | None) -> str | None:
    """The proper name ending an issuer: "Ủy ban nhân dân tỉnh Kon Tum" -> "Kon Tum"."""
    if not issuer:
        return None
    words = issuer.split()
    tail: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper():
            break
        tail.insert(0, word)
    return " ".join(tail) if 0 < len(tail) < len(words) else None


def extract_identity(text: str) -> Identity:
    """The document's own identity as printed in it.

    >>> ident = extract_identity("ỦY BAN NHÂN DÂN\\nHUYỆN CỦ CHI\\nSố: 12/KH-UBND\\n"
    ...     "Củ Chi, ngày 19 tháng 9 năm 2023\\nKẾ HOẠCH\\nTriển khai nhiệm vụ năm học\\n\\nCăn cứ …")
    >>> ident.kind, ident.symbol, ident.issuer, ident.place, ident.date, ident.title, ident.level
    ('Kế hoạch', '12/KH-UBND', 'Ủy ban nhân dân huyện Củ Chi', 'Củ Chi', '2023-09-19', 'Triển khai nhiệm vụ năm học', 'huyện')
    """
    header = header_zone(text)
    found_symbol = find_symbol(header)
    symbol = found_symbol[0] if found_symbol else None
    found_kind = find_kind(header)
    place, date = find_place_date(
        header, found_symbol[2] if found_symbol else 0, found_kind.start if found_kind else None
    )
    date = date or right_column_date(text, len(header))
    opening_issuer, opening_kind, opening_title = find_opening(text)
    kind = found_kind.kind if found_kind and found_kind.opens_line else None
    letter_kind = str(_grammar().table["kind"]["letter_kind"])
    if kind is None and symbol:
        kind = kind_from_symbol(symbol, letter=letter_kind)
    if kind is None and found_kind:
        kind = found_kind.kind
    if kind is None and any(mark in header for mark in _grammar().table["kind"]["letter_marks"]):
        kind = letter_kind
    if kind is None:
        kind = opening_kind
    # A kind word inside a title in capitals ("THÔNG QUA ĐỀ ÁN", d018) is no kind line.
    kind_line = found_kind is not None and (found_kind.opens_line or kind == found_kind.kind)
    title = find_title(
        header, (found_kind.start, found_kind.end) if found_kind and kind_line else None
    )
    issuer = find_header_issuer(header) or opening_issuer
    issuer = complete_issuer(issuer, text, place, _grammar().level_word)
    issuer = decider_issuer(header, issuer)
    level = level_of(issuer, symbol)
    if title and title not in " ".join(header.split()):  # printed in capitals, re-cased
        title = recase_title(title, [place, _proper_part(issuer)])
        title = restore_casing(title, text[len(header) : len(header) + MAX_HEADER_CHARS])
    title = title or opening_title
    return Identity(
        kind=kind,
        symbol=symbol,
        issuer=issuer,
        place=place,
        date=date,
        title=title,
        signer=find_signer(text),
        level=level.value if level else None,
    )
