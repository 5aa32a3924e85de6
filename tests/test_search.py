"""Search acceptance on the seed corpus (issue 3) and the query language."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.errors import IndexMissingError, NotFoundError, QueryError
from indexer.index.indexing import build_index
from indexer.index.schema import unpack_offsets
from indexer.index.store import open_index
from indexer.normalize import fold, normalize_text
from indexer.search.searcher import Searcher
from indexer.search.snippets import make_snippet
from indexer.segment.segmenter import syllable_spans, syllables

S000, S001, S002, S003, S004 = (
    "000_483593662cc2f1b9",
    "001_390e6e42b23c01ee",
    "002_0c8b9f1545dfa298",
    "003_193869202513d02c",
    "004_8af12c4f00c65269",
)
DATA = Path(__file__).parent / "data" / "corpus"


def found(searcher: Searcher, query: str, **kwargs: object) -> set[str]:
    page = searcher.search(query, per_page=100, **kwargs)  # type: ignore[arg-type]
    assert page.total == len(page.hits)
    return {h.doc_id for h in page.hits}


# Accented, unaccented, upper-case and tone-variant spellings find the same documents.
ACCEPTANCE = [
    (
        ["phổ cập giáo dục", "pho cap giao duc", "PHỔ CẬP GIÁO DỤC", '"phổ cập giáo dục"'],
        {S000, S001, S002, S003},
    ),
    (["hoà nhập", "hòa nhập", "hoa nhap", "HOÀ NHẬP"], {S000, S002}),
    (["xóa mù chữ", "xoá mù chữ", "xoa mu chu", '"xoá mù chữ"'], {S001, S002, S003}),
    (["an toàn", "AN TOÀN", '"an toàn"'], {S002, S003, S004}),
    (["29-CT/TW", '"29-CT/TW"', "29 CT TW"], {S001}),
    (['"hòa nhập" OR "xóa mù chữ"', '"xóa mù chữ" OR "hòa nhập"'], {S000, S001, S002, S003}),
    (["phổ cập -hòa", "phổ cập -hoà"], {S001, S003}),
    # OR binds the words around it, not single syllables: (hòa nhập) OR (an toàn).
    (
        ["hòa nhập OR an toàn", "an toàn OR hoà nhập", "hoa nhap OR an toan"],
        {S000, S002, S003, S004},
    ),
    (['giáo dục -"phổ cập giáo dục"'], {S004}),
]


@pytest.mark.parametrize(("queries", "expected"), ACCEPTANCE, ids=[c[0][0] for c in ACCEPTANCE])
def test_acceptance_sets(searcher: Searcher, queries: list[str], expected: set[str]) -> None:
    for query in queries:
        assert found(searcher, query) == expected, query


@pytest.mark.parametrize(
    ("query", "folded"),
    [
        ("pho cap giao duc", True),
        ("phổ cập giáo dục", False),
        ("29-CT/TW", True),
        ("AN TOÀN", False),
    ],
)
def test_folded_flag(searcher: Searcher, query: str, folded: bool) -> None:
    assert searcher.search(query).folded is folded


def _mark_texts(snippet: str) -> list[str]:
    return [html.unescape(part.split("</mark>")[0]) for part in snippet.split("<mark>")[1:]]


@pytest.mark.parametrize("query", ["phổ cập giáo dục", "pho cap giao duc", "PHỔ CẬP GIÁO DỤC"])
def test_snippets_mark_the_matched_characters(searcher: Searcher, query: str) -> None:
    allowed = {("pho", "cap"), ("giao", "duc")}
    page = searcher.search(query)
    for hit in page.hits:
        marks = _mark_texts(hit.snippet)
        assert marks, hit.doc_id
        for mark in marks:
            parts = [fold(s) for s in syllables(mark)]
            assert len(parts) % 2 == 0 and all(
                tuple(parts[i : i + 2]) in allowed for i in range(0, len(parts), 2)
            )
            assert mark in searcher.document(hit.doc_id).text


def test_stored_offsets_slice_back_to_syllables(built_index: Path) -> None:
    with open_index(built_index).searcher() as s:
        for fields in s.all_stored_fields():
            spans = unpack_offsets(fields["offsets"])
            assert [fields["text"][a:b] for a, b in spans] == syllables(fields["text"])


def test_document_holds_the_normalised_text(searcher: Searcher) -> None:
    doc = searcher.document(S002)
    assert doc.text == normalize_text((DATA / f"{S002}.txt").read_text(encoding="utf-8"))
    assert (doc.file, doc.rel_path) == (f"{S002}.txt", f"{S002}.txt")
    assert len(doc.sha256) == 64 and doc.extraction.identity.kind
    with pytest.raises(NotFoundError):
        searcher.document("không_có")


def test_documents(searcher: Searcher) -> None:
    assert [d.doc_id for d in searcher.documents()] == [S000, S001, S002, S003, S004]


def test_paging_covers_every_hit_once(searcher: Searcher) -> None:
    pages = [searcher.search("giáo dục", page=n, per_page=2) for n in (1, 2, 3, 4)]
    assert [len(p.hits) for p in pages] == [2, 2, 1, 0]
    assert all(p.total == 5 and p.pages == 3 for p in pages)
    seen = [h.doc_id for p in pages for h in p.hits]
    assert sorted(seen) == [S000, S001, S002, S003, S004]


def test_sort_by_date_is_newest_first(searcher: Searcher) -> None:
    page = searcher.search("giáo dục", sort="date", per_page=10)
    dates = [h.date for h in page.hits if h.date]
    assert len(dates) >= 3 and dates == sorted(dates, reverse=True)
    assert page.sort == "date"
    assert [h.doc_id for h in page.hits if not h.date] == [
        h.doc_id for h in page.hits[len(dates) :]
    ]


def test_relevance_scores_decrease(searcher: Searcher) -> None:
    scores = [h.score for h in searcher.search("phổ cập giáo dục").hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


@pytest.mark.parametrize("facet", ["kind", "year", "level", "issuer"])
def test_facet_counts_match_their_filters(searcher: Searcher, facet: str) -> None:
    page = searcher.search("giáo dục")
    assert page.facets[facet], facet
    for value, count in page.facets[facet]:
        by_param = searcher.search("giáo dục", filters={facet: value}, per_page=100)
        assert by_param.total == count, (facet, value)
        by_query = searcher.search(f'giáo dục {facet}:"{value}"', per_page=100)
        assert {h.doc_id for h in by_query.hits} == {h.doc_id for h in by_param.hits}
        if facet != "issuer":  # issuer filters match words, so a longer issuer also matches
            shown = {
                (h.date or "")[:4] if facet == "year" else getattr(h, facet) for h in by_param.hits
            }
            assert shown == {value}


def test_filters_ignore_case_and_diacritics(searcher: Searcher) -> None:
    kind, count = searcher.search("giáo dục").facets["kind"][0]
    assert searcher.search(f'giáo dục kind:"{fold(kind).upper()}"').total == count
    assert searcher.search(f'kind:"{kind}"').total == count  # filters alone browse


def test_unknown_filter_value_finds_nothing(searcher: Searcher) -> None:
    assert searcher.search("giáo dục year:1999").total == 0


QUERY_ERRORS = [
    ('"phổ cập', "ngoặc kép"),
    ("OR giáo dục", "OR"),
    ("giáo dục OR", "OR"),
    ("-giáo -dục", "loại trừ"),
    ("", "từ khoá"),
    ("giáo dục year:20x4", "Năm"),
    ("x" * 600, "quá dài"),
]


@pytest.mark.parametrize(
    ("query", "message"), QUERY_ERRORS, ids=[q[:20] or "empty" for q, _ in QUERY_ERRORS]
)
def test_malformed_queries_raise_query_error(searcher: Searcher, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        searcher.search(query)


def test_bad_sort_and_page(searcher: Searcher) -> None:
    with pytest.raises(QueryError):
        searcher.search("giáo dục", sort="title")
    with pytest.raises(QueryError):
        searcher.search("giáo dục", page=0)


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        Searcher(tmp_path / "chưa-có")


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    (root / "corpus").mkdir()
    (root / "corpus" / "script.txt").write_text(
        "KẾ HOẠCH\nPhòng chống <script>alert('x')</script> đuối nước cho học sinh giỏi\n",
        encoding="utf-8",
    )
    (root / "corpus" / "near.txt").write_text(
        "KẾ HOẠCH\nHọc sinh nghèo vượt khó và sinh giỏi thể thao, hoà nhập cộng đồng\n",
        encoding="utf-8",
    )
    build_index([root / "corpus"], root / "index", progress=False)
    return root / "index"


def test_snippet_escapes_document_text(small_index: Path) -> None:
    searcher = Searcher(small_index)
    [hit] = searcher.search("alert").hits
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;<mark>alert</mark>" in hit.snippet


def test_phrase_is_verified_beyond_its_pairs(small_index: Path) -> None:
    # "near" has both pairs "học sinh" and "sinh giỏi", but not the phrase.
    searcher = Searcher(small_index)
    assert found(searcher, '"học sinh giỏi"') == {"script"}
    assert found(searcher, 'học sinh -"học sinh giỏi"') == {"near"}
    assert found(searcher, "hòa nhập") == {"near"}


def test_refresh_reopens_only_after_a_change(corpus_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus_dir], index_dir, progress=False)
    searcher = Searcher(index_dir)
    assert searcher.refresh() is False
    assert searcher.search("cờ vua").total == 0
    (corpus_dir / "extra.txt").write_text("KẾ HOẠCH\nCâu lạc bộ cờ vua\n", encoding="utf-8")
    build_index([corpus_dir], index_dir, progress=False)
    assert searcher.refresh() is True
    assert found(searcher, "cờ vua") == {"extra"}
    assert searcher.refresh() is False


QUERY_PIECES = [
    "a",
    "b",
    " ",
    "phổ",
    "cập",
    "Đ",
    '"',
    "-",
    ":",
    "OR",
    "kind:",
    "year:",
    "(",
    "*",
    "\\",
    "\n",
]


@given(st.lists(st.sampled_from(QUERY_PIECES), max_size=15).map("".join))
@settings(max_examples=150, deadline=None)
def test_any_query_gives_a_page_or_a_query_error(searcher: Searcher, query: str) -> None:
    try:
        page = searcher.search(query)
    except QueryError as err:
        assert err.message and "\n" not in err.message
    else:
        assert page.total >= len(page.hits)


def test_many_candidates_skip_the_exact_phrase_check(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("indexer.search.searcher.MAX_VERIFIED_DOCS", 1)
    searcher = Searcher(small_index)
    assert found(searcher, '"học sinh giỏi"') == {"script", "near"}


def test_snippet_window_never_cuts_a_match() -> None:
    # The best window (around the later cluster) opens 60 characters before
    # "giáo dục", which falls inside the first "phổ cập": it is shown whole.
    text = "c " * 100 + "phổ cập" + " a" * 28 + " giáo dục" + " b" * 62
    text += " giáo dục giáo dục phổ cập" + " d" * 100
    snippet = make_snippet(text, syllable_spans(text), [["phổ", "cập"], ["giáo", "dục"]], False)
    assert snippet.startswith("…<mark>phổ cập</mark> a a")
