"""Corpus -> whoosh index, incremental by content hash, then the citation graph.

Unchanged files (same sha256 as the indexed copy) are skipped before anything
is segmented; changed files are re-indexed; documents whose files are gone are
removed. Each document's :class:`~indexer.models.Extraction` is stored as JSON,
so the graph is rebuilt from the index without the segmenter.

Interrupted runs (SIGKILL at any moment) are safe: every change of one run is
one whoosh commit (a new table of contents, renamed into place), so readers see
the old index or the new one. What is indexed is read back from the index
itself (a sha256 per document), and ``graph-stamp.json`` records the index
generation the graph was built from, so the next run redoes whatever the killed
one did not finish, graph included. An index that cannot be opened any more is
rebuilt from the files (the paragraph cache is kept).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm
from whoosh.index import Index
from whoosh.writing import SegmentWriter

from indexer.errors import (
    UnreadableFileError,
)
from indexer.index.pipeline import Prepared, Preparer
from indexer.index.store import (
    arm_toc_kill,
    closing_leaked_files,
    collect_leaked_files,
    forget_folders,
    index_version,
    kill_point,
    load_documents,
    open_or_create,
    read_columns,
    remember_folders,
    remembered_folders,
    wipe,
    write_json,
)
from indexer.index.writelock import open_writer, release_note
from indexer.internals.whoosh_private import speed_up_writer
from indexer.messages import say
from indexer.models import FailedFile, IndexedDocument
from indexer.segment.segmenter import Segmenter

log = logging.getLogger(__name__)

__all__ = [
    "GRAPH_STAMP_FILE",
    "MAX_FILE_BYTES",
    "IndexReport",
    "build_index",
    "default_workers",
    "RemoveReport",
    "refresh_index",
    "remove_documents",
]

# The index (creation id, generation) the saved graph was built from.
GRAPH_STAMP_FILE = "graph-stamp.json"
# Files larger than this are refused, not read (``vanban index --max-bytes``):
# reading a 30 MB text file took 25 s, indexing it 65 s with most paragraphs cached (issue 7).
MAX_FILE_BYTES = 20_000_000
# The paragraph cache is committed every this many documents, so that a killed
# run keeps most of its segmentation work.
CACHE_COMMIT_DOCS = 25


@dataclass(frozen=True)
class IndexReport:
    """What one ``build_index`` run did."""

    indexed: int
    skipped: int
    removed: int
    failed: tuple[tuple[str, str], ...]  # (path, one-line reason)
    segmented_paragraphs: int
    cached_paragraphs: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``failed`` as a list of {path, reason})."""
        data = asdict(self)
        data["failed"] = [{"path": p, "reason": r} for p, r in self.failed]
        return data


class _LazyWriter:
    """Opens the whoosh writer on the first change, so a no-op run writes nothing."""

    def __init__(self, ix: Index, index_dir: Path) -> None:
        self._ix, self._index_dir = ix, index_dir
        self._writer: SegmentWriter | None = None

    def get(self) -> SegmentWriter:
        if self._writer is None:
            self._writer = speed_up_writer(open_writer(self._ix, self._index_dir))
        return self._writer

    def finish(self, commit: bool) -> None:
        if self._writer is not None:
            release_note(self._index_dir)
            self._writer.commit() if commit else self._writer.cancel()
            self._writer = None


def default_workers() -> int:
    """Worker processes for segmentation: $VANBAN_WORKERS, else one per CPU core."""
    env = os.environ.get("VANBAN_WORKERS", "")
    return int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)


