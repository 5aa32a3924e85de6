"""Blueprint: ``/ref?symbol=29-CT/TW`` (node page with the implementation cascade), ``/missing``.

Symbols contain ``/``, so they go in the query string; ``?id=`` takes a graph
node id instead. The JSON twin nests the same node shape as
``vanban implementers --json``: ``{"symbol", "node", "implementers": [...]}``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request, url_for

from indexer.errors import QueryError
from indexer.graph import cascade
from web import get_backend
from web.errors import PageNotFoundError
from web.messages import t
from web.nodes import decorate_node, decorate_tree, edge_row, export_urls, node_view, resolve
from web.render import render_page

bp = Blueprint("refs", __name__)


def depth_arg(default: int | None) -> int | None:
    """``?depth=N`` within 1..MAX_GRAPH_DEPTH; a malformed value is a 400 with a message."""
    raw = request.args.get("depth", "").strip()
    limit = int(current_app.config["MAX_GRAPH_DEPTH"])
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3 and 1 <= int(raw) <= limit):
        raise QueryError(t("error.bad_depth", value=raw, limit=limit), hint="")
    return int(raw)


@bp.route("/ref", defaults={"fmt": "html"})
@bp.route("/ref.<any(json):fmt>")
def ref(fmt: str) -> Any:
    """The node page of any document, in the corpus or not."""
    symbol = request.args.get("symbol", "").strip()
    node_id = request.args.get("id", "").strip()
    key = node_id or symbol
    if not key:
        raise PageNotFoundError(t("ref.missing_param"))
    depth = depth_arg(None)
    graph = get_backend().graph
    nodes = [node_id] if node_id and node_id in graph else resolve(graph, key)
    data: dict[str, Any] = {
        "symbol": symbol or str(graph.nodes[nodes[0]].get("symbol") or ""),
        "id": node_id,
        "depth": depth,
        "node": None,
        "candidates": [],
        "implementers": [],
        "mentioned_by": [],
        "cites": [],
        "exports": export_urls(None, None),
        "graph_url": None,
    }
    if len(nodes) > 1:
        # One symbol, several documents (12/KH-UBND of many committees): let the user pick.
        data["candidates"] = [node_view(graph, n) for n in nodes]
        return render_page("refs/ref.html", data)
    node = nodes[0]
    data.update(
        node=node_view(graph, node, descriptions=True),
        implementers=decorate_tree(cascade.implementers(graph, node, depth=depth)),
        mentioned_by=[
            edge_row(graph, source, node, edge)
            for source, _, edge in graph.in_edges(node, data=True)
        ],
        cites=[
            edge_row(graph, node, target, edge)
            for _, target, edge in graph.out_edges(node, data=True)
        ],
        exports=export_urls(node, 2),
        graph_url=url_for("graph.graph_view", symbol=node, depth=2),
    )
    return render_page("refs/ref.html", data)


def _missing_row(item: cascade.MissingDocument) -> dict[str, Any]:
    """One row of ``missing_documents``: the node plus how many corpus documents cite it."""
    row = decorate_node(item.node.to_json())
    row["cited_by_count"] = item.count
    row["graph_url"] = url_for("graph.graph_view", symbol=row["id"], depth=1)
    return row


@bp.route("/missing", defaults={"fmt": "html"})
@bp.route("/missing.<any(json):fmt>")
def missing(fmt: str) -> Any:
    """Documents most cited by the corpus but not in it: the list to acquire next."""
    limit = int(current_app.config["MISSING_LIMIT"])
    graph = get_backend().graph
    rows = [_missing_row(item) for item in cascade.missing_documents(graph, limit=limit)]
    return render_page("refs/missing.html", {"limit": limit, "documents": rows})
