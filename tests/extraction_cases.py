"""Loading the table-driven extraction cases in tests/data/cases/*.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).parent / "data" / "cases"


def load_cases(name: str) -> list[dict[str, Any]]:
    """The ``[[case]]`` entries of ``tests/data/cases/<name>.toml``."""
    with open(CASES_DIR / f"{name}.toml", "rb") as fh:
        return list(tomllib.load(fh)["case"])


def case_ids(cases: list[dict[str, Any]]) -> list[str]:
    """Readable pytest ids: each case's ``id``."""
    return [str(c["id"]) for c in cases]
