"""The citation graph: corpus documents and the documents they name, as a DiGraph.

``build_graph`` turns stored extractions into a networkx ``DiGraph``; it never
needs the segmenter, so the index rebuilds it cheaply. Nodes are documents
keyed by identity (see :mod:`indexer.graph.clusters`); an edge ``u -> v`` says that ``u``
implements, is based on, or cites ``v``:

- a reference of corpus document ``d`` gives ``d -> ref``;
- a chain stated by ``d`` ("Kế hoạch số 232-KH/TU … thực hiện Chỉ thị số
  29-CT/TW") gives ``232-KH/TU -> 29-CT/TW``, attributed to ``d``.

Every attribute is a str, bool, int or (``asserted_by``) a list of doc ids;
unknown values are "" so the web and the exporters never meet ``None``.
The queries live in :mod:`indexer.graph.cascade` and are re-exported here.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from indexer.errors import IndexCorruptError, IndexMissingError
from indexer.extract.symbols import symbol_key
from indexer.graph.clusters import Cluster, Record, name_key, resolve
from indexer.messages import say, vi
from indexer.models import ChainLink, DocRef, IndexedDocument, NamedRef, Relation

log = logging.getLogger(__name__)

__all__ = ["GRAPH_FILE", "build_graph", "load_graph", "save_graph"]

GRAPH_FILE = "graph.pickle"
# Bump when the node or edge attributes change: an older file is then rebuilt.
GRAPH_FORMAT = 1
REBUILD_COMMAND = "vanban index --index {index_dir}"
_STRENGTH = {r: r.strength for r in Relation}


@dataclass(frozen=True)
class _Assertion:
    """One statement that ``source`` relates to ``target``, made by a corpus document."""

    relation: Relation
    evidence: str
    asserted_by: str
    mentions: int
    direct: bool  # the asserting document is the source itself


def _corpus_record(doc: IndexedDocument) -> Record:
    """The document's own identity as a record (its symbol may be "")."""
    ident = doc.extraction.identity
    return Record(
        symbol=ident.symbol or "",
        kind=ident.kind or "",
        date=ident.date or "",
        issuer=ident.issuer or "",
        doc_id=doc.doc_id,
        file=doc.file,
        title=ident.title or "",
        level=ident.level or "",
    )


def _node_id(cluster: Cluster, taken: set[str]) -> str:
    """A readable, unique id: ``Chỉ thị 29-CT/TW (2024)``."""
    head = f"{cluster.kind} {cluster.symbol}".strip()
    if cluster.ambiguous:
        candidates = [f"{head} (?)"]
    else:
        candidates = [f"{head} ({cluster.year})" if cluster.year else head]
        extra = ", ".join(x for x in (cluster.year, cluster.issuer) if x)
        if cluster.issuer:
            candidates.append(f"{head} ({extra})")
        if cluster.corpus is not None:
            candidates.append(f"{head} [{cluster.corpus.doc_id}]")
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    n = 2
    while f"{candidates[-1]} #{n}" in taken:
        n += 1
    return f"{candidates[-1]} #{n}"


def _node_attrs(cluster: Cluster) -> dict[str, Any]:
    corpus = cluster.corpus
    return {
        "kind": cluster.kind,
        "symbol": cluster.symbol,
        "title": corpus.title if corpus else "",
        "issuer": cluster.issuer,
        "date": cluster.date,
        "year": cluster.year,
        "level": cluster.level(),
        "in_corpus": corpus is not None,
        "doc_id": corpus.doc_id if corpus else "",
        "file": corpus.file if corpus else "",
        "ambiguous": cluster.ambiguous,
        "named": False,
    }


def _refs_of(doc: IndexedDocument) -> list[DocRef]:
    """The references that carry a symbol (a blank one names nothing)."""
    return [r for r in doc.extraction.refs if symbol_key(r.symbol)]


def _chains_of(doc: IndexedDocument) -> list[ChainLink]:
    return [c for c in doc.extraction.chains if symbol_key(c.source) and symbol_key(c.target)]


def _ref_records(
    docs: list[IndexedDocument],
) -> tuple[list[Record | None], list[dict[str, Record]], list[list[tuple[Record, Record]]]]:
    """The identity, reference and chain-endpoint records of each document."""
    identities: list[Record | None] = []
    refs: list[dict[str, Record]] = []
    chains: list[list[tuple[Record, Record]]] = []
    for doc in docs:
        own = _corpus_record(doc)
        identities.append(own if own.symbol else None)
        by_key: dict[str, Record] = {}
        for ref in _refs_of(doc):
            rec = Record(ref.symbol, ref.kind or "", ref.date or "", ref.issuer or "")
            by_key.setdefault(rec.key, rec)
        ends: list[tuple[Record, Record]] = []
        for link in _chains_of(doc):
            pair = []
            for symbol in (link.source, link.target):
                rec = Record(symbol)
                pair.append(by_key.setdefault(rec.key, rec))
            ends.append((pair[0], pair[1]))
        refs.append(by_key)
        chains.append(ends)
    return identities, refs, chains


