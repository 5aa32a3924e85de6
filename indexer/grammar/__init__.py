"""Load the reference grammar tables kept as data in ``indexer/grammar/*.toml``.

Tables are read once and cached; callers get plain dicts and lists and must not
mutate them. Regexes are compiled only here and in ``indexer/extract/patterns.py``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_table(name: str) -> dict[str, Any]:
    """The parsed contents of ``indexer/grammar/<name>.toml``.

    >>> "Chỉ thị" in [k["name"] for k in load_table("kinds")["kind"]]
    True
    """
    text = resources.files("indexer").joinpath("grammar", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def kinds() -> tuple[dict[str, Any], ...]:
    """The document kinds: name, printed codes, aliases and examples."""
    return tuple(load_table("kinds")["kind"])


@cache
def kind_for_code(code: str) -> str | None:
    """The kind a symbol's code implies: "CT" -> "Chỉ thị", "CTr" -> "Chương trình hành động".

    >>> kind_for_code("CTr"), kind_for_code("NQ"), kind_for_code("XYZ")
    ('Chương trình hành động', 'Nghị quyết', None)
    """
    for kind in kinds():
        if code in kind.get("codes", ()):
            return str(kind["name"])
    upper = code.upper()
    for kind in kinds():
        if upper in (c.upper() for c in kind.get("codes", ())):
            return str(kind["name"])
    return None


def char_class(chars: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any one of ``chars`` (counting them runs at C speed).

    >>> char_class("¸µ¨").findall("KÕ ho¹ch n¨m häc µ")
    ['¨', 'µ']
    """
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")
