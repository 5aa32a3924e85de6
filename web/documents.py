"""Blueprint: ``/doc/<doc_id>`` (and ``.json``) and the original-file download."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import networkx as nx
from flask import Blueprint, abort, send_file, url_for

from indexer.annotate import Anchor, annotate_html
from indexer.errors import NotFoundError
from indexer.load.corpus import safe_path
from indexer.models import Extraction, Relation
from indexer.search.searcher import StoredDocument
from web import get_backend
from web.errors import PageNotFoundError
from web.messages import t
from web.nodes import edge_row, export_urls, node_view
from web.render import render_page

bp = Blueprint("documents", __name__)

RELATIONS = tuple(r.value for r in Relation)  # implements, basis, cites
NAMED_PREFIX = "name:"


def _targets(graph: nx.DiGraph, node: str | None) -> dict[str, str]:
    """Symbol (or ``name:`` + name for named documents) -> node this document points to."""
    if node is None or node not in graph:
        return {}
    targets: dict[str, str] = {}
    for target in graph.successors(node):
        attrs = graph.nodes[target]
        if attrs.get("named") and attrs.get("title"):
            targets.setdefault(NAMED_PREFIX + str(attrs["title"]), str(target))
        elif attrs.get("symbol"):
            targets.setdefault(str(attrs["symbol"]), str(target))
    return targets


def _ref_href(symbol: str, targets: dict[str, str]) -> str:
    if symbol in targets:
        return url_for("refs.ref", id=targets[symbol])
    return url_for("refs.ref", symbol=symbol)


def _named_href(name: str, targets: dict[str, str]) -> str:
    node = targets.get(NAMED_PREFIX + name)
    return url_for("refs.ref", id=node) if node else url_for("search.search", q=name)


def _anchors(extraction: Extraction, targets: dict[str, str]) -> list[Anchor]:
    anchors = [
        Anchor(m.start, m.end, _ref_href(m.symbol, targets), title=m.symbol, css_class="ref")
        for m in extraction.mentions
    ]
    anchors += [
        Anchor(n.start, n.end, _named_href(n.name, targets), title=n.name, css_class="named")
        for n in extraction.named_refs
    ]
    return anchors


def _refs_out(extraction: Extraction, targets: dict[str, str]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {rel: [] for rel in RELATIONS}
    graph = get_backend().graph
    for ref in extraction.refs:
        row = asdict(ref)
        row["relation"] = ref.relation.value
        row["url"] = _ref_href(ref.symbol, targets)
        target = targets.get(ref.symbol)
        row["node"] = node_view(graph, target) if target else None
        grouped[ref.relation.value].append(row)
    return grouped


def _incoming(graph: nx.DiGraph, node: str | None) -> list[dict[str, Any]]:
    if node is None or node not in graph:
        return []
    return [
        edge_row(graph, source, node, data) for source, _, data in graph.in_edges(node, data=True)
    ]


def _stored(doc_id: str) -> StoredDocument:
    try:
        return get_backend().document(doc_id)
    except NotFoundError as err:
        raise PageNotFoundError(t("doc.not_found", doc_id=doc_id), suggestion=doc_id) from err


@bp.route("/doc/<doc_id>", defaults={"fmt": "html"})
@bp.route("/doc/<doc_id>.<any(json):fmt>")
def document(doc_id: str, fmt: str) -> Any:
    """A corpus document: metadata, linked text, references out and in."""
    stored = _stored(doc_id)
    backend = get_backend()
    graph = backend.graph
    node = backend.node_for_doc(stored.doc_id)
    extraction: Extraction = stored.extraction
    targets = _targets(graph, node)
    data = {
        "doc_id": stored.doc_id,
        "file": stored.file,
        "identity": asdict(extraction.identity),
        "node": node_view(graph, node) if node else None,
        "text": stored.text,
        "text_html": annotate_html(stored.text, _anchors(extraction, targets)),
        "refs": _refs_out(extraction, targets),
        "named_refs": [
            {**asdict(n), "url": _named_href(n.name, targets)} for n in extraction.named_refs
        ],
        "chains": [
            {
                **asdict(c),
                "relation": c.relation.value,
                "source_url": _ref_href(c.source, {}),
                "target_url": _ref_href(c.target, {}),
            }
            for c in extraction.chains
        ],
        "incoming": _incoming(graph, node),
        "warnings": list(extraction.warnings),
        "download_url": url_for("documents.download", doc_id=stored.doc_id),
        "exports": export_urls(str(node) if node else None, 1),
    }
    return render_page("documents/document.html", data)


@bp.route("/doc/<doc_id>/download")
def download(doc_id: str) -> Any:
    """The original file, served only from inside the corpus directory."""
    stored = _stored(doc_id)
    backend = get_backend()
    path = safe_path(backend.corpus_dir, stored.rel_path)  # PathOutsideCorpusError -> 404
    if not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, download_name=stored.file)
