"""vanban's library: read a folder of Vietnamese policy documents, find what each cites, index and link them.

A short primer::

    >>> from indexer.extract.extractor import extract
    >>> doc = extract("KẾ HOẠCH\\nThực hiện Chỉ thị số 29-CT/TW ngày 05/01/2024 của Bộ Chính trị\\n")
    >>> [(ref.symbol, ref.relation.value) for ref in doc.refs]
    [('29-CT/TW', 'implements')]

    # A folder, end to end (the CLI's ``vanban index`` and ``vanban search``):
    # build_index(["corpus"], "var/index"); Searcher("var/index").search("phổ cập giáo dục")
    # G = load_graph("var/index"); implementers(G, find_nodes(G, "29-CT/TW")[0]["id"])

The pipeline, one sub-package per stage (docs/ARCHITECTURE.md draws it):

    load/      files on disk -> SourceFile (decoded, normalised text)
    extract/   text -> Extraction: the document's own identity, its references
               to other documents, their relations, chains (pure functions;
               the grammar is data in grammar/*.toml)
    segment/   underthesea word segmentation -> whoosh tokens
    index/     the whoosh index on disk: schema, writer pipeline, store
    search/    queries over the index (reads the store; never the write side)
    graph/     the citation graph (networkx), its queries and its exports

``models.py`` holds the frozen dataclasses that cross stages, ``errors.py`` the
exceptions (each with a Vietnamese message for users). The library never
imports ``web`` or flask; ``indexer.cli`` is the composition root.

The names below are imported on first use, so ``import indexer.models`` stays
cheap in worker processes. ``extract`` itself is not among them: ``indexer.extract``
is the extraction package, so the verb is ``indexer.extract.extractor.extract``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_HOMES = {
    "iter_corpus": "indexer.load.corpus",
    "read_source": "indexer.load.corpus",
    "build_index": "indexer.index.indexing",
    "load_documents": "indexer.index.store",
    "Searcher": "indexer.search.searcher",
    "build_graph": "indexer.graph.citation_graph",
    "load_graph": "indexer.graph.citation_graph",
    "find_nodes": "indexer.graph.cascade",
    "implementers": "indexer.graph.cascade",
    "export_graph": "indexer.graph.export",
    "read_graph": "indexer.graph.export",
    "to_gold": "indexer.gold",
    "score": "indexer.gold",
    "normalize_text": "indexer.normalize",
    "Extraction": "indexer.models",
    "Identity": "indexer.models",
    "DocRef": "indexer.models",
    "ChainLink": "indexer.models",
    "Relation": "indexer.models",
    "Level": "indexer.models",
    "SourceFile": "indexer.models",
    "FailedFile": "indexer.models",
    "VanbanError": "indexer.errors",
}

__all__ = [
    "ChainLink",
    "DocRef",
    "Extraction",
    "FailedFile",
    "Identity",
    "Level",
    "Relation",
    "Searcher",
    "SourceFile",
    "VanbanError",
    "build_graph",
    "build_index",
    "export_graph",
    "find_nodes",
    "implementers",
    "iter_corpus",
    "load_documents",
    "load_graph",
    "normalize_text",
    "read_graph",
    "read_source",
    "score",
    "to_gold",
]

if TYPE_CHECKING:
    from indexer.errors import VanbanError
    from indexer.gold import score, to_gold
    from indexer.graph.cascade import find_nodes, implementers
    from indexer.graph.citation_graph import build_graph, load_graph
    from indexer.graph.export import export_graph, read_graph
    from indexer.index.indexing import build_index
    from indexer.index.store import load_documents
    from indexer.load.corpus import iter_corpus, read_source
    from indexer.models import (
        ChainLink,
        DocRef,
        Extraction,
        FailedFile,
        Identity,
        Level,
        Relation,
        SourceFile,
    )
    from indexer.normalize import normalize_text
    from indexer.search.searcher import Searcher


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
