"""Bulk scoring (issue 6) against whoosh's own collectors and against brute force.

The index here has two segments and a deleted document: the seed corpus, then
one file changed and one added, indexed incrementally.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh import scoring as whoosh_scoring

from indexer.index.indexing import build_index
from indexer.internals import whoosh_private
from indexer.normalize import fold
from indexer.search import scoring
from indexer.search.scoring import BulkScorer, UnsupportedQuery
from indexer.search.searcher import Searcher
from indexer.segment.analysis import query_syllables
from indexer.segment.segmenter import syllable_spans
from tests.conftest import copy_seed_corpus

CHANGED = "001_390e6e42b23c01ee.txt"
# Every pair of "phổ cập giáo dục" occurs, but never the three adjacent.
SCATTERED = "KẾ HOẠCH\nVề phổ cập, cập giáo viên và giáo dục mầm non.\n"

QUERIES = [
    '"phổ cập giáo dục"',
    "phổ cập giáo dục",
    "pho cap giao duc",
    "giáo dục",
    '"hòa nhập" OR "xóa mù chữ"',
    "mầm non OR tiểu học OR trung học",
    "phổ cập -hòa",
    'giáo dục -"phổ cập giáo dục"',
    'an toàn kind:"Kế hoạch"',
    "giáo dục level:tỉnh",
    "29-CT/TW",
    "không có từ này",
]


@pytest.fixture(scope="module")
def two_segments(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    root = tmp_path_factory.mktemp("segments")
    corpus = copy_seed_corpus(root / "corpus")
    index_dir = root / "index"
    build_index([corpus], index_dir, progress=False)
    changed = corpus / CHANGED
    changed.write_text(changed.read_text(encoding="utf-8") + "\nPhổ cập thêm.\n", encoding="utf-8")
    (corpus / "scattered.txt").write_text(SCATTERED, encoding="utf-8")
    build_index([corpus], index_dir, progress=False)
    searcher = Searcher(index_dir)
    yield searcher
    searcher.close()


def _whoosh_queries(searcher: Searcher) -> Iterator[wq.Query]:
    for text in QUERIES:
        parsed = searcher._parse(text)
        for folded in {parsed.folded, True}:
            plan = searcher._plan(parsed, folded)
            restrictions = searcher._filter_query(parsed.filters)
            yield wq.And([plan.query, *restrictions]) if restrictions else plan.query
    yield wq.And([wq.Every(), wq.Term("kind_key", "ke hoach")])


def test_index_has_segments_and_a_deletion(two_segments: Searcher) -> None:
    leaves = two_segments._searcher.leaf_searchers()
    assert len(leaves) == 2
    assert any(sub.reader().has_deletions() for sub, _ in leaves)


@pytest.mark.parametrize("in_place", [scoring.DELETE_IN_PLACE_MAX, 0])
def test_bulk_scores_equal_whoosh_collectors(
    two_segments: Searcher, in_place: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both ways of leaving deleted documents out of a posting list.
    monkeypatch.setattr(scoring, "DELETE_IN_PLACE_MAX", in_place)
    whoosh_searcher = two_segments._searcher
    bulk = BulkScorer(whoosh_searcher)
    compared = 0
    for q in _whoosh_queries(two_segments):
        expected = {hit.docnum: hit.score for hit in whoosh_searcher.search(q, limit=None)}
        assert bulk.scores(q) == expected, q
        compared += bool(expected)
    assert compared >= 10


def test_unknown_query_shape_is_refused(two_segments: Searcher) -> None:
    with pytest.raises(UnsupportedQuery):
        BulkScorer(two_segments._searcher).scores(wq.Prefix("body", "phổ"))


# The shapes BulkScorer scores; the searcher relies on building no other.
KNOWN_SHAPES = (wq.Term, wq.And, wq.Or, wq.AndMaybe, wq.Not, wq.Every)


def _nodes(q: wq.Query) -> Iterator[wq.Query]:
    yield q
    for child in q.children():
        yield from _nodes(child)


def test_the_searcher_builds_only_shapes_the_bulk_scorer_knows(
    two_segments: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[wq.Query] = []
    scores = BulkScorer.scores

    def spy(self: BulkScorer, q: wq.Query) -> scoring.Scores:
        built.append(q)
        return scores(self, q)

    monkeypatch.setattr(BulkScorer, "scores", spy)
    for text in [*QUERIES, '-"xóa mù chữ" -hòa mầm non OR "tiểu học"']:
        for sort in ("relevance", "date"):
            two_segments.search(text, sort=sort)
    two_segments.search("giáo dục", filters={"issuer": "Ủy ban nhân dân", "year": "2024"})
    two_segments.search("", filters={"kind": "Kế hoạch"})
    assert len(built) > len(QUERIES)
    for q in built:
        for node in _nodes(q):
            assert type(node) in KNOWN_SHAPES and node.boost == 1.0, node
            assert not isinstance(node, wq.Every) or node.fieldname is None, node
    assert type(two_segments._searcher.weighting) is whoosh_scoring.BM25F


def _keys(text: str, folded: bool) -> list[str]:
    return [fold(text[s:e]) if folded else text[s:e].lower() for s, e in syllable_spans(text)]


def _brute_force(searcher: Searcher, phrase: str, folded: bool) -> set[str]:
    """Doc ids whose text holds the phrase as adjacent syllables, by reading every text."""
    needle = query_syllables(phrase, folded)
    out = set()
    for doc in searcher.documents():
        keys = _keys(searcher.document(doc.doc_id).text, folded)
        if any(keys[i : i + len(needle)] == needle for i in range(len(keys))):
            out.add(doc.doc_id)
    return out


@pytest.mark.parametrize(
    ("query", "phrase", "folded"),
    [
        ('"phổ cập giáo dục"', "phổ cập giáo dục", False),
        ('"pho cap giao duc"', "pho cap giao duc", True),
        ('"giáo dục"', "giáo dục", False),
        ('"xóa mù chữ"', "xóa mù chữ", False),
        ('"cập giáo"', "cập giáo", False),
    ],
)
def test_phrase_hits_equal_brute_force(
    two_segments: Searcher, query: str, phrase: str, folded: bool
) -> None:
    page = two_segments.search(query, per_page=100)
    assert page.total == len(page.hits)
    assert {h.doc_id for h in page.hits} == _brute_force(two_segments, phrase, folded)


def test_scattered_pairs_are_not_a_phrase(two_segments: Searcher) -> None:
    assert "scattered" not in {h.doc_id for h in two_segments.search('"phổ cập giáo dục"').hits}
    assert "scattered" in {h.doc_id for h in two_segments.search('"cập giáo"').hits}


def test_facets_count_the_matching_documents(two_segments: Searcher) -> None:
    page = two_segments.search("giáo dục", per_page=100)
    docs = {d.doc_id: d for d in two_segments.documents()}
    kinds = Counter(docs[h.doc_id].extraction.identity.kind for h in page.hits)
    assert page.facets["kind"] == sorted(
        ((k, n) for k, n in kinds.items() if k), key=lambda kn: (-kn[1], kn[0])
    )
    assert sum(n for _, n in page.facets["kind"]) <= page.total


def test_pages_follow_one_order(two_segments: Searcher) -> None:
    for sort in ("relevance", "date"):
        whole = two_segments.search("giáo dục", per_page=100, sort=sort)
        paged = [
            h.doc_id
            for p in (1, 2, 3)
            for h in two_segments.search("giáo dục", page=p, per_page=2, sort=sort).hits
        ]
        assert paged == [h.doc_id for h in whole.hits][:6]
    dates = [h.date or "" for h in two_segments.search("giáo dục", per_page=100, sort="date").hits]
    assert dates == sorted(dates, reverse=True)
    scores = [h.score for h in two_segments.search("giáo dục", per_page=100).hits]
    assert scores == sorted(scores, reverse=True)


def test_segments_are_read_through_files_not_copied_maps(two_segments: Searcher) -> None:
    # whoosh copies each part of a memory-mapped segment it opens into a BytesIO
    # (~140 MB per searcher at N = 2000); read through a file handle, nothing is copied.
    two_segments.search('"phổ cập giáo dục"')
    for sub, _ in two_segments._searcher.leaf_searchers():
        assert whoosh_private.reads_through_file(sub.reader())


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_newest_equals_sorting_every_document(two_segments: Searcher, limit: int) -> None:
    docs = two_segments.documents()
    by_date = sorted(docs, key=lambda d: (d.extraction.identity.date or "", d.doc_id), reverse=True)
    assert two_segments.newest(limit) == (by_date[:limit], len(docs))


def test_an_empty_index_has_no_newest_and_no_hits(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    build_index([tmp_path / "corpus"], tmp_path / "index", progress=False)
    searcher = Searcher(tmp_path / "index")
    assert searcher.newest(10) == ([], 0)
    page = searcher.search("giáo dục")
    assert (page.total, page.hits, page.facets["kind"]) == (0, [], [])
    searcher.close()
