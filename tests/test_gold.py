"""Accuracy floors on the seeds (tests/data/corpus/gold.json) and the scorer itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexer.extract.extractor import extract
from indexer.gold import canon, metric_lines, score, to_gold
from indexer.models import ChainLink, DocRef, Extraction, Identity, NamedRef, Relation

CORPUS = Path(__file__).parent / "data" / "corpus"


@pytest.fixture(scope="module")
def seed_scores() -> dict[str, Any]:
    gold = json.loads((CORPUS / "gold.json").read_text("utf-8"))
    pred = [to_gold(p.name, extract(p.read_text("utf-8"))) for p in sorted(CORPUS.glob("*.txt"))]
    return score(gold, pred)


def test_seed_refs_are_all_found(seed_scores: dict[str, Any]) -> None:
    assert seed_scores["refs"]["f1"] == 1.0, seed_scores["errors"]


def test_seed_relations_floor(seed_scores: dict[str, Any]) -> None:
    assert seed_scores["relations"]["f1"] >= 0.95, seed_scores["errors"]


def test_seed_chains_floor(seed_scores: dict[str, Any]) -> None:
    assert seed_scores["chains"]["f1"] >= 0.90, seed_scores["errors"]


def test_no_seed_document_is_missing(seed_scores: dict[str, Any]) -> None:
    assert seed_scores["missing_documents"] == []


def make_extraction() -> Extraction:
    ref = DocRef("29-CT/TW", "Chỉ thị", "2024-01-05", "Bộ Chính trị", Relation.CITES, "…", (0, 1))
    return Extraction(
        identity=Identity(kind="Kế hoạch", symbol=None, issuer="Ban Thường vụ Thị ủy"),
        refs=(ref,),
        named_refs=(NamedRef("Đề án", "Xây dựng xã hội học tập", 0, 5),),
        chains=(ChainLink("232-KH/TU", "29-CT/TW"),),
    )


def test_to_gold_has_exactly_the_gold_spec_shape() -> None:
    doc = to_gold("/tmp/x/001_a.txt", make_extraction())
    assert set(doc) == {"file", "self", "refs", "named_refs", "chain"}
    assert doc["file"] == "001_a.txt"
    assert set(doc["self"]) == {"type", "symbol", "issuer", "place", "date", "title"}
    assert doc["refs"] == [
        {"type": "Chỉ thị", "symbol": "29-CT/TW", "date": "2024-01-05",
         "issuer": "Bộ Chính trị", "relation": "cites"}
    ]  # fmt: skip
    assert doc["named_refs"] == [{"type": "Đề án", "name": "Xây dựng xã hội học tập"}]
    assert doc["chain"] == [{"from": "232-KH/TU", "to": "29-CT/TW", "relation": "implements"}]
    json.dumps(doc)


def test_score_counts_like_the_eval_scorer() -> None:
    gold = [
        {"file": "a.txt", "self": {"type": "Kế hoạch", "symbol": None, "date": "2024"},
         "refs": [{"symbol": "29-CT/TW", "relation": "implements"},
                  {"symbol": "68/NQ-CP", "relation": "cites"}],
         "chain": [{"from": "232-KH/TU", "to": "29-CT/TW"}]},
        {"file": "b.txt", "self": {}, "refs": [], "chain": []},
    ]  # fmt: skip
    pred = [
        {"file": "dir/a.txt", "self": {"type": "kế hoạch", "symbol": None, "date": "2024"},
         "refs": [{"symbol": "29-ct/ TW", "relation": "implements"},
                  {"symbol": "42-NQ/TW", "relation": "cites"}],
         "chain": []},
    ]  # fmt: skip
    metrics = score(gold, pred)
    assert metrics["refs"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "tp": 1,
        "fp": 1,
        "fn": 1,
    }
    assert metrics["chains"]["fn"] == 1 and metrics["chains"]["f1"] == 0.0
    assert metrics["missing_documents"] == ["b.txt"]
    assert metrics["self_type_accuracy"] == 1.0  # case-insensitive; b.txt: both empty
    assert "a.txt refs extra   42-NQ/TW" in metrics["errors"]
    assert metric_lines(metrics)[-1] == "refs F1 0.500"


def test_canon_is_lenient_like_the_scorer() -> None:
    assert canon("07-\u00d0A/ \u0110U") == "07-ĐA/ĐU"
    assert canon(None) is None
