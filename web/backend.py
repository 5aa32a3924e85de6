"""The index and graph a web process serves, opened once and reloaded on change.

``create_app`` makes one :class:`Backend`; each request calls :meth:`Backend.sync`,
which opens the searcher the first time and afterwards reloads the graph only
when ``Searcher.refresh()`` reports a new index generation or the saved graph
file changed.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import networkx as nx

from indexer import graph as graphlib
from indexer.errors import IndexMissingError
from indexer.models import IndexedDocument
from indexer.search import Searcher, SearchPage, StoredDocument
from web.messages import t

log = logging.getLogger(__name__)


class Backend:
    """Searcher + graph for one index directory, shared by every request."""

    def __init__(self, index_dir: Path, corpus_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self.corpus_dir = Path(corpus_dir)
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._graph: nx.DiGraph | None = None
        self._doc_nodes: dict[str, str] = {}
        self._graph_mtime = 0
        self.generation = 0  # bumped each time the graph is (re)loaded

    def open(self) -> None:
        """Open the searcher and graph now; raises ``IndexMissingError`` if absent."""
        with self._lock:
            self._open_locked()

    def _open_locked(self) -> None:
        if self._searcher is None:
            self._searcher = Searcher(self.index_dir)
            self._load_graph()

    def _graph_stamp(self) -> int:
        """Modification time of the saved graph (0 if absent)."""
        try:
            return (self.index_dir / graphlib.GRAPH_FILE).stat().st_mtime_ns
        except OSError:
            return 0

    def _load_graph(self) -> None:
        self._graph_mtime = self._graph_stamp()
        graph = graphlib.load_graph(self.index_dir)
        self._graph = graph
        self._doc_nodes = {
            str(data["doc_id"]): str(node)
            for node, data in graph.nodes(data=True)
            if data.get("doc_id")
        }
        self.generation += 1
        log.info(
            "graph loaded from %s: %d nodes, %d edges",
            self.index_dir,
            graph.number_of_nodes(),
            graph.number_of_edges(),
        )

    def sync(self) -> None:
        """Open on first use; reload the graph when the index has changed."""
        with self._lock:
            if self._searcher is None:
                self._open_locked()
            # The index commits before the graph is saved: watch both, so a request
            # between the two never leaves the old graph in place.
            elif self._searcher.refresh() or self._graph_stamp() != self._graph_mtime:
                log.info("index changed on disk; reloading the graph")
                self._load_graph()

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            raise IndexMissingError(t("error.index_closed", path=self.index_dir))
        return self._searcher

    @property
    def graph(self) -> nx.DiGraph:
        if self._graph is None:
            raise IndexMissingError(t("error.graph_closed", path=self.index_dir))
        return self._graph

    # whoosh readers seek and read shared files: one search at a time per process.
    def search(self, query: str, **options: Any) -> SearchPage:
        """``Searcher.search`` under the backend lock."""
        with self._lock:
            return self.searcher.search(query, **options)

    def document(self, doc_id: str) -> StoredDocument:
        """``Searcher.document`` under the backend lock (NotFoundError if unknown)."""
        with self._lock:
            return self.searcher.document(doc_id)

    def documents(self) -> list[IndexedDocument]:
        """``Searcher.documents`` under the backend lock."""
        with self._lock:
            return self.searcher.documents()

    def node_for_doc(self, doc_id: str) -> str | None:
        """The graph node of a corpus document, if the graph has it."""
        return self._doc_nodes.get(doc_id)

    def stats(self) -> dict[str, Any]:
        """Counts shown on the home page."""
        graph = self.graph
        return {
            "documents": len(self._doc_nodes),
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
        }
