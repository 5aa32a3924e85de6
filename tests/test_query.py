"""The query language: clauses, OR, exclusion, filters, folding, word grouping."""

from __future__ import annotations

import pytest

from indexer.errors import QueryError
from indexer.search.query import group_words, parse_query

PARSE_CASES = [
    # query, [(negated, [alternatives])], filters
    (
        "phổ cập giáo dục",
        [(False, ["phổ"]), (False, ["cập"]), (False, ["giáo"]), (False, ["dục"])],
        {},
    ),
    (
        '"xóa mù chữ" -"giáo dục thường xuyên"',
        [(False, ["xóa mù chữ"]), (True, ["giáo dục thường xuyên"])],
        {},
    ),
    ("“hòa nhập” OR khuyết", [(False, ["hòa nhập", "khuyết"])], {}),
    (
        'kind:"Kế hoạch" year:2024 level:tỉnh issuer:"Củ Chi" an',
        [(False, ["an"])],
        {"kind": "Kế hoạch", "year": "2024", "level": "tỉnh", "issuer": "Củ Chi"},
    ),
    ("hoà nhập", [(False, ["hòa"]), (False, ["nhập"])], {}),  # tone placement unified
    ("29-CT/TW -- ,", [(False, ["29-CT/TW"])], {}),  # punctuation-only words vanish
    ("http://x.vn", [(False, ["http://x.vn"])], {}),  # not a filter name
]


@pytest.mark.parametrize(
    ("query", "clauses", "filters"), PARSE_CASES, ids=[c[0] for c in PARSE_CASES]
)
def test_parse(query: str, clauses: list[tuple[bool, list[str]]], filters: dict[str, str]) -> None:
    parsed = parse_query(query)
    assert [(c.negated, [a.text for a in c.alternatives]) for c in parsed.clauses] == clauses
    assert parsed.filters == filters


@pytest.mark.parametrize(
    ("query", "folded"),
    [
        ("pho cap", True),
        ("phổ cập", False),
        ("dang uy", True),
        ("Đảng", False),
        ("kind:kế x", True),
    ],
)
def test_folded_when_no_query_word_has_diacritics(query: str, folded: bool) -> None:
    assert parse_query(query).folded is folded


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"mở', "ngoặc kép"),
        ("a OR OR b", "OR"),
        ("-a OR b", "OR"),
        ("a OR -b", "loại trừ"),
        ("-a", "loại trừ"),
        ("year:24", "Năm"),
        ("kind:", "chưa có giá trị"),
    ],
)
def test_parse_errors(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(query)


def test_group_words_longest_first() -> None:
    vocab = {"giáo_dục", "đào_tạo", "phổ_cập", "giáo_dục_và_đào_tạo", "cập_giáo_dục"}
    terms = ["phổ", "cập", "giáo", "dục", "và", "đào", "tạo", "an"]
    # Five-syllable words are beyond MAX_WORD_SYLLABLES; the scan is left to right.
    assert group_words(terms, vocab.__contains__) == [
        ["phổ", "cập"],
        ["giáo", "dục"],
        ["và"],
        ["đào", "tạo"],
        ["an"],
    ]


def test_or_binds_grouped_words() -> None:
    vocab = {"giáo_dục", "đào_tạo"}
    parsed = parse_query("nâng cao giáo dục OR đào tạo -xã", vocab.__contains__)
    clauses = [(c.negated, [(a.text, a.compound) for a in c.alternatives]) for c in parsed.clauses]
    assert clauses == [
        (False, [("nâng", False)]),
        (False, [("cao", False)]),
        (False, [("giáo dục", True), ("đào tạo", True)]),
        (True, [("xã", False)]),
    ]
