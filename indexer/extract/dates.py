"""Vietnamese dates as printed in documents -> ISO strings, partial when printed so.

"ngày 05/01/2024" -> "2024-01-05"; "ngày 05 tháng 01 năm 2024" -> "2024-01-05";
"ngày  tháng  năm 2024" (blanks left to fill by hand) -> "2024";
"tháng 11 năm 2013" -> "2013-11". The patterns are compiled in
``indexer/extract/patterns.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.extract import patterns


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: its ISO form and where it was printed."""

    iso: str
    start: int
    end: int


def _iso(year: str, month: str | None, day: str | None) -> str | None:
    y = int(year)
    if month is None:
        return f"{y:04d}"
    m = int(month)
    if not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    d = int(day)
    if not 1 <= d <= 31:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def find_dates(text: str) -> list[DateMatch]:
    """Every date printed in ``text``, in order, with spans.

    >>> [d.iso for d in find_dates("ngày 05/01/2024 và ngày 20 tháng 10 năm 2024")]
    ['2024-01-05', '2024-10-20']
    >>> [d.iso for d in find_dates("Thanh Khê, ngày    tháng    năm 2024")]
    ['2024']
    """
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern in (patterns.DATE_WORDS_RE, patterns.DATE_NUMERIC_RE):
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            iso = _iso(match.group("y"), match.group("m"), match.group("d"))
            if iso is None:
                continue
            taken.append(span)
            found.append(DateMatch(iso, *span))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str) -> str | None:
    """The first date printed in ``text`` as ISO, or None.

    >>> parse_date("Chỉ thị số 29-CT/TW, ngày 05/01/2024 của Bộ Chính trị")
    '2024-01-05'
    >>> parse_date("tháng 11 năm 2013") , parse_date("giai đoạn 2021-2025")
    ('2013-11', None)
    """
    dates = find_dates(text)
    return dates[0].iso if dates else None


def date_at(text: str, pos: int, max_gap: int = 12) -> DateMatch | None:
    """The date that starts within ``max_gap`` characters after ``pos``.

    Used for the date printed right after a symbol: "29-CT/TW, ngày 05/01/2024".

    >>> date_at("số 68/NQ-CP ngày 09/5/2024 của Chính phủ", 11).iso
    '2024-05-09'
    """
    window = text[pos : pos + max_gap + 40]
    for match in find_dates(window):
        gap = window[: match.start]
        if match.start <= max_gap and gap.strip(" ,;:|()\n") == "":
            return DateMatch(match.iso, pos + match.start, pos + match.end)
        break
    return None