def build_index(
    paths: Sequence[str | Path],
    index_dir: str | Path,
    *,
    progress: bool = True,
    workers: int | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
) -> IndexReport:
    """Index every readable file under ``paths`` into ``index_dir`` (incrementally).

    A file that cannot be read or processed, or is larger than ``max_bytes``
    (None: no limit), is reported in ``failed`` with a one-line reason; the
    rest is indexed. Segmentation runs in ``workers`` processes (default
    :func:`default_workers`) when there is enough to do.

    Indexing adds and updates; it removes only the documents whose files were
    under ``paths`` and are gone, never a document indexed from elsewhere.
    The paths are remembered (:func:`~indexer.index.store.remembered_folders`)
    for :func:`refresh_index`.

    Raises:
        CorpusError: a path does not exist or cannot be read (nothing is changed).
        IndexLockedError: another live process is writing the index.
    """
    from indexer.load.corpus import check_paths, doc_id_for, is_under, iter_files, read_raw

    started = time.perf_counter()
    roots = check_paths(paths)
    index_dir = Path(index_dir)
    arm_toc_kill()
    ix, docs = _open_with_documents(index_dir)
    indexed_sha = {d.doc_id: d.sha256 for d, _ in docs}
    indexed_paths = {path: (d.doc_id, d.sha256) for d, path in docs}
    in_scope = {d.doc_id for d, path in docs if is_under(path, roots)}
    # Documents of other folders: their ids are taken (issue 14: ids are not yet
    # unique across folders, so a same-named file must not replace one of them).
    elsewhere = {d.doc_id: path for d, path in docs if d.doc_id not in in_scope}
    writer = _LazyWriter(ix, index_dir)
    seen: set[str] = set()
    failed: list[tuple[str, str]] = []
    indexed = skipped = removed = segmented = cached = 0

    def write(prepared: Prepared) -> None:
        nonlocal indexed, segmented, cached
        segmented += prepared.segmented
        cached += prepared.cached
        if prepared.error is not None or prepared.fields is None:
            failed.append((prepared.path, prepared.error or say("file.unprocessed")))
            return
        writer.get().update_document(**prepared.fields)
        indexed += 1
        if indexed % CACHE_COMMIT_DOCS == 0:
            segmenter.commit()
        kill_point(f"doc:{indexed}")

    with (
        Segmenter(index_dir) as segmenter,
        Preparer(segmenter, index_dir, workers or default_workers()) as preparer,
    ):
        try:
            files = tqdm(iter_files(paths), desc="vanban index", unit=" tệp", disable=not progress)
            for found in files:
                if isinstance(found, FailedFile):
                    failed.append((found.path, found.reason))
                    continue
                # An unchanged file is recognised by its bytes, before decoding it.
                known = indexed_paths.get(str(found[0].resolve()))
                if known and known[0] not in seen and known[1] == _sha256_of(found[0]):
                    seen.add(known[0])
                    skipped += 1
                    continue
                try:
                    item = read_raw(*found, max_bytes=max_bytes)
                except UnreadableFileError as err:
                    failed.append((str(found[0]), err.message))
                    continue
                except Exception as err:  # one bad file must not stop the run
                    log.debug("cannot read %s", found[0], exc_info=True)
                    failed.append((str(found[0]), say("file.unexpected", detail=_one_line(err))))
                    continue
                doc_id = doc_id_for(item.rel_path)
                if doc_id in seen or elsewhere.get(doc_id, item.path) != item.path:
                    failed.append((item.path, say("index.duplicate_id", doc_id=doc_id)))
                    continue
                seen.add(doc_id)
                if indexed_sha.get(doc_id) == item.sha256:
                    skipped += 1
                    continue
                for prepared in preparer.submit(doc_id, item):
                    write(prepared)
            for prepared in preparer.finish():
                write(prepared)
            for doc_id in sorted(in_scope - seen):
                writer.get().delete_by_term("doc_id", doc_id)
                removed += 1
        except BaseException:
            writer.finish(commit=False)
            raise
        writer.finish(commit=bool(indexed or removed))
    if indexed or removed:
        kill_point("commit")
    remember_folders(index_dir, roots)
    _save_graph(index_dir, ix)
    seconds = round(time.perf_counter() - started, 3)
    log.info("indexed %d, skipped %d, removed %d in %.2f s", indexed, skipped, removed, seconds)
    return IndexReport(indexed, skipped, removed, tuple(failed), segmented, cached, seconds)


