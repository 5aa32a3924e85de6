"""find_mentions and canonical_symbol: table-driven real snippets, plus properties."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract.find import find_mentions, issuer_after
from indexer.extract.symbols import canonical_symbol
from indexer.normalize import normalize_text
from tests.extraction_cases import case_ids, load_cases

CASES = load_cases("find")


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_find_case(case: dict[str, Any]) -> None:
    mentions = find_mentions(normalize_text(case["text"]))
    assert [m.symbol for m in mentions] == case["symbols"]
    for field in ("kind", "date", "issuer"):
        if field in case:
            assert getattr(mentions[0], field) == case[field], field


def test_issuer_stops_before_the_next_document() -> None:
    text = "68/NQ-CP ngày 09/5/2024 của Chính phủ và Chương trình hành động số 40-CTr/TU"
    assert issuer_after(text, 23) == "Chính phủ"


def test_issuer_keeps_the_term_of_office() -> None:
    text = "11-CT/TW ngày 13/4/2007 của Bộ Chính trị (khóa X) về tăng cường"
    assert issuer_after(text, 23) == "Bộ Chính trị (khóa X)"


SYMBOLISH = st.sampled_from(
    ["29-CT/TW", "68/NQ-CP", "24/2021/NĐ-CP", " số ", "/", "-", " ", "\n", "|", "ngày 05/01/2024",
     "Nghị quyết", "KH", "Đ", "Ð", "&", "QH15", "2021-2025", "Điều 3"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(SYMBOLISH, st.text(max_size=8)), max_size=30).map("".join))
def test_find_never_raises_and_spans_slice_back(text: str) -> None:
    for mention in find_mentions(text):
        assert text[mention.start : mention.end] == mention.text
        assert canonical_symbol(mention.text) == mention.symbol


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789/- CTWNQĐKHtrgÐ&"), max_size=40))
def test_canonical_symbol_is_idempotent(raw: str) -> None:
    once = canonical_symbol(raw)
    assert canonical_symbol(once) == once


@pytest.mark.parametrize(
    "text",
    [
        "| " * 25_000,
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 1/1/2020 của UBND tỉnh về việc " * 300,
        "AB-CD/EF-GH " * 3000,
        "12/" * 7000,
    ],
    ids=["50k-table-pipes", "20k-char-line", "code-soup", "slash-soup"],
)
def test_pathological_inputs_are_fast(text: str) -> None:
    started = time.perf_counter()
    find_mentions(text)
    assert time.perf_counter() - started < 2.0
