"""The private-API door (indexer/internals/): vanban's writer against whoosh's own.

:func:`indexer.internals.whoosh_private.speed_up_writer` promises that the index
written is the same, posting for posting, as whoosh's stock writer's. Here the
repo's text fixtures (the seeds, the markup document of the web tests, the
held-out documents and every case snippet of tests/data/cases) are indexed
twice through the same pipeline: once with vanban's pooled writer and postings
analysed ahead, once with whoosh's stock writer, ``FieldType.index`` and
plain field values. Then one file is changed, one removed and one added, and
both indexes are updated (a second segment), then merged into one segment
(whoosh's ``optimize``, which reads every posting back into the pool). After
each step every field's every term, posting list, term statistics,
field lengths, stored fields and columns must be identical.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_corpus import make_corpus
from whoosh import index as whoosh_index
from whoosh.fields import ID, FieldType

from indexer.index import indexing, pipeline
from indexer.index.indexing import build_index
from indexer.internals import whoosh_private
from indexer.internals.whoosh_private import speed_up_writer

DATA = Path(__file__).parent / "data"
# Case snippets at least this long become documents of their own.
MIN_SNIPPET_CHARS = 40
MAX_DIFFS_SHOWN = 20

Snapshot = dict[str, Any]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _fixture_corpus(root: Path) -> Path:
    """Every text fixture of the repo under one root (tests never read ../shared)."""
    make_corpus(root)
    shutil.copytree(DATA / "heldout" / "docs", root / "heldout")
    cases = root / "cases"
    cases.mkdir()
    for toml in sorted((DATA / "cases").glob("*.toml")):
        snippets = [s for s in _strings(tomllib.loads(toml.read_text("utf-8")))]
        for n, text in enumerate(s for s in snippets if len(s) >= MIN_SNIPPET_CHARS):
            (cases / f"{toml.stem}_{n:03d}.txt").write_text(text, encoding="utf-8")
    return root


def _change_corpus(root: Path) -> None:
    """One file changed, one removed, one added."""
    first = sorted((root / "heldout").glob("*.txt"))[0]
    first.write_text(
        first.read_text("utf-8") + "\n\nBổ sung: phổ cập giáo dục mầm non cho trẻ 5 tuổi.\n",
        encoding="utf-8",
    )
    sorted(root.glob("*.txt"))[-1].unlink()
    (root / "cases" / "zz_added.txt").write_text(
        "KẾ HOẠCH\nThực hiện Chỉ thị số 29-CT/TW ngày 05/01/2024 về xoá mù chữ.\n",
        encoding="utf-8",
    )


def _stock_build(corpus: Path, index_dir: Path) -> None:
    """The same pipeline with whoosh's own writer, FieldType.index and plain values."""
    with pytest.MonkeyPatch.context() as mp:
        stock_index = getattr(FieldType.index, "__wrapped__", FieldType.index)
        mp.setattr(FieldType, "index", stock_index)
        mp.setattr(indexing, "speed_up_writer", lambda writer: writer)
        mp.setattr(pipeline, "analysed", lambda schema, fields: fields)
        report = build_index([corpus], index_dir, progress=False, workers=1)
    assert not report.failed, report.failed


def _vanban_build(corpus: Path, index_dir: Path) -> None:
    report = build_index([corpus], index_dir, progress=False, workers=1)
    assert not report.failed, report.failed


def _merge(index_dir: Path, *, pooled: bool) -> None:
    """Add a document and merge every segment into one (``optimize``), with either writer.

    The merged segments' postings reach the pool after the new document's, so
    a term's docnums arrive out of order.
    """
    ix = whoosh_index.open_dir(str(index_dir))
    writer = ix.writer()
    if pooled:
        writer = speed_up_writer(writer)
    writer.add_document(doc_id="zz-merged", title="Kế hoạch", kind_key="ke hoach", year="2024")
    writer.commit(optimize=True)
    ix.close()


