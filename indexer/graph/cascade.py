"""Queries over the citation graph: look-up, node pages, the implementation cascade.

Every function takes the graph built by :func:`indexer.graph.citation_graph.build_graph`.
Node pages, cascades and the missing list come back as frozen dataclasses
(:class:`NodeInfo`, :class:`EdgeEntry`, :class:`MissingDocument`) whose
``to_json()`` is the shape the CLI and the web print (str, int, bool, lists
and dicts; never ``None``).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from weakref import WeakKeyDictionary

import networkx as nx

from indexer.extract.symbols import symbol_key
from indexer.grammar import kinds
from indexer.graph.clusters import name_key
from indexer.models import Level, Relation
from indexer.normalize import normalize_text

log = logging.getLogger(__name__)

# Node attributes every node carries, in the order JSON shows them.
NODE_KEYS = (
    "kind",
    "symbol",
    "title",
    "issuer",
    "date",
    "year",
    "level",
    "in_corpus",
    "doc_id",
    "file",
    "ambiguous",
    "named",
    "mentioned_by",
)
_BOOL_KEYS = ("in_corpus", "ambiguous", "named")
MAX_DESCRIPTIONS = 10
# A cascade tree stops growing here: a dense corpus can make it exponential.
MAX_TREE_NODES = 2000
_LEVEL_RANK = {level.value: level.rank for level in Level}
_CACHE: WeakKeyDictionary[nx.DiGraph, dict[str, Any]] = WeakKeyDictionary()


@dataclass(frozen=True)
class Description:
    """How a document that names a node describes it: its evidence sentence."""

    evidence: str
    relation: str
    doc_id: str


@dataclass(frozen=True)
class NodeInfo:
    """What is known of a graph node; unknown values are "" (``mentioned_by`` 0)."""

    id: str
    kind: Any
    symbol: Any
    title: Any
    issuer: Any
    date: Any
    year: Any
    level: Any
    in_corpus: bool
    doc_id: Any
    file: Any
    ambiguous: bool
    named: bool
    mentioned_by: Any
    # None when not asked for; then the JSON has no "descriptions" key.
    descriptions: tuple[Description, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """``{"id", <NODE_KEYS>…, ["descriptions"]}``, in that order."""
        data: dict[str, Any] = {"id": self.id}
        data.update((key, getattr(self, key)) for key in NODE_KEYS)
        if self.descriptions is not None:
            data["descriptions"] = [
                {"evidence": d.evidence, "relation": d.relation, "doc_id": d.doc_id}
                for d in self.descriptions
            ]
        return data


@dataclass(frozen=True)
class EdgeEntry:
    """An edge seen from one end: the node at the other end and what the edge says.

    In a cascade (:func:`implementers`) ``implementers`` holds the entries one
    level down; in :func:`cites` and :func:`cited_by` it is None.
    """

    node: NodeInfo
    relation: str
    evidence: str
    asserted_by: tuple[str, ...]
    mentions: Any
    implementers: tuple[EdgeEntry, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """``{"node", "relation", "evidence", "asserted_by", "mentions", ["implementers"]}``."""
        data: dict[str, Any] = {
            "node": self.node.to_json(),
            "relation": self.relation,
            "evidence": self.evidence,
            "asserted_by": list(self.asserted_by),
            "mentions": self.mentions,
        }
        if self.implementers is not None:
            data["implementers"] = [entry.to_json() for entry in self.implementers]
        return data


@dataclass(frozen=True)
class MissingDocument:
    """A document named by the corpus but not in it, and how many corpus documents name it."""

    node: NodeInfo
    count: int

    def to_json(self) -> dict[str, Any]:
        """``{"node", "count"}``."""
        return {"node": self.node.to_json(), "count": self.count}


@dataclass
class _Branch:
    """A cascade entry while the tree grows breadth first (frozen once complete)."""

    entry: EdgeEntry
    children: list[_Branch] = field(default_factory=list)


def _sort_key(G: nx.DiGraph, n: str) -> tuple[int, str, str]:
    """Higher administrative levels first, then older documents, then by id."""
    attrs = G.nodes[n]
    return (_LEVEL_RANK.get(attrs.get("level", ""), len(_LEVEL_RANK)), attrs.get("date", ""), n)


def _split_kind(key: str) -> tuple[str, str]:
    """ "Chỉ thị số 29-CT/TW" -> ("Chỉ thị", "29-CT/TW"); no kind -> ("", key)."""
    low = key.lower()
    names = sorted((str(k["name"]) for k in kinds()), key=len, reverse=True)
    for name in names:
        if low.startswith(name.lower() + " "):
            rest = key[len(name) :].strip()
            if rest.lower().startswith("số"):
                rest = rest[2:].strip(" :")
            return name, rest
    return "", key


def _cached(G: nx.DiGraph, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per graph: look-up tables, rankings.

    Graphs are read-only once built; the node count (O(1), unlike the edge
    count) guards against the obvious mutation.
    """
    entry = _CACHE.setdefault(G, {})
    stamp = G.number_of_nodes()
    if entry.get("stamp") != stamp:
        entry.clear()
        entry["stamp"] = stamp
    if name not in entry:
        entry[name] = compute()
    return entry[name]


