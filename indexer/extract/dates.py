"""Vietnamese dates as printed in documents -> ISO strings, partial when printed so.

"ngày 05/01/2024" -> "2024-01-05"; "ngày 05 tháng 01 năm 2024" -> "2024-01-05";
"ngày  tháng  năm 2024" (blanks left to fill by hand) -> "2024";
"tháng 11 năm 2013" -> "2013-11".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DAY = r"(?P<d>\d{1,2})"
_MONTH = r"(?P<m>\d{1,2})"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_SEP = r"\s*[/.\-]\s*"
# OCR and typing noise: "ngàỵ", "ngay", a missing space ("ngày05"), table pipes.
_NGAY = r"(?:ng[aàáảãạ]y\s*|ngay\s*)"
_THANG = r"(?:th[aá]ng)"
_NAM = r"(?:n[aă]m)"
# A blank left for the day or month, or OCR noise in its place ("thang § nam 2019", h002).
_BLANK = r"(?:[\s._…]|[^\w\s]){0,12}"

# "ngày 05/01/2024", "05-01-2024", "ngày 5.1.2024"
_NUMERIC = re.compile(rf"(?:{_NGAY})?(?<!\d){_DAY}{_SEP}{_MONTH}{_SEP}{_YEAR}(?!\d)", re.I)
# "ngày 05 tháng 01 năm 2024", "ngày   tháng   năm 2024", "tháng 11 năm 2013"
_WORDS = re.compile(
    rf"(?:{_NGAY}(?:{_DAY}|{_BLANK})\s*)?{_THANG}\s*(?:{_MONTH}|{_BLANK})\s*{_NAM}\s*{_YEAR}(?!\d)",
    re.I,
)


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
    for pattern in (_WORDS, _NUMERIC):
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
