"""Graph nodes and edges as the dicts the pages show, with their URLs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx
from flask import url_for

from indexer.graph import cascade
from web import get_backend
from web.errors import PageNotFoundError
from web.messages import t

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv")
MAX_LABEL_CHARS = 80

# The fields every node dict carries, None when unknown.
NODE_FIELDS = ("kind", "symbol", "title", "issuer", "date", "level", "in_corpus", "doc_id", "file")


def node_label(info: dict[str, Any]) -> str:
    """How a node is named on a page.

    ``Chỉ thị 29-CT/TW``; without a symbol ``Kế hoạch của Ban Thường vụ Thị ủy``,
    else the (shortened) title or name.
    """
    kind = str(info.get("kind") or "")
    if info.get("symbol"):
        return f"{kind} {info['symbol']}".strip()
    if info.get("issuer") and not info.get("named"):
        return f"{kind or t('value.document')} {t('value.of')} {info['issuer']}"
    title = str(info.get("title") or "")
    if title:
        short = title if len(title) <= MAX_LABEL_CHARS else title[: MAX_LABEL_CHARS - 1] + "…"
        return short if info.get("named") else f"{kind}: {short}".lstrip(": ")
    return f"{kind} {t('value.no_symbol')}".strip()


def node_view(graph: nx.DiGraph, node: Any, *, descriptions: bool = False) -> dict[str, Any]:
    """``node_info`` plus ``id``, ``label`` and the URLs of the node and document pages."""
    info = cascade.node_info(graph, node, descriptions=descriptions).to_json()
    view = decorate_node(info, node)
    if descriptions:
        view["descriptions"] = [
            {**d, "doc": asserter(str(d.get("doc_id") or ""))} for d in info["descriptions"]
        ]
    return view


def asserter(doc_id: str) -> dict[str, Any] | None:
    """The corpus document ``doc_id`` as a small link dict (None if unknown)."""
    if not doc_id:
        return None
    backend = get_backend()
    node = backend.node_for_doc(doc_id)
    label = node_label(backend.graph.nodes[node]) if node else doc_id
    return {
        "doc_id": doc_id,
        "label": label,
        "url": url_for("documents.document", doc_id=doc_id),
    }


def decorate_node(info: dict[str, Any], node: Any = None) -> dict[str, Any]:
    """Add ``id``, ``label``, ``url`` and ``doc_url`` to a node dict from the graph module."""
    node_id = str(info.get("id") or node or "")
    view = {key: info.get(key) for key in NODE_FIELDS}
    view.update(info)
    view["id"] = node_id
    view["in_corpus"] = bool(info.get("in_corpus"))
    view["label"] = node_label(info)
    view["url"] = url_for("refs.ref", id=node_id)
    view["doc_url"] = (
        url_for("documents.document", doc_id=info["doc_id"]) if info.get("doc_id") else None
    )
    return view


def _asserters(doc_ids: Any, source_doc: Any) -> list[dict[str, Any]]:
    """Who states an edge, leaving out the source itself (it speaks for itself)."""
    rows = (asserter(str(d)) for d in doc_ids or [] if d and d != source_doc)
    return [row for row in rows if row]


def edge_row(graph: nx.DiGraph, source: Any, target: Any, data: dict[str, Any]) -> dict[str, Any]:
    """An edge as shown in lists: both ends, relation, evidence, who asserted it."""
    return {
        "source": node_view(graph, source),
        "target": node_view(graph, target),
        "relation": str(data.get("relation") or "cites"),
        "evidence": data.get("evidence") or "",
        "mentions": data.get("mentions"),
        "asserted_by": list(data.get("asserted_by") or []),
        "asserted_by_docs": _asserters(data.get("asserted_by"), graph.nodes[source].get("doc_id")),
    }


def decorate_tree(entries: Sequence[cascade.EdgeEntry]) -> list[dict[str, Any]]:
    """The implementers tree of ``cascade.implementers`` with URLs on every node."""
    out = []
    for entry in entries:
        row = {
            "node": decorate_node(entry.node.to_json()),
            "relation": entry.relation,
            "evidence": entry.evidence,
            "asserted_by": list(entry.asserted_by),
            "mentions": entry.mentions,
            "implementers": decorate_tree(entry.implementers or ()),
        }
        row["asserted_by_docs"] = _asserters(entry.asserted_by, row["node"].get("doc_id"))
        out.append(row)
    return out


def export_urls(key: str | None, depth: int | None) -> dict[str, str]:
    """Download URL per export format, for the whole graph or around ``key``."""
    params: dict[str, Any] = {"symbol": key, "depth": depth} if key else {}
    return {fmt: url_for("graph.export", fmt=fmt, **params) for fmt in EXPORT_FORMATS}


def resolve(graph: nx.DiGraph, key: str) -> list[str]:
    """Nodes for a symbol or node id; 404 with a search suggestion when none."""
    nodes = [str(n) for n in cascade.find_nodes(graph, key)] if key else []
    if not nodes:
        raise PageNotFoundError(t("ref.not_found", key=key), suggestion=key)
    return nodes
