"""Index building: incremental by content hash, cached segmentation, stored extractions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.errors import IndexCorruptError, IndexMissingError
from indexer.index.indexing import build_index
from indexer.index.store import VERSION_FILE, load_documents
from indexer.internals.whoosh_private import MemoryPostingPool
from indexer.load.corpus import iter_corpus
from indexer.models import SourceFile
from indexer.search.searcher import Searcher

SEED_IDS = [
    "000_483593662cc2f1b9",
    "001_390e6e42b23c01ee",
    "002_0c8b9f1545dfa298",
    "003_193869202513d02c",
    "004_8af12c4f00c65269",
]


def ids(index_dir: Path, query: str) -> set[str]:
    searcher = Searcher(index_dir)
    try:
        return {h.doc_id for h in searcher.search(query, per_page=100).hits}
    finally:
        searcher.close()


def test_rerun_on_unchanged_corpus_segments_nothing(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    first = build_index([corpus_dir], index_dir, progress=False)
    assert (first.indexed, first.skipped, first.removed, first.failed) == (5, 0, 0, ())
    assert first.segmented_paragraphs > 100
    files_before = sorted(p.name for p in index_dir.iterdir())

    def no_decoding(*args: object) -> None:
        raise AssertionError("an unchanged file was decoded")

    monkeypatch.setattr("indexer.load.corpus.decode_raw", no_decoding)
    second = build_index([corpus_dir], index_dir, progress=False)
    assert (second.indexed, second.skipped, second.removed) == (0, 5, 0)
    assert (second.segmented_paragraphs, second.cached_paragraphs) == (0, 0)
    assert sorted(p.name for p in index_dir.iterdir()) == files_before  # nothing written


def test_changed_file_is_reindexed_reusing_cached_paragraphs(
    corpus_dir: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus_dir], index_dir, progress=False)
    changed = corpus_dir / "004_8af12c4f00c65269.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nBồi dưỡng thủ thư trường học\n", encoding="utf-8"
    )
    report = build_index([corpus_dir], index_dir, progress=False)
    assert (report.indexed, report.skipped, report.removed) == (1, 4, 0)
    # Only the new paragraph goes through underthesea; the rest comes from the cache.
    assert report.segmented_paragraphs == 1
    assert report.cached_paragraphs > 10
    assert ids(index_dir, "thủ thư") == {"004_8af12c4f00c65269"}


def test_deleted_file_is_removed(corpus_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus_dir], index_dir, progress=False)
    (corpus_dir / "001_390e6e42b23c01ee.txt").unlink()
    report = build_index([corpus_dir], index_dir, progress=False)
    assert (report.indexed, report.skipped, report.removed) == (0, 4, 1)
    assert [d.doc_id for d in load_documents(index_dir)] == [
        i for i in SEED_IDS if not i.startswith("001")
    ]
    assert ids(index_dir, "xóa mù chữ") == {"002_0c8b9f1545dfa298", "003_193869202513d02c"}


def test_malformed_file_gives_one_line_reason_and_rest_is_indexed(
    corpus_dir: Path, tmp_path: Path
) -> None:
    (corpus_dir / "hong.docx").write_bytes(b"this is not a zip archive\n\x00\x01")
    report = build_index([corpus_dir], tmp_path / "index", progress=False)
    assert report.indexed == 5
    assert len(report.failed) == 1
    path, reason = report.failed[0]
    assert path.endswith("hong.docx")
    assert reason and "\n" not in reason and "Traceback" not in reason


def test_stored_extraction_is_the_extraction_of_the_text(built_index: Path) -> None:
    from indexer.extract.extractor import extract

    docs = load_documents(built_index)
    assert [d.doc_id for d in docs] == SEED_IDS
    sources = {
        s.file: s for s in iter_corpus([built_index.parent / "corpus"]) if isinstance(s, SourceFile)
    }
    for doc in docs:
        source = sources[doc.file]
        assert doc.sha256 == source.sha256
        assert doc.rel_path == source.rel_path
        assert doc.extraction == extract(source.text)


def test_graph_is_saved_next_to_the_index(built_index: Path) -> None:
    from indexer.graph.citation_graph import load_graph

    graph = load_graph(built_index)
    in_corpus = {d.get("doc_id") for _, d in graph.nodes(data=True) if d.get("doc_id")}
    assert in_corpus == set(SEED_IDS)


@pytest.mark.slow
def test_older_schema_is_rebuilt(corpus_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus_dir], index_dir, progress=False)
    searcher = Searcher(index_dir)
    (index_dir / VERSION_FILE).write_text(json.dumps({"schema_version": 0}), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="phiên bản"):
        Searcher(index_dir)
    report = build_index([corpus_dir], index_dir, progress=False)
    assert (report.indexed, report.skipped) == (5, 0)
    assert report.segmented_paragraphs == 0  # the rebuilt index is empty, the cache is not
    assert searcher.refresh() is True  # an open searcher follows the rebuilt index
    assert searcher.search("hòa nhập").total == 2


def test_report_as_json(corpus_dir: Path, tmp_path: Path) -> None:
    (corpus_dir / "hong.pdf").write_bytes(b"%PDF-1.4 broken")
    data = build_index([corpus_dir], tmp_path / "index", progress=False).to_dict()
    assert json.loads(json.dumps(data))["failed"][0]["path"].endswith("hong.pdf")
    assert set(data) == {
        "indexed",
        "skipped",
        "removed",
        "failed",
        "segmented_paragraphs",
        "cached_paragraphs",
        "seconds",
    }


def test_load_documents_without_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        load_documents(tmp_path / "nothing")


def test_locked_index_is_reported(corpus_dir: Path, tmp_path: Path) -> None:
    from indexer.errors import IndexLockedError
    from indexer.index.store import open_index

    index_dir = tmp_path / "index"
    build_index([corpus_dir], index_dir, progress=False)
    (corpus_dir / "extra.txt").write_text("KẾ HOẠCH\nBồi dưỡng giáo viên\n", encoding="utf-8")
    writer = open_index(index_dir).writer()
    try:
        with pytest.raises(IndexLockedError):
            build_index([corpus_dir], index_dir, progress=False)
    finally:
        writer.cancel()


@pytest.mark.slow
def test_worker_pool_builds_the_same_index(
    corpus_dir: Path, tmp_path: Path, built_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("indexer.index.pipeline.POOL_MIN_DOCS", 2)
    index_dir = tmp_path / "index"
    report = build_index([corpus_dir], index_dir, progress=False, workers=2)
    assert (report.indexed, report.failed) == (5, ())
    assert load_documents(index_dir) == load_documents(built_index)
    for query in ("phổ cập giáo dục", '"xoá mù chữ"', "an toan", "hòa nhập OR 29-CT/TW"):
        assert ids(index_dir, query) == ids(built_index, query), query
    # The paragraphs the workers segmented were stored by the writing process.
    (index_dir / VERSION_FILE).write_text(json.dumps({"schema_version": 0}), encoding="utf-8")
    again = build_index([corpus_dir], index_dir, progress=False, workers=2)
    assert again.indexed == 5 and again.segmented_paragraphs == 0
    assert again.cached_paragraphs == report.segmented_paragraphs + report.cached_paragraphs


def test_an_unexpected_error_on_one_file_does_not_stop_the_run(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indexer.load import corpus

    decode_raw = corpus.decode_raw

    def failing(raw: corpus.RawFile) -> SourceFile:
        if raw.file.startswith("002"):
            raise RecursionError("maximum recursion depth exceeded\nwhile decoding")
        return decode_raw(raw)

    monkeypatch.setattr(corpus, "decode_raw", failing)
    report = build_index([corpus_dir], tmp_path / "index", progress=False)
    assert report.indexed == 4
    assert [(Path(p).name, r) for p, r in report.failed] == [
        (
            "002_0c8b9f1545dfa298.txt",
            "lỗi không lường trước khi xử lý tệp (RecursionError: maximum recursion depth exceeded)",
        )
    ]


def test_memory_posting_pool_yields_postings_in_whoosh_order() -> None:
    pool = MemoryPostingPool()
    # New documents first, then postings merged from an older segment (lower docnums).
    added = [
        ("pairs", "phổ cập".encode(), 3, 2.0, b"\x02"),
        ("body", "phổ".encode(), 3, 2.0, b"\x02"),
        ("body", "cập".encode(), 3, 1.0, b"\x01"),
        ("body", "phổ".encode(), 0, 1.0, b"\x01"),
        ("body", "phổ".encode(), 1, 1.0, b"\x01"),
    ]
    for item in added:
        pool.add(item)
    assert list(pool.iter_postings()) == sorted(added)
    assert pool.fieldnames == {"body", "pairs"}
    pool.cleanup()
    assert list(pool.iter_postings()) == []