def _open_with_documents(index_dir: Path) -> tuple[Index, list[tuple[IndexedDocument, str]]]:
    """The index to update and its documents; a damaged index is rebuilt from scratch."""
    ix = open_or_create(index_dir)
    with closing_leaked_files():
        try:
            with ix.searcher() as searcher:
                return ix, read_columns(searcher, extraction=False, paths=True)
        except Exception as err:  # whoosh raises many kinds on a damaged segment
            failure = _one_line(err)
    collect_leaked_files()
    log.warning("index at %s is damaged (%s); rebuilding it", index_dir, failure)
    wipe(index_dir)
    return open_or_create(index_dir), []


def _one_line(err: BaseException) -> str:
    return (f"{type(err).__name__}: {err}".splitlines() or [type(err).__name__])[0]


def _save_graph(index_dir: Path, ix: Index) -> None:
    """Rebuild the graph unless it was built from this very index generation."""
    from indexer.graph import citation_graph as graph

    stamp = {"created": index_version(index_dir)[1], "generation": ix.latest_generation()}
    try:
        graph.load_graph(index_dir)
        if _read_stamp(index_dir) == stamp:
            return
    except Exception:  # no graph yet, or an unreadable one: rebuild it
        log.debug("no usable graph in %s; building one", index_dir)
    graph.save_graph(graph.build_graph(load_documents(index_dir)), index_dir)
    kill_point("graph")
    write_json(index_dir / GRAPH_STAMP_FILE, stamp)


def _read_stamp(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((index_dir / GRAPH_STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def refresh_index(
    index_dir: str | Path, *, first: Sequence[str | Path], **options: Any
) -> IndexReport:
    """Re-index every file and folder the index remembers; ``first`` for a brand-new index.

    A remembered folder that is gone is reported in ``failed`` and its
    documents are kept (remove them explicitly). ``options`` are those of
    :func:`build_index`.
    """
    remembered = remembered_folders(index_dir)
    if not remembered:
        return build_index(first, index_dir, **options)
    present = [f for f in remembered if f.exists()]
    gone = tuple(
        (str(f), say("corpus.remembered_missing", path=str(f)))
        for f in remembered
        if not f.exists()
    )
    report = build_index(present, index_dir, **options) if present else None
    if report is None:
        return IndexReport(0, 0, 0, gone, 0, 0, 0.0)
    return replace(report, failed=gone + report.failed)


@dataclass(frozen=True)
class RemoveReport:
    """What one ``remove_documents`` call removed: the files of the documents, by doc_id."""

    removed: tuple[tuple[str, str], ...]  # (doc_id, file path)
    forgotten: tuple[str, ...]  # remembered folders no longer refreshed


def remove_documents(index_dir: str | Path, targets: Sequence[str]) -> RemoveReport:
    """Remove documents by doc_id, or every document under a file or folder path.

    A folder the index remembers is forgotten too, so ``vanban index`` no
    longer refreshes it. Every target must name something in the index;
    otherwise nothing is removed.

    Raises:
        CorpusError: a target is neither an indexed doc_id nor a path holding one.
        IndexLockedError: another live process is writing the index.
    """
    from indexer.errors import CorpusError
    from indexer.load.corpus import is_under

    index_dir = Path(index_dir)
    ix, docs = _open_with_documents(index_dir)
    by_id = {d.doc_id: path for d, path in docs}
    remembered = remembered_folders(index_dir)
    chosen: dict[str, str] = {}
    folders: list[Path] = []
    for target in targets:
        if target in by_id:
            chosen[target] = by_id[target]
            continue
        root = Path(target).expanduser().resolve()
        under = {doc_id: path for doc_id, path in by_id.items() if is_under(path, [root])}
        if not under and root not in remembered:
            raise CorpusError(say("index.remove_unknown", target=target))
        chosen.update(under)
        folders.append(root)
    writer = _LazyWriter(ix, index_dir)
    try:
        for doc_id in sorted(chosen):
            writer.get().delete_by_term("doc_id", doc_id)
    except BaseException:
        writer.finish(commit=False)
        raise
    writer.finish(commit=bool(chosen))
    forgotten = tuple(str(f) for f in forget_folders(index_dir, folders))
    _save_graph(index_dir, ix)
    log.info("removed %d documents, forgot %d folders", len(chosen), len(forgotten))
    return RemoveReport(tuple(sorted(chosen.items())), forgotten)