def snapshot(index_dir: Path) -> Snapshot:
    """Everything a reader sees of the index, docnums replaced by doc_id."""
    ix = whoosh_index.open_dir(str(index_dir))
    out: Snapshot = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        schema = ix.schema
        out["schema"] = [(name, type(schema[name]).__name__) for name in schema.names()]
        out["doc_count"] = reader.doc_count()
        out["segments"] = len(list(reader.leaf_readers()))
        doc_ids = {d: reader.stored_fields(d)["doc_id"] for d in reader.all_doc_ids()}
        scorable = [name for name in schema.names() if schema[name].scorable]
        for name in scorable:
            out[f"total length {name}"] = reader.field_length(name)
            out[f"max length {name}"] = reader.max_field_length(name)
        for fieldname, text in reader.all_terms():
            key = f"{fieldname} {text!r}"
            info = reader.term_info(fieldname, text)
            out[f"terminfo {key}"] = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
            )
            rows = []
            matcher = reader.postings(fieldname, text)
            while matcher.is_active():
                rows.append((doc_ids[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            out[f"postings {key}"] = sorted(rows)
        columns = [name for name in schema.names() if schema[name].column_type]
        readers = {name: reader.column_reader(name) for name in columns}
        for docnum, doc_id in doc_ids.items():
            for name, value in reader.stored_fields(docnum).items():
                out[f"stored {name} {doc_id}"] = value
            for name in scorable:
                out[f"length {name} {doc_id}"] = reader.doc_field_length(docnum, name)
            for name in columns:
                out[f"column {name} {doc_id}"] = readers[name][docnum]
    ix.close()
    return out


def diff_snapshots(stock: Snapshot, ours: Snapshot) -> list[str]:
    """Every key whose value differs, or that only one side has."""
    diffs = []
    for key in sorted(stock.keys() | ours.keys()):
        if key not in ours:
            diffs.append(f"only in whoosh's index: {key}")
        elif key not in stock:
            diffs.append(f"only in vanban's index: {key}")
        elif stock[key] != ours[key]:
            diffs.append(f"{key}: whoosh {stock[key]!r:.200} != vanban {ours[key]!r:.200}")
    return diffs


def assert_same(stock: Snapshot, ours: Snapshot) -> None:
    diffs = diff_snapshots(stock, ours)
    shown = "\n".join(diffs[:MAX_DIFFS_SHOWN])
    assert not diffs, f"{len(diffs)} differences between whoosh's writer and vanban's:\n{shown}"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Snapshot]]:
    """Snapshots of both indexes after the first run and after the incremental one."""
    base = tmp_path_factory.mktemp("internals")
    corpus = _fixture_corpus(base / "corpus")  # one folder: the stored paths are the same
    out: dict[str, Snapshot] = {}
    _stock_build(corpus, base / "stock")
    _vanban_build(corpus, base / "ours")
    out["stock"], out["ours"] = snapshot(base / "stock"), snapshot(base / "ours")
    _change_corpus(corpus)
    _stock_build(corpus, base / "stock")
    _vanban_build(corpus, base / "ours")
    out["stock 2"], out["ours 2"] = snapshot(base / "stock"), snapshot(base / "ours")
    _merge(base / "stock", pooled=False)
    _merge(base / "ours", pooled=True)
    out["stock 3"], out["ours 3"] = snapshot(base / "stock"), snapshot(base / "ours")
    yield out


@pytest.mark.slow  # 159 documents indexed both ways, updated and merged: ~17 s
def test_the_fixtures_are_enough_to_mean_something(builds: dict[str, Snapshot]) -> None:
    stock = builds["stock"]
    assert stock["doc_count"] > 150
    assert sum(key.startswith("postings ") for key in stock) > 10_000
    fields = {key.split(" ")[1] for key in stock if key.startswith("postings ")}
    assert {"body", "body_folded", "words_folded", "pairs", "pairs_folded", "doc_id"} <= fields
    assert builds["stock 2"]["doc_count"] == stock["doc_count"]  # one removed, one added
    assert builds["stock 2"]["segments"] == builds["ours 2"]["segments"] == 2
    # Merged: the pool took every posting back from the segments, deletions left out.
    assert builds["stock 3"]["segments"] == builds["ours 3"]["segments"] == 1


@pytest.mark.slow  # 159 documents indexed both ways, updated and merged: ~17 s
def test_vanban_writes_what_whoosh_writes(builds: dict[str, Snapshot]) -> None:
    assert_same(builds["stock"], builds["ours"])


@pytest.mark.slow  # 159 documents indexed both ways, updated and merged: ~17 s
def test_vanban_updates_as_whoosh_updates(builds: dict[str, Snapshot]) -> None:
    assert builds["ours 2"] != builds["ours"]
    assert_same(builds["stock 2"], builds["ours 2"])


@pytest.mark.slow  # 159 documents indexed both ways, updated and merged: ~17 s
def test_vanban_merges_as_whoosh_merges(builds: dict[str, Snapshot]) -> None:
    assert_same(builds["stock 3"], builds["ours 3"])


@pytest.mark.slow  # 159 documents indexed both ways, updated and merged: ~17 s
def test_the_comparison_sees_an_altered_posting(builds: dict[str, Snapshot]) -> None:
    stock = builds["stock"]
    key = next(k for k in sorted(stock) if k.startswith("postings body "))
    doc_id, weight, value = stock[key][0]
    for altered_row in [(doc_id, weight + 1, value), (doc_id + "x", weight, value)]:
        altered = {**stock, key: [altered_row, *stock[key][1:]]}
        assert diff_snapshots(stock, altered) == [
            f"{key}: whoosh {stock[key]!r:.200} != vanban {altered[key]!r:.200}"
        ]
        with pytest.raises(AssertionError, match="1 differences"):
            assert_same(stock, altered)
    dropped = {k: v for k, v in stock.items() if k != key}
    assert diff_snapshots(stock, dropped) == [f"only in whoosh's index: {key}"]


def test_the_analysed_values_patch_is_installed_once_and_keeps_whoosh_s() -> None:
    whoosh_private.accept_analysed_values()
    patched = FieldType.index
    whoosh_private.accept_analysed_values()
    assert FieldType.index is patched
    stock = patched.__wrapped__  # type: ignore[attr-defined]
    assert not hasattr(stock, "__wrapped__")
    field = ID()  # a plain value is indexed as whoosh's own method indexes it
    assert list(field.index("29-CT/TW")) == list(stock(field, "29-CT/TW"))