def _lookup_tables(G: nx.DiGraph) -> dict[str, dict[str, list[str]]]:
    """Symbol key, loose symbol key and name key -> nodes."""
    tables: dict[str, dict[str, list[str]]] = {"exact": {}, "loose": {}, "name": {}}
    for n, attrs in G.nodes(data=True):
        if attrs.get("symbol"):
            have = symbol_key(attrs["symbol"])
            tables["exact"].setdefault(have, []).append(n)
            tables["loose"].setdefault(symbol_key(attrs["symbol"], loose=True), []).append(n)
        elif attrs.get("named"):
            for key in {name_key("", attrs["title"]), name_key(attrs["kind"], attrs["title"])}:
                tables["name"].setdefault(key, []).append(n)
    return tables


def find_nodes(G: nx.DiGraph, key: str) -> list[str]:
    """Nodes named by ``key``: a node id, or a symbol in any printed spelling.

    Several documents may share a symbol (``12/KH-UBND``); all are returned,
    the most cited first. A symbol typed without diacritics or hyphens
    (``1181/KH-PGD-DT``, ``29 CT/TW``) matches when nothing matches exactly.
    A leading kind narrows the search: ``Chỉ thị 29-CT/TW``. A document named
    without a symbol is found by its name (``Luật Giáo dục quốc phòng và an
    ninh năm 2013``).

    >>> G = nx.DiGraph()
    >>> G.add_node("Chỉ thị 29-CT/TW (2024)", kind="Chỉ thị", symbol="29-CT/TW")
    >>> G.add_node("Nghị quyết 29-NQ/TW (2013)", kind="Nghị quyết", symbol="29-NQ/TW")
    >>> find_nodes(G, "Chỉ thị số 29 CT/tw")
    ['Chỉ thị 29-CT/TW (2024)']
    """
    key = normalize_text(key).strip()
    if not key:
        return []
    if key in G:
        return [key]
    tables = _cached(G, "lookup", lambda: _lookup_tables(G))
    kind, symbol = _split_kind(key)
    wanted = symbol_key(symbol)
    found = [
        n
        for n in tables["exact"].get(wanted)
        or tables["loose"].get(symbol_key(symbol, loose=True))
        or []
        if not kind or not G.nodes[n].get("kind") or G.nodes[n]["kind"] == kind
    ]
    found = found or list(tables["name"].get(name_key("", key), []))
    found.sort(
        key=lambda n: (
            G.nodes[n].get("ambiguous", False),
            -G.nodes[n].get("mentioned_by", 0),
            not G.nodes[n].get("in_corpus", False),
            n,
        )
    )
    return found


