"""The index and graph a web process serves: a pool of searchers and one graph.

``create_app`` makes one :class:`Backend`. Every request calls :meth:`Backend.sync`
once, which reads a cheap stamp of the index (schema/creation id, whoosh
generation, graph file time) and, when it changed, loads the new graph and
swaps it in as one immutable :class:`GraphState`; the request keeps the state it
started with (``flask.g``), so a reload never mixes two graphs in one page.

whoosh readers seek and read their own file objects, so one searcher must not
serve two threads at once. Instead of one searcher behind a lock, the backend
leases :class:`indexer.search.searcher.Searcher` objects from a small pool: a thread
takes one, uses it alone and gives it back; a searcher is reopened
(``Searcher.refresh``) only when the index stamp moved since it last looked.
Recent search pages are cached per index stamp.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from flask import g, has_request_context

from indexer.errors import IndexMissingError, VanbanError
from indexer.graph import citation_graph as graphlib
from indexer.index.store import TOC_PREFIX, TOC_SUFFIX, index_version
from indexer.models import IndexedDocument
from indexer.search.searcher import Searcher, SearchPage, StoredDocument
from web.messages import t

log = logging.getLogger(__name__)

DEFAULT_SEARCHERS = 4
DEFAULT_CACHE_SIZE = 256
# Graph exports remembered per index stamp, at most this many and this many bytes:
# a whole-graph export is ~10 MB per format at 2,000 documents and grows with N.
EXPORT_CACHE_SIZE = 8
EXPORT_CACHE_BYTES = 48_000_000

Stamp = tuple[Any, ...]

# How long a request waits for another thread's graph reload before it answers
# from the previous graph.
RELOAD_WAIT_SECONDS = 10.0


def index_stamp(index_dir: Path) -> Stamp:
    """What changes when ``vanban index`` commits: (version, creation id, generation, graph).

    A few stat calls and one small read; no whoosh object is opened.
    """
    try:
        names = os.listdir(index_dir)
    except OSError:
        names = []
    generation = -1
    for name in names:
        middle = name[len(TOC_PREFIX) : -len(TOC_SUFFIX)]
        if name.startswith(TOC_PREFIX) and name.endswith(TOC_SUFFIX) and middle.isdigit():
            generation = max(generation, int(middle))
    return (*index_version(index_dir), generation, graph_stamp(index_dir))


def graph_stamp(index_dir: Path) -> int:
    """Modification time of the saved graph (0 if absent)."""
    try:
        return (index_dir / graphlib.GRAPH_FILE).stat().st_mtime_ns
    except OSError:
        return 0


@dataclass(frozen=True)
class GraphState:
    """One loaded graph, never mutated after it is built; swapped whole on reload."""

    graph: nx.DiGraph
    doc_nodes: dict[str, str]
    stamp: Stamp
    generation: int

    @classmethod
    def load(cls, index_dir: Path, stamp: Stamp, generation: int) -> GraphState:
        graph = graphlib.load_graph(index_dir)
        doc_nodes = {
            str(data["doc_id"]): str(node)
            for node, data in graph.nodes(data=True)
            if data.get("doc_id")
        }
        log.info(
            "graph loaded from %s: %d nodes, %d edges",
            index_dir,
            graph.number_of_nodes(),
            graph.number_of_edges(),
        )
        return cls(graph, doc_nodes, stamp, generation)


@dataclass
class _Slot:
    """A pooled searcher and the index stamp it was last brought up to date with."""

    searcher: Searcher
    stamp: Stamp


@dataclass
class _Cache:
    """A small LRU of values computed for one index stamp.

    With ``max_bytes`` the values are ``bytes`` and their total length stays
    within it; a larger value is not kept.
    """

    size: int
    max_bytes: int | None = None
    stamp: Stamp | None = None
    items: OrderedDict[Any, Any] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    held: int = 0  # bytes held, when max_bytes is set

    def get(self, stamp: Stamp, key: Any) -> Any:
        with self.lock:
            if stamp != self.stamp or key not in self.items:
                return None
            self.items.move_to_end(key)
            return self.items[key]

    def put(self, stamp: Stamp, key: Any, value: Any) -> None:
        if self.size <= 0 or (self.max_bytes is not None and len(value) > self.max_bytes):
            return
        with self.lock:
            if stamp != self.stamp:
                self.items.clear()
                self.stamp, self.held = stamp, 0
            if key in self.items:
                self.held -= self._bytes(self.items.pop(key))
            self.items[key] = value
            self.held += self._bytes(value)
            while len(self.items) > self.size or (
                self.max_bytes is not None and self.held > self.max_bytes
            ):
                self.held -= self._bytes(self.items.popitem(last=False)[1])

    def _bytes(self, value: Any) -> int:
        return len(value) if self.max_bytes is not None else 0


class Backend:
    """Pooled searchers + the current graph for one index directory."""

    def __init__(
        self,
        index_dir: Path,
        corpus_dir: Path,
        *,
        searchers: int = DEFAULT_SEARCHERS,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.corpus_dir = Path(corpus_dir)
        self._state: GraphState | None = None
        self._reload = threading.Lock()
        self._pool_lock = threading.Lock()
        self._idle: list[_Slot] = []
        self._seats = threading.BoundedSemaphore(max(1, searchers))
        self._cache = _Cache(cache_size)
        self._exports = _Cache(EXPORT_CACHE_SIZE if cache_size > 0 else 0, EXPORT_CACHE_BYTES)

    # -- the graph ---------------------------------------------------------

    def open(self) -> None:
        """Open a searcher and the graph now; raises ``IndexMissingError`` if absent."""
        self.sync()
        with self.lease():
            pass

    def sync(self) -> GraphState:
        """The graph for the index as it is now, reloaded if the index changed.

        One thread reloads; the others wait for it (up to RELOAD_WAIT_SECONDS,
        then answer from the previous graph). A graph that cannot be read (a
        rebuild in progress) leaves the previous one in place.
        """
        stamp = index_stamp(self.index_dir)
        state = self._state
        if state is not None and state.stamp == stamp:
            return state
        # Wait for a reload another thread is doing, so that a request made after
        # `vanban index` finished sees the new index; only a reload slower than
        # RELOAD_WAIT_SECONDS (a very large graph) is answered from the old one.
        if not self._reload.acquire(timeout=-1 if state is None else RELOAD_WAIT_SECONDS):
            assert state is not None
            return state
        try:
            current = self._state
            if current is not None and current.stamp == stamp:
                return current
            if current is not None and current.stamp[-1] == stamp[-1]:
                # The index committed but the graph file is the same (it is saved
                # after the commit): keep the graph, take the new stamp.
                self._state = GraphState(
                    current.graph, current.doc_nodes, stamp, current.generation
                )
                return self._state
            generation = current.generation + 1 if current else 1
            try:
                self._state = GraphState.load(self.index_dir, stamp, generation)
            except VanbanError as err:
                if current is None:
                    raise
                log.warning("keeping the previous graph: %s", err)
                return current
            if current is not None:
                log.info("index changed on disk; graph generation %d", generation)
            return self._state
        finally:
            self._reload.release()

    @property
    def state(self) -> GraphState:
        """The graph state of the current request (fixed when it began), else the latest."""
        if has_request_context() and "vanban_state" in g:
            request_state: GraphState = g.vanban_state
            return request_state
        if self._state is None:
            raise IndexMissingError(t("error.graph_closed", path=self.index_dir))
        return self._state

    @property
    def graph(self) -> nx.DiGraph:
        return self.state.graph

    @property
    def generation(self) -> int:
        """Bumped each time the graph is (re)loaded."""
        return self._state.generation if self._state else 0

    def node_for_doc(self, doc_id: str) -> str | None:
        """The graph node of a corpus document, if the graph has it."""
        return self.state.doc_nodes.get(doc_id)

    def stats(self) -> dict[str, Any]:
        """Counts shown on the home page."""
        state = self.state
        return {
            "documents": len(state.doc_nodes),
            "nodes": state.graph.number_of_nodes(),
            "edges": state.graph.number_of_edges(),
        }

    # -- the searchers -----------------------------------------------------

    @contextmanager
    def lease(self) -> Iterator[Searcher]:
        """A searcher for this thread alone, up to date with the index stamp."""
        stamp = self.state.stamp if self._state is not None else index_stamp(self.index_dir)
        with self._seats:
            with self._pool_lock:
                slot = self._idle.pop() if self._idle else None
            if slot is None:
                slot = _Slot(Searcher(self.index_dir), stamp)
            elif slot.stamp != stamp:
                try:
                    slot.searcher.refresh()
                    slot.stamp = stamp
                except VanbanError as err:  # a rebuild in progress: answer from the old one
                    log.warning("keeping the previous searcher: %s", err)
            try:
                yield slot.searcher
            finally:
                with self._pool_lock:
                    self._idle.append(slot)

    def search(self, query: str, **options: Any) -> SearchPage:
        """``Searcher.search`` on a leased searcher; recent pages come from a cache."""
        stamp = self.state.stamp if self._state is not None else None
        key = (query, tuple(sorted((k, repr(v)) for k, v in options.items())))
        cached = self._cache.get(stamp, key) if stamp else None
        if cached is not None:
            page: SearchPage = cached
            return page
        with self.lease() as searcher:
            page = searcher.search(query, **options)
        if stamp:
            self._cache.put(stamp, key, page)
        return page

    def document(self, doc_id: str) -> StoredDocument:
        """``Searcher.document`` on a leased searcher (NotFoundError if unknown)."""
        with self.lease() as searcher:
            return searcher.document(doc_id)

    def newest(self, limit: int) -> tuple[list[IndexedDocument], int]:
        """``Searcher.newest``: the newest documents and the total, read once per index stamp."""
        stamp = self.state.stamp if self._state is not None else None
        key = ("newest", limit)
        cached = self._cache.get(stamp, key) if stamp else None
        if cached is not None:
            found: tuple[list[IndexedDocument], int] = cached
            return found
        with self.lease() as searcher:
            found = searcher.newest(limit)
        if stamp:
            self._cache.put(stamp, key, found)
        return found

    def export(self, key: Any, compute: Callable[[], bytes]) -> bytes:
        """An export payload for ``key``, computed once per index stamp."""
        stamp = self.state.stamp
        cached = self._exports.get(stamp, key)
        if cached is not None:
            payload: bytes = cached
            return payload
        payload = compute()
        self._exports.put(stamp, key, payload)
        return payload

    def close(self) -> None:
        """Close every idle searcher."""
        with self._pool_lock:
            slots, self._idle = self._idle, []
        for slot in slots:
            slot.searcher.close()
