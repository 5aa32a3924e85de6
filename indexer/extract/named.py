"""Documents named without a symbol: "Luật Giáo dục", "Đề án “…”", "Chương trình Giáo dục phổ thông 2018".

Precision over recall: the rules in ``grammar/named.toml`` only fire on a
quoted name, a law's title, or a name closed by a period ("giai đoạn
2021-2025"). Repeated names are listed once.
"""

from __future__ import annotations

from indexer.extract import patterns
from indexer.models import NamedRef

YEAR_DIGITS = 4


def _year(name: str) -> str | None:
    digits = [w for w in name.replace("-", " ").split() if w.isdigit() and len(w) == YEAR_DIGITS]
    return digits[0] if digits else None


def find_named_refs(text: str) -> list[NamedRef]:
    """Named references in text order, each distinct (kind, name) once.

    >>> [(n.kind, n.name) for n in find_named_refs("Căn cứ Luật Giáo dục ngày 14/6/2019;")]
    [('Luật', 'Giáo dục')]
    """
    found: dict[tuple[str, str], NamedRef] = {}
    taken: list[tuple[int, int]] = []
    for kind, regex in patterns.NAMED_RES:
        for match in regex.finditer(text):
            start, end = match.span("name")
            if any(s <= start < e for s, e in taken):
                continue  # "Luật Giáo dục" inside "Luật sửa đổi, … của Luật Giáo dục"
            taken.append((start, end))
            name = " ".join(match.group("name").split()).strip(" ,")
            key = (kind, name.lower())
            if name and key not in found:
                found[key] = NamedRef(kind, name, start, end, _year(name))
    return sorted(found.values(), key=lambda n: n.start)