def _descriptions(G: nx.DiGraph, n: str) -> tuple[Description, ...]:
    """How the documents that name ``n`` describe it: their evidence sentences."""
    seen: set[str] = set()
    out: list[Description] = []
    for u in sorted(G.predecessors(n), key=lambda u: _sort_key(G, u)):
        edge = G.edges[u, n]
        evidence = edge.get("evidence", "")
        if not evidence or evidence in seen:
            continue
        seen.add(evidence)
        by = edge.get("asserted_by") or [""]
        out.append(Description(evidence, edge.get("relation", ""), by[0]))
        if len(out) >= MAX_DESCRIPTIONS:
            break
    return tuple(out)


def node_info(G: nx.DiGraph, n: str, *, descriptions: bool = True) -> NodeInfo:
    """What is known of node ``n`` (unknown values are "").

    ``descriptions`` (evidence sentences of the documents that name it) is left
    None with ``descriptions=False``.
    """
    attrs = G.nodes[n]
    values: dict[str, Any] = {}
    for key in NODE_KEYS:
        value = attrs.get(key, 0 if key == "mentioned_by" else "")
        values[key] = bool(value) if key in _BOOL_KEYS else value
    return NodeInfo(id=n, **values, descriptions=_descriptions(G, n) if descriptions else None)


def _edge_entry(G: nx.DiGraph, node: str, u: str, v: str) -> EdgeEntry:
    edge = G.edges[u, v]
    return EdgeEntry(
        node=node_info(G, node, descriptions=False),
        relation=edge.get("relation", ""),
        evidence=edge.get("evidence", ""),
        asserted_by=tuple(edge.get("asserted_by", [])),
        mentions=edge.get("mentions", 0),
    )


def _freeze(branches: list[_Branch]) -> tuple[EdgeEntry, ...]:
    """The entries of a grown tree with their implementers filled in, deepest first
    (no recursion, so a long chain cannot exhaust the stack)."""
    order: list[_Branch] = []
    stack = list(branches)
    while stack:
        branch = stack.pop()
        order.append(branch)
        stack.extend(branch.children)
    frozen: dict[int, EdgeEntry] = {}
    for branch in reversed(order):  # children before their parent
        children = tuple(frozen[id(child)] for child in branch.children)
        frozen[id(branch)] = replace(branch.entry, implementers=children)
    return tuple(frozen[id(branch)] for branch in branches)


def implementers(
    G: nx.DiGraph,
    n: str,
    depth: int | None = None,
    relations: Iterable[str] = (Relation.IMPLEMENTS.value,),
) -> tuple[EdgeEntry, ...]:
    """Who implements ``n``, directly and down the cascade, as a tree.

    Each :class:`EdgeEntry` holds the entries below it in ``implementers``. A
    node already on the path from the root is not expanded again (cycles),
    ``depth`` limits the levels (1 = direct implementers only), and the tree
    stops at ``MAX_TREE_NODES`` entries.
    """
    wanted = set(relations)
    tree: list[_Branch] = []
    # Breadth first, so that a truncated tree still shows the upper levels whole.
    queue: deque[tuple[list[_Branch], str, int, frozenset[str]]] = deque(
        [(tree, n, 0, frozenset({n}))]
    )
    count = 0
    while queue:
        out, node, level, ancestors = queue.popleft()
        if depth is not None and level >= depth:
            continue
        preds = [
            p
            for p in G.predecessors(node)
            if p not in ancestors and G.edges[p, node].get("relation") in wanted
        ]
        for p in sorted(preds, key=lambda p: _sort_key(G, p)):
            if count >= MAX_TREE_NODES:
                log.warning("cascade of %s truncated at %d entries", n, MAX_TREE_NODES)
                return _freeze(tree)
            count += 1
            branch = _Branch(_edge_entry(G, p, p, node))
            out.append(branch)
            queue.append((branch.children, p, level + 1, ancestors | {p}))
    return _freeze(tree)


