"""Two-column headers flattened into one column of text.

A header table (issuer and symbol on the left; motto, place and date on the
right) often reaches us cell by cell, so a cell of one column can land after
the other column or split a symbol: "Số: 255 / BC-BCĐPCGD-" ⏎ "Nga Sơn, ngày
13 tháng 11 năm 2020" ⏎ "XMC" (h007). The patterns are data in
``indexer/grammar/header.toml``.
"""

from __future__ import annotations

import re
from functools import cache

from indexer.extract import dates, patterns
from indexer.extract.identity_names import is_motto
from indexer.grammar import load_table

# A flattened right column after "Kính gửi:" is looked for in this many lines.
MAX_RIGHT_COLUMN_LINES = 6
RIGHT_COLUMN_CHARS = 1000


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], int]:
    return (
        patterns.HEADER_RES["symbol_dangling"],
        patterns.HEADER_RES["symbol_continuation"],
        int(load_table("header")["symbol_continuation"]["max_lines"]),
    )


def split_symbol_tail(header: str, end: int) -> str | None:
    """The code that ends a symbol the header table split after a hyphen.

    ``end`` is where the symbol read after "Số:" stops.

    >>> header = "Số: 255 / BC-BCĐPCGD-\\n\\nNga Sơn, ngày 13 tháng 11 năm 2020\\n\\nXMC\\n\\nBÁO CÁO"
    >>> split_symbol_tail(header, header.index("-\\n"))
    'XMC'
    """
    dangling, continuation, max_lines = _patterns()
    hyphen = dangling.match(header, end)
    if not hyphen:
        return None
    lines = [line for line in header[hyphen.end() :].split("\n") if line.strip(" \t|")]
    for line in lines[:max_lines]:
        match = continuation.fullmatch(line)
        if match:
            return match.group("code")
    return None


def right_column_date(text: str, header_end: int) -> str | None:
    """The date of a right column flattened after the recipients line.

    The header zone ends at "Kính gửi:", but the right column (motto, place,
    date) may come after it: "Kính gửi:\\n\\nĐộc lập - Tự do - Hạnh phúc\\nHà
    Nơi\\n\\nngage thang § nam 2019" (h002). Only the two lines after a motto
    line count.

    >>> right_column_date("Kính gửi:\\n\\nĐộc lập - Tự do - Hạnh phúc\\nHà Nơi\\nngage thang § nam 2019", 0)
    '2019'
    """
    tail = text[header_end : header_end + RIGHT_COLUMN_CHARS].split("\n")
    lines = [line for line in tail if line.strip()][:MAX_RIGHT_COLUMN_LINES]
    for i, line in enumerate(lines):
        if is_motto(line):
            found = dates.find_dates("\n".join(lines[i + 1 : i + 3]))
            return found[0].iso if found else None
    return None
