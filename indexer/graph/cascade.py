"""Queries over the citation graph: look-up, node pages, the implementation cascade.

Every function takes the graph built by :func:`indexer.graph.citation_graph.build_graph` and
returns JSON-ready data (str, int, bool, lists and dicts; never ``None``), so
the CLI and the web print it as it is.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any
from weakref import WeakKeyDictionary

import networkx as nx

from indexer.grammar import kinds
from indexer.graph.clusters import name_key
from indexer.models import Level, Relation
from indexer.normalize import normalize_text
from indexer.symbols import symbol_key

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


def _descriptions(G: nx.DiGraph, n: str) -> list[dict[str, str]]:
    """How the documents that name ``n`` describe it: their evidence sentences."""
    seen: set[str] = set()
    out: list[dict[str, str]] = []
    for u in sorted(G.predecessors(n), key=lambda u: _sort_key(G, u)):
        edge = G.edges[u, n]
        evidence = edge.get("evidence", "")
        if not evidence or evidence in seen:
            continue
        seen.add(evidence)
        by = edge.get("asserted_by") or [""]
        out.append({"evidence": evidence, "relation": edge.get("relation", ""), "doc_id": by[0]})
        if len(out) >= MAX_DESCRIPTIONS:
            break
    return out


def node_info(G: nx.DiGraph, n: str, *, descriptions: bool = True) -> dict[str, Any]:
    """What is known of node ``n``, JSON-ready (unknown values are "").

    Keys: id, kind, symbol, title, issuer, date, year, level, in_corpus, doc_id,
    file, ambiguous, mentioned_by and, unless ``descriptions=False``,
    descriptions (evidence sentences of the documents that name it).
    """
    attrs = G.nodes[n]
    info: dict[str, Any] = {"id": n}
    for key in NODE_KEYS:
        value = attrs.get(key, 0 if key == "mentioned_by" else "")
        info[key] = bool(value) if key in _BOOL_KEYS else value
    if descriptions:
        info["descriptions"] = _descriptions(G, n)
    return info


def _edge_entry(G: nx.DiGraph, node: str, u: str, v: str) -> dict[str, Any]:
    edge = G.edges[u, v]
    return {
        "node": node_info(G, node, descriptions=False),
        "relation": edge.get("relation", ""),
        "evidence": edge.get("evidence", ""),
        "asserted_by": list(edge.get("asserted_by", [])),
        "mentions": edge.get("mentions", 0),
    }


def implementers(
    G: nx.DiGraph,
    n: str,
    depth: int | None = None,
    relations: Iterable[str] = (Relation.IMPLEMENTS.value,),
) -> list[dict[str, Any]]:
    """Who implements ``n``, directly and down the cascade, as a tree.

    Each entry is ``{"node", "relation", "evidence", "asserted_by", "mentions",
    "implementers"}``. A node already on the path from the root is not expanded
    again (cycles), ``depth`` limits the levels (1 = direct implementers only),
    and the tree stops at ``MAX_TREE_NODES`` entries.
    """
    wanted = set(relations)
    tree: list[dict[str, Any]] = []
    # Breadth first, so that a truncated tree still shows the upper levels whole.
    queue: deque[tuple[list[dict[str, Any]], str, int, frozenset[str]]] = deque(
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
                return tree
            count += 1
            entry = _edge_entry(G, p, p, node)
            entry["implementers"] = []
            out.append(entry)
            queue.append((entry["implementers"], p, level + 1, ancestors | {p}))
    return tree


def _by_strength(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    strength = {r.value: r.strength for r in Relation}
    return sorted(entries, key=lambda e: (-strength.get(e["relation"], 0), e["node"]["id"]))


def cites(G: nx.DiGraph, n: str) -> list[dict[str, Any]]:
    """The documents ``n`` refers to, strongest relation first."""
    return _by_strength([_edge_entry(G, v, n, v) for v in G.successors(n)])


def cited_by(G: nx.DiGraph, n: str) -> list[dict[str, Any]]:
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


def missing_documents(G: nx.DiGraph, limit: int | None = None) -> list[dict[str, Any]]:
    """Documents named by the corpus but not in it, most cited first.

    Each entry is ``{"node": {...}, "count": N}`` where N is the number of
    corpus documents that name it (directly or in a chain they state). Ties are
    broken by the number of documents (in the corpus or not) pointing to it,
    then by how often it is mentioned.
    """
    absent: list[str] = _cached(G, "missing", lambda: _rank_missing(G))
    if limit is not None:
        absent = absent[: max(limit, 0)]
    return [
        {"node": node_info(G, n, descriptions=False), "count": G.nodes[n]["mentioned_by"]}
        for n in absent
    ]


def neighbourhood(G: nx.DiGraph, n: str, depth: int = 1) -> nx.DiGraph:
    """The subgraph of nodes within ``depth`` edges of ``n``, either direction (a copy)."""
    return nx.DiGraph(nx.ego_graph(G, n, radius=max(depth, 0), undirected=True))
