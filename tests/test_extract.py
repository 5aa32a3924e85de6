"""extract(): the whole Extraction of a text, fast and never raising."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract.extractor import extract
from indexer.models import Extraction, Relation
from tests.extraction_cases import case_ids, load_cases

CORPUS = Path(__file__).parent / "data" / "corpus"
MAX_SECONDS_PER_30KB = 0.25  # generous for CI; locally ~25 ms


def test_seed_001_cascade() -> None:
    e = extract((CORPUS / "001_390e6e42b23c01ee.txt").read_text("utf-8"))
    refs = {r.symbol: r for r in e.refs}
    assert refs["232-KH/TU"].relation is Relation.IMPLEMENTS
    assert refs["29-CT/TW"].relation is Relation.CITES
    assert refs["29-CT/TW"].mentions > 5
    assert [(c.source, c.target) for c in e.chains] == [("232-KH/TU", "29-CT/TW")]
    for ref in e.refs:
        start, end = ref.evidence_span
        assert ref.evidence == e_text(e, start, end)


DOCUMENT_CASES = load_cases("extract")


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=case_ids(DOCUMENT_CASES))
def test_document_openings(case: dict[str, Any]) -> None:
    e = extract(case["text"])
    assert (e.identity.symbol or "") == case["symbol"]
    if "date" in case:
        assert e.identity.date == case["date"]
    assert {r.symbol: r.relation.value for r in e.refs} == case["relations"]
    assert sorted([c.source, c.target] for c in e.chains) == sorted(case["chains"])


def e_text(e: Extraction, start: int, end: int) -> str:
    text = (CORPUS / "001_390e6e42b23c01ee.txt").read_text("utf-8")
    from indexer.normalize import normalize_text

    return normalize_text(text)[start:end]


def test_named_refs_of_seed_002() -> None:
    e = extract((CORPUS / "002_0c8b9f1545dfa298.txt").read_text("utf-8"))
    names = {(n.kind, n.name) for n in e.named_refs}
    assert ("Chương trình", "Giáo dục phổ thông 2018") in names
    assert ("Đề án", "Xây dựng xã hội học tập giai đoạn 2021 - 2030") in names


def test_extraction_round_trips_through_json_dict() -> None:
    e = extract((CORPUS / "000_483593662cc2f1b9.txt").read_text("utf-8"))
    assert Extraction.from_dict(e.to_dict()) == e


def test_empty_text_warns() -> None:
    e = extract("")
    assert e.refs == () and e.warnings == ("văn bản trống, không có gì để trích xuất",)


def test_largest_seed_is_fast() -> None:
    text = (CORPUS / "002_0c8b9f1545dfa298.txt").read_text("utf-8")
    extract(text)
    started = time.perf_counter()
    extract(text)
    assert time.perf_counter() - started < MAX_SECONDS_PER_30KB


@pytest.mark.parametrize(
    "text", ["| " * 25_000, "Thực hiện Kế hoạch số 12/KH-UBND của UBND tỉnh thực hiện " * 300]
)
def test_pathological_text_is_extracted_in_time(text: str) -> None:
    started = time.perf_counter()
    extract(text)
    assert time.perf_counter() - started < 3.0


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_extract_never_raises(text: str) -> None:
    e = extract(text)
    for m in e.mentions:
        assert m.start < m.end


@pytest.mark.parametrize(
    "module",
    [
        "extract.patterns",
        "extract.find",
        "extract.classify",
        "extract.resolve",
        "extract.named",
        "extract.extractor",
        "gold",
        "extract.symbols",
        "grammar",
    ],
)
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"indexer.{module}"))
    assert result.failed == 0 and result.attempted > 0
