"""Accuracy floors on the independent held-out set (tests/data/heldout, see its SOURCES.md).

The 15 documents and their hand-made gold were never used to write the
grammar; the floors hold what the extractor achieves on them, so a grammar
change that loses a held-out reference, relation or self field fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexer.extract.extractor import extract
from indexer.gold import score, to_gold

HELDOUT = Path(__file__).parent / "data" / "heldout"

# Achieved when the floors were set (all 1.0), rounded down to 2 decimals.
FLOORS = {
    "relations": 1.0,
    "chains": 1.0,
}
SELF_FLOORS = {"type": 1.0, "symbol": 1.0, "date": 1.0}


@pytest.fixture(scope="module")
def heldout_scores() -> dict[str, Any]:
    gold = json.loads((HELDOUT / "gold.json").read_text("utf-8"))
    docs = sorted((HELDOUT / "docs").glob("*.txt"))
    pred = [to_gold(p.name, extract(p.read_text("utf-8"))) for p in docs]
    return score(gold, pred)


def test_heldout_has_all_fifteen_documents(heldout_scores: dict[str, Any]) -> None:
    assert heldout_scores["documents"] == 15
    assert heldout_scores["missing_documents"] == []


def test_heldout_refs_are_all_found(heldout_scores: dict[str, Any]) -> None:
    assert heldout_scores["refs"]["f1"] == 1.0, heldout_scores["errors"]


@pytest.mark.parametrize(("metric", "floor"), FLOORS.items())
def test_heldout_floor(heldout_scores: dict[str, Any], metric: str, floor: float) -> None:
    assert heldout_scores[metric]["f1"] >= floor, heldout_scores["errors"]


@pytest.mark.parametrize(("field", "floor"), SELF_FLOORS.items())
def test_heldout_self_floor(heldout_scores: dict[str, Any], field: str, floor: float) -> None:
    assert heldout_scores[f"self_{field}_accuracy"] >= floor, heldout_scores["errors"]
