"""Blueprint: ``/graph`` (interactive neighbourhood view) and ``/export/graph.<fmt>``.

The view's JSON twin carries the nodes and edges in Cytoscape's element shape;
``static/graph.js`` fetches it and draws it (the only JavaScript in the UI).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from flask import Blueprint, Response, current_app, request

from indexer.graph import cascade
from indexer.graph import export as exportlib
from indexer.normalize import strip_diacritics
from web import get_backend
from web.errors import PageNotFoundError
from web.messages import t
from web.nodes import EXPORT_FORMATS, edge_row, export_urls, node_view, resolve
from web.refs import depth_arg
from web.render import render_page

bp = Blueprint("graph", __name__)

DEFAULT_DEPTH = 2


def _slug(text: str) -> str:
    """ASCII letters, digits, ``_`` and ``.`` kept; every other run becomes one ``-``."""
    folded = strip_diacritics(text)
    chars = (c if c.isascii() and (c.isalnum() or c in "_.") else " " for c in folded)
    return "-".join("".join(chars).split())


def _selected(graph: nx.DiGraph) -> tuple[nx.DiGraph, str | None, int | None]:
    """The whole graph, or the neighbourhood of ``?symbol=`` / ``?id=`` at ``?depth=``."""
    key = (request.args.get("id") or request.args.get("symbol") or "").strip()
    if not key:
        return graph, None, None
    depth = depth_arg(DEFAULT_DEPTH) or DEFAULT_DEPTH
    nodes = resolve(graph, key)
    node = nodes[0]
    return cascade.neighbourhood(graph, node, depth), node, depth


def _elements(sub: nx.DiGraph, full: nx.DiGraph) -> dict[str, list[dict[str, Any]]]:
    nodes = []
    for n in sub.nodes:
        view = node_view(full, n)
        nodes.append(
            {
                "data": {
                    k: view[k]
                    for k in (
                        "id",
                        "label",
                        "level",
                        "in_corpus",
                        "url",
                        "kind",
                        "symbol",
                        "issuer",
                        "date",
                    )
                }
            }
        )
    edges = []
    for i, (source, target, data) in enumerate(sub.edges(data=True)):
        edges.append(
            {
                "data": {
                    "id": f"e{i}",
                    "source": str(source),
                    "target": str(target),
                    "relation": str(data.get("relation") or "cites"),
                }
            }
        )
    return {"nodes": nodes, "edges": edges}


@bp.route("/graph", defaults={"fmt": "html"})
@bp.route("/graph.<any(json):fmt>")
def graph_view(fmt: str) -> Any:
    """The neighbourhood of a node, or the whole graph of a small corpus."""
    full = get_backend().graph
    sub, node, depth = _selected(full)
    limit = int(current_app.config["MAX_WHOLE_GRAPH_NODES"])
    data: dict[str, Any] = {
        "symbol": request.args.get("symbol", "").strip(),
        "id": request.args.get("id", "").strip(),
        "depth": depth,
        "node": node_view(full, node) if node else None,
        "message": None,
        "counts": {"nodes": sub.number_of_nodes(), "edges": sub.number_of_edges()},
        "elements": {"nodes": [], "edges": []},
        "edges": [],
        "exports": export_urls(node, depth),
    }
    if node is None and sub.number_of_nodes() > limit:
        data["message"] = t("graph.too_big", nodes=sub.number_of_nodes())
        return render_page("graph/graph.html", data)
    data["elements"] = _elements(sub, full)
    data["edges"] = [edge_row(full, s, d, e) for s, d, e in sub.edges(data=True)]
    return render_page("graph/graph.html", data)


def _download_name(node: str | None, depth: int | None, fmt: str) -> str:
    """``vanban-graph.graphml``, ``vanban-graph-29-CT-TW-d2.csv.zip``."""
    stem = "vanban-graph"
    if node:
        symbol = get_backend().graph.nodes[node].get("symbol") or node
        stem = f"{stem}-{_slug(str(symbol))[:60]}-d{depth}"
    extension = exportlib.FORMATS[fmt][1]
    return f"{stem}.{fmt}" if extension == fmt else f"{stem}.{fmt}.{extension}"


@bp.route("/export/graph.<fmt>")
def export(fmt: str) -> Response:
    """The whole graph or a neighbourhood as GraphML, GEXF, node-link JSON or CSV."""
    if fmt not in EXPORT_FORMATS:
        raise PageNotFoundError(t("error.bad_format", fmt=fmt))
    backend = get_backend()
    sub, node, depth = _selected(backend.graph)
    payload = backend.export((fmt, node, depth), lambda: exportlib.export_graph(sub, fmt))
    content_type = exportlib.FORMATS[fmt][0]
    if content_type.startswith("application/json") or content_type.endswith("+xml"):
        content_type += "; charset=utf-8"
    response = Response(payload, content_type=content_type)
    name = _download_name(node, depth, fmt)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