def _by_strength(entries: list[EdgeEntry]) -> list[EdgeEntry]:
    strength = {r.value: r.strength for r in Relation}
    return sorted(entries, key=lambda e: (-strength.get(e.relation, 0), e.node.id))


def cites(G: nx.DiGraph, n: str) -> list[EdgeEntry]:
    """The documents ``n`` refers to, strongest relation first."""
    return _by_strength([_edge_entry(G, v, n, v) for v in G.successors(n)])


def cited_by(G: nx.DiGraph, n: str) -> list[EdgeEntry]:
    """The documents that refer to ``n``, strongest relation first."""
    return _by_strength([_edge_entry(G, u, u, n) for u in G.predecessors(n)])


def path(G: nx.DiGraph, a: str, b: str) -> list[str]:
    """A shortest path between ``a`` and ``b`` in edge direction; [] if there is none.

    Tries ``a -> … -> b`` first, then ``b -> … -> a``; consecutive ids are edges.

    >>> G = nx.DiGraph([("Kế hoạch 232-KH/TU", "Chỉ thị 29-CT/TW"), ("doc:001", "Kế hoạch 232-KH/TU")])
    >>> path(G, "Chỉ thị 29-CT/TW", "doc:001")
    ['doc:001', 'Kế hoạch 232-KH/TU', 'Chỉ thị 29-CT/TW']
    """
    for source, target in ((a, b), (b, a)):
        try:
            found = nx.shortest_path(G, source, target)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            continue
        return list(found)
    return []


def _missing_rank(G: nx.DiGraph, n: str) -> tuple[int, int, int, int, str, str]:
    """Citing corpus documents, then citing documents of any kind, then mentions."""
    mentions = sum(m for _, _, m in G.in_edges(n, data="mentions", default=0))
    level, date, _ = _sort_key(G, n)
    return (-G.nodes[n]["mentioned_by"], -G.in_degree(n), -mentions, level, date, n)


def _rank_missing(G: nx.DiGraph) -> list[str]:
    absent = [
        n
        for n, attrs in G.nodes(data=True)
        if not attrs.get("in_corpus") and attrs.get("mentioned_by", 0) > 0
    ]
    return sorted(absent, key=lambda n: _missing_rank(G, n))


def missing_documents(G: nx.DiGraph, limit: int | None = None) -> list[MissingDocument]:
    """Documents named by the corpus but not in it, most cited first.

    ``count`` is the number of corpus documents that name it (directly or in a
    chain they state). Ties are broken by the number of documents (in the
    corpus or not) pointing to it, then by how often it is mentioned.
    """
    absent: list[str] = _cached(G, "missing", lambda: _rank_missing(G))
    if limit is not None:
        absent = absent[: max(limit, 0)]
    return [
        MissingDocument(node_info(G, n, descriptions=False), G.nodes[n]["mentioned_by"])
        for n in absent
    ]


def neighbourhood(G: nx.DiGraph, n: str, depth: int = 1) -> nx.DiGraph:
    """The subgraph of nodes within ``depth`` edges of ``n``, either direction (a copy).

    Nodes come in breadth-first order from ``n`` and edges in the graph's own
    order, so the same graph gives the same exports in every process
    (``nx.ego_graph`` iterated a set of nodes, whose order follows the
    process's string hash seed), and no undirected copy of the whole graph
    is made per call.
    """
    near = {n: 0}  # node -> distance, in the order reached
    frontier = [n]
    for distance in range(1, max(depth, 0) + 1):
        reached = []
        for u in frontier:
            for v in (*G.succ[u], *G.pred[u]):  # the graph's own order, never a set
                if v not in near:
                    near[v] = distance
                    reached.append(v)
        frontier = reached
    sub = nx.DiGraph()
    sub.graph.update(G.graph)
    sub.add_nodes_from((v, G.nodes[v]) for v in near)
    sub.add_edges_from((u, v, data) for u in near for v, data in G.succ[u].items() if v in near)
    return sub
