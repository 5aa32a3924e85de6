"""Graph exports: GraphML and GEXF for Gephi/Cytoscape, node-link JSON, CSV in a zip.

GraphML and GEXF reject ``None`` and lists, so attributes are flattened once,
here: ``None`` becomes "" and a list becomes one string joined with ``; ``
(``LIST_SEPARATOR``). ``read_graph`` undoes the flattening of the attributes
the graph module stores as lists (``LIST_ATTRS``), so an export read back
equals the graph that was exported.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import networkx as nx

from indexer.graph.graphxml import write_gexf, write_graphml

# fmt -> (content type, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "json": ("application/json", "json"),
    "csv": ("application/zip", "zip"),
}
LIST_SEPARATOR = "; "
LIST_ATTRS = frozenset({"asserted_by"})
NODES_CSV = "nodes.csv"
EDGES_CSV = "edges.csv"
# GEXF readers add these themselves (node label, edge id): dropped on reading back.
_GEXF_ADDED_NODE = "label"
_GEXF_ADDED_EDGE = "id"


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _flat(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def flatten(G: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``G`` whose attributes are all str, bool, int or float.

    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", asserted_by=["001", "002"], evidence=None)
    >>> flatten(G).edges["a", "b"]
    {'asserted_by': '001; 002', 'evidence': ''}
    """
    H = nx.DiGraph()
    H.graph.update({k: _flat(v) for k, v in G.graph.items()})
    H.add_nodes_from((n, {k: _flat(v) for k, v in d.items()}) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, {k: _flat(x) for k, x in d.items()}) for u, v, d in G.edges(data=True))
    return H


def _unflatten(attrs: dict[str, Any]) -> dict[str, Any]:
    for key in LIST_ATTRS & attrs.keys():
        value = attrs[key]
        if isinstance(value, str):
            attrs[key] = value.split(LIST_SEPARATOR) if value else []
    return attrs


def export_graph(G: nx.DiGraph, fmt: str) -> bytes:
    """The graph serialised as ``fmt`` (a key of ``FORMATS``).

    >>> G = nx.DiGraph()
    >>> G.add_edge("Kế hoạch 232-KH/TU (2024)", "Chỉ thị 29-CT/TW (2024)", relation="implements")
    >>> export_graph(G, "graphml").startswith(b"<?xml")
    True
    """
    _check_format(fmt)
    if fmt == "json":
        data = nx.node_link_data(G, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "csv":
        return _write_csv(G)
    flat = flatten(G)
    return write_gexf(flat) if fmt == "gexf" else write_graphml(flat)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _cell(value: Any) -> str:
    # Booleans as "true"/"false" (what Gephi reads); types are restored on reading.
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(_flat(value))


def _typed_header(name: str, values: list[Any]) -> str:
    """``name:type`` when every value has one non-str type, so reading restores it."""
    types = {type(v) for v in values}  # a missing or None value makes the column text
    for kind, label in ((bool, "bool"), (int, "int"), (float, "float")):
        if types == {kind}:
            return f"{name}:{label}"
    return name


def _csv_table(id_names: list[str], entries: list[tuple[list[str], dict[str, Any]]]) -> str:
    rows = [attrs for _, attrs in entries]
    columns = _columns(rows)
    header = id_names + [_typed_header(c, [r.get(c) for r in rows]) for c in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for ids, attrs in entries:
        writer.writerow(ids + [_cell(attrs.get(c, "")) for c in columns])
    return out.getvalue()


def _write_csv(G: nx.DiGraph) -> bytes:
    """nodes.csv and edges.csv in a zip; cells flattened as they are written."""
    nodes = [([str(n)], d) for n, d in G.nodes(data=True)]
    edges = [([str(u), str(v)], d) for u, v, d in G.edges(data=True)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(NODES_CSV, _csv_table(["id"], nodes))
        archive.writestr(EDGES_CSV, _csv_table(["source", "target"], edges))
    return buf.getvalue()


def _parse_cell(header: str, cell: str) -> tuple[str, Any]:
    name, _, kind = header.rpartition(":") if ":" in header else (header, "", "")
    if kind == "bool":
        return name, cell == "true"
    if kind == "int":
        return name, int(cell)
    if kind == "float":
        return name, float(cell)
    return header, cell


def _read_csv_table(text: str, n_ids: int) -> list[tuple[list[str], dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    rows = []
    for cells in reader:
        attrs = dict(_parse_cell(h, c) for h, c in zip(header[n_ids:], cells[n_ids:], strict=True))
        rows.append((cells[:n_ids], attrs))
    return rows


def _read_csv(data: bytes) -> nx.DiGraph:
    G = nx.DiGraph()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        nodes = archive.read(NODES_CSV).decode("utf-8")
        edges = archive.read(EDGES_CSV).decode("utf-8")
    for (node,), attrs in _read_csv_table(nodes, 1):
        G.add_node(node, **attrs)
    for (u, v), attrs in _read_csv_table(edges, 2):
        G.add_edge(u, v, **attrs)
    return G


def read_graph(data: bytes, fmt: str) -> nx.DiGraph:
    """Read an export back (round-trip tests, re-imports); list attributes restored."""
    _check_format(fmt)
    if fmt == "json":
        G = nx.node_link_graph(json.loads(data), directed=True, edges="edges")
        return nx.DiGraph(G)
    if fmt == "csv":
        G = _read_csv(data)
    elif fmt == "graphml":
        G = nx.DiGraph(nx.read_graphml(io.BytesIO(data)))
    else:
        G = nx.DiGraph(nx.read_gexf(io.BytesIO(data)))
        for n, attrs in G.nodes(data=True):
            if attrs.get(_GEXF_ADDED_NODE) == n:
                del attrs[_GEXF_ADDED_NODE]
        for _, _, attrs in G.edges(data=True):
            attrs.pop(_GEXF_ADDED_EDGE, None)
    for _, attrs in G.nodes(data=True):
        _unflatten(attrs)
    for _, _, attrs in G.edges(data=True):
        _unflatten(attrs)
    return G