def build_graph(docs: Iterable[IndexedDocument]) -> nx.DiGraph:
    """The citation graph of the given corpus documents.

    >>> from indexer.models import Extraction, Identity, DocRef, Relation
    >>> doc = IndexedDocument("001", "001.txt", "001.txt", "", Extraction(
    ...     Identity(kind="Kế hoạch", issuer="Ban Thường vụ Thị ủy"),
    ...     refs=(DocRef("29-CT/TW", "Chỉ thị", "2024-01-05", "Bộ Chính trị",
    ...                  Relation.IMPLEMENTS, "Thực hiện Chỉ thị số 29-CT/TW", (0, 29)),)))
    >>> sorted(build_graph([doc]).edges)
    [('doc:001', 'Chỉ thị 29-CT/TW (2024)')]
    """
    docs = sorted(docs, key=lambda d: d.doc_id)
    identities, refs, chains = _ref_records(docs)
    records: list[Record] = [r for r in identities if r is not None]
    for by_key in refs:
        records.extend(by_key.values())
    placed = resolve(records)

    G = nx.DiGraph()
    names: dict[int, str] = {}  # id(cluster) -> node id
    taken: set[str] = set()

    def node_of(rec: Record) -> str:
        cluster = placed[id(rec)]
        if id(cluster) not in names:
            name = _node_id(cluster, taken)
            taken.add(name)
            names[id(cluster)] = name
            G.add_node(name, **_node_attrs(cluster))
        return names[id(cluster)]

    named_nodes: dict[str, str] = {}  # name_key -> node id
    assertions: dict[tuple[str, str], list[_Assertion]] = {}
    for doc, ident, by_key, ends in zip(docs, identities, refs, chains, strict=True):
        if ident is not None:
            source = node_of(ident)
        else:
            source = f"doc:{doc.doc_id}"
            taken.add(source)
            # A corpus document without a symbol: its own node, never matched.
            G.add_node(source, **_node_attrs(Cluster.of("", _corpus_record(doc))))
        for ref in _refs_of(doc):
            target = node_of(by_key[Record(ref.symbol).key])
            found = _Assertion(ref.relation, ref.evidence, doc.doc_id, ref.mentions, True)
            assertions.setdefault((source, target), []).append(found)
        for link, (src_rec, dst_rec) in zip(_chains_of(doc), ends, strict=True):
            found = _Assertion(link.relation, link.evidence, doc.doc_id, 1, False)
            assertions.setdefault((node_of(src_rec), node_of(dst_rec)), []).append(found)
        for named in doc.extraction.named_refs:
            target = _named_node(G, named, named_nodes, taken)
            found = _Assertion(Relation.CITES, named.name, doc.doc_id, 1, True)
            assertions.setdefault((source, target), []).append(found)

    for (u, v), said in assertions.items():
        if u == v:
            continue
        G.add_edge(u, v, **_edge_attrs(said))
    _count_mentions(G)
    log.info("graph: %d nodes, %d edges", G.number_of_nodes(), G.number_of_edges())
    return G


def _named_node(G: nx.DiGraph, named: NamedRef, known: dict[str, str], taken: set[str]) -> str:
    """The node of a document named without a symbol (``Luật Giáo dục … năm 2013``)."""
    key = name_key(named.kind, named.name)
    if key in known:
        return known[key]
    name = " ".join(named.name.split())
    label = name if name_key("", name) == key else f"{named.kind} {name}"
    node = label
    n = 2
    while node in taken:
        node, n = f"{label} #{n}", n + 1
    taken.add(node)
    known[key] = node
    attrs = _node_attrs(Cluster.of(key, Record(symbol="", kind=named.kind, date=named.year or "")))
    G.add_node(node, **{**attrs, "title": name, "named": True})
    return node


def _edge_attrs(said: list[_Assertion]) -> dict[str, Any]:
    """Merge assertions: the strongest relation, its evidence, every asserter."""
    best = max(said, key=lambda a: (_STRENGTH[a.relation], a.direct, bool(a.evidence)))
    return {
        "relation": best.relation.value,
        "evidence": best.evidence,
        "asserted_by": sorted({a.asserted_by for a in said}),
        "mentions": sum(a.mentions for a in said),
    }


def _count_mentions(G: nx.DiGraph) -> None:
    """``mentioned_by``: how many corpus documents name each node."""
    for n in G.nodes:
        asserters: set[str] = set()
        for _, _, by in G.in_edges(n, data="asserted_by"):
            asserters.update(by)
        G.nodes[n]["mentioned_by"] = len(asserters)


def _graph_path(index_dir: str | Path) -> Path:
    return Path(index_dir) / GRAPH_FILE


def save_graph(G: nx.DiGraph, index_dir: str | Path) -> Path:
    """Write the graph next to the index, atomically (temp file + ``os.replace``)."""
    target = _graph_path(index_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".graph-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump({"format": GRAPH_FORMAT, "graph": G}, out, pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load_graph(index_dir: str | Path) -> nx.DiGraph:
    """The graph saved by ``vanban index`` in ``index_dir``.

    Raises:
        IndexMissingError: no graph was saved there.
        IndexCorruptError: the file cannot be read, or is from another version.
    """
    source = _graph_path(index_dir)
    rebuild = REBUILD_COMMAND.format(index_dir=index_dir)
    if not source.is_file():
        raise IndexMissingError(
            say("graph.missing", source=source), vi("hint.graph_create", rebuild=rebuild)
        )
    try:
        with source.open("rb") as inp:
            data = pickle.load(inp)
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        ValueError,
        TypeError,
        IndexError,
        KeyError,
    ) as err:
        raise IndexCorruptError(
            say("graph.unreadable", source=source, detail=err),
            vi("hint.graph_rebuild", rebuild=rebuild),
        ) from err
    if (
        not isinstance(data, dict)
        or data.get("format") != GRAPH_FORMAT
        or not isinstance(data.get("graph"), nx.DiGraph)
    ):
        raise IndexCorruptError(
            say("graph.other_version", source=source), vi("hint.graph_rebuild", rebuild=rebuild)
        )
    return data["graph"]
