"""Prepare documents for the index (decode, extract, segment, analyse), inline or in workers.

Segmentation dominates indexing (BENCHMARKS.md: 7.7 s to segment 500 texts
against 3.7 s to extract their references), so beyond a few documents it runs
in a pool of worker processes that load the segmentation model once each and
are fed whole files (raw bytes); each worker also decodes, extracts the
references and runs the field analysers, so the process that writes the index
only copies postings (:mod:`indexer.index.docfields`). Results come back in
submission order to that one writing process. Workers read the paragraph
cache but never write it: the paragraphs they segmented travel back with each
result and the writing process stores them.

>>> from indexer.segment.segmenter import Segmenter
>>> from indexer.models import SourceFile
>>> source = SourceFile("/x/a.txt", "a.txt", "a.txt", "KẾ HOẠCH\\nphổ cập giáo dục", "0", "utf-8")
>>> with Preparer(Segmenter(), None, workers=1) as preparer:
...     [p.doc_id for p in preparer.submit("a", source)] + [p.doc_id for p in preparer.finish()]
['a']
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from whoosh.fields import Schema

from indexer.errors import UnreadableFileError
from indexer.index.docfields import analysed, document_fields
from indexer.index.schema import build_schema
from indexer.load import corpus
from indexer.load.corpus import RawFile
from indexer.messages import say
from indexer.models import SourceFile
from indexer.segment.segmenter import Segmenter, load_model

log = logging.getLogger(__name__)

# Below this many documents to (re-)index, starting worker processes costs more than it saves.
POOL_MIN_DOCS = 8
# Documents in flight per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 4
# How often a worker checks that the indexing process is still alive.
ORPHAN_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Prepared:
    """One document ready for the index writer, or the one-line reason it is not."""

    doc_id: str
    path: str
    fields: dict[str, Any] | None  # whoosh field values, full-text fields analysed
    error: str | None = None
    segmented: int = 0  # paragraphs that went through the segmenter
    cached: int = 0  # paragraphs served from the cache
    new_entries: tuple[tuple[str, tuple[int, ...]], ...] = ()


@cache
def _schema() -> Schema:
    return build_schema()


def prepare(segmenter: Segmenter, doc_id: str, item: RawFile | SourceFile) -> Prepared:
    """Decode, extract, segment and analyse one document; never raises for a bad document."""
    from indexer.extract.extractor import extract

    before = (segmenter.segmented_paragraphs, segmenter.cached_paragraphs)
    try:
        source = corpus.decode_raw(item) if isinstance(item, RawFile) else item
        extraction = extract(source.text)
        segmentation = segmenter.segment(source.text)
        fields = analysed(_schema(), document_fields(doc_id, source, extraction, segmentation))
    except UnreadableFileError as err:
        return Prepared(doc_id, item.path, None, error=err.message)
    except Exception as err:  # one bad file must not stop the run
        log.debug("cannot prepare %s", item.path, exc_info=True)
        detail = (f"{type(err).__name__}: {err}".splitlines() or [type(err).__name__])[0]
        return Prepared(doc_id, item.path, None, error=say("file.unexpected", detail=detail))
    return Prepared(
        doc_id,
        item.path,
        fields,
        segmented=segmenter.segmented_paragraphs - before[0],
        cached=segmenter.cached_paragraphs - before[1],
    )


_worker_segmenter: Segmenter | None = None


def _exit_when_orphaned(parent: int) -> None:
    """End this worker once its parent is gone (a SIGKILLed ``vanban index``).

    A pool worker blocks on its task queue, whose pipe it shares with the dead
    parent, so without this it would wait forever holding the underthesea model.
    """
    while os.getppid() == parent:
        time.sleep(ORPHAN_POLL_SECONDS)
    os._exit(0)


def _init_worker(cache_dir: str | None) -> None:
    global _worker_segmenter
    parent = os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    _worker_segmenter = Segmenter(cache_dir, read_only=True)
    load_model()  # once per worker, before the first document
    _schema()


def _prepare_in_worker(doc_id: str, source: RawFile | SourceFile) -> Prepared:
    assert _worker_segmenter is not None, "worker not initialised"
    prepared = prepare(_worker_segmenter, doc_id, source)
    return replace(prepared, new_entries=tuple(_worker_segmenter.take_new_entries()))


class Preparer:
    """Turns submitted documents into :class:`Prepared` ones, in submission order."""

    def __init__(self, segmenter: Segmenter, cache_dir: str | Path | None, workers: int) -> None:
        self._segmenter = segmenter
        self._cache_dir = str(cache_dir) if cache_dir is not None else None
        self._workers = max(1, workers)
        self._buffer: list[tuple[str, RawFile | SourceFile]] = []
        self._pending: deque[tuple[str, RawFile | SourceFile, Future[Prepared]]] = deque()
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, doc_id: str, source: RawFile | SourceFile) -> Iterator[Prepared]:
        """Queue one document; yields whatever is ready (possibly nothing)."""
        if self._pool is None:
            if self._workers == 1:
                yield prepare(self._segmenter, doc_id, source)
                return
            self._buffer.append((doc_id, source))
            if len(self._buffer) < POOL_MIN_DOCS:
                return
            self._start_pool()
            buffered, self._buffer = self._buffer, []
            for item in buffered:
                yield from self._submit_to_pool(*item)
            return
        yield from self._submit_to_pool(doc_id, source)

    def finish(self) -> Iterator[Prepared]:
        """Everything still queued, in order."""
        buffered, self._buffer = self._buffer, []
        for doc_id, source in buffered:
            yield prepare(self._segmenter, doc_id, source)
        while self._pending:
            yield self._collect(*self._pending.popleft())

    def _start_pool(self) -> None:
        self._segmenter.commit()  # workers see every paragraph cached so far
        log.info("segmenting in %d worker processes", self._workers)
        self._pool = ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_init_worker,
            initargs=(self._cache_dir,),
        )

    def _submit_to_pool(self, doc_id: str, source: RawFile | SourceFile) -> Iterator[Prepared]:
        assert self._pool is not None
        try:
            future = self._pool.submit(_prepare_in_worker, doc_id, source)
        except RuntimeError as err:  # a broken pool: carry on in this process
            log.warning("worker pool failed (%s); segmenting in this process", err)
            self._workers = 1
            yield prepare(self._segmenter, doc_id, source)
            return
        self._pending.append((doc_id, source, future))
        while self._pending and (
            self._pending[0][2].done() or len(self._pending) > self._workers * IN_FLIGHT_PER_WORKER
        ):
            yield self._collect(*self._pending.popleft())

    def _collect(
        self, doc_id: str, source: RawFile | SourceFile, future: Future[Prepared]
    ) -> Prepared:
        try:
            prepared = future.result()
        except Exception as err:  # a worker died: redo this document here
            log.warning("worker failed on %s (%s); segmenting it in this process", doc_id, err)
            return prepare(self._segmenter, doc_id, source)
        self._segmenter.add_entries(list(prepared.new_entries))
        return prepared

    def close(self) -> None:
        """Stop the workers (pending documents are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending.clear()

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
