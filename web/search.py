"""Blueprint: ``/`` and ``/search`` (and ``/search.json``): search with facets and paging."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, current_app, request, url_for

from indexer.errors import QueryError
from indexer.graph import cascade
from indexer.search.query import parse_query
from indexer.segment.analysis import query_syllables
from web import get_backend
from web.messages import t
from web.nodes import node_view
from web.render import render_page

bp = Blueprint("search", __name__)

FACETS = ("kind", "year", "level", "issuer")
SORTS = ("relevance", "date")
MAX_SYMBOL_CHARS = 40
MAX_SYMBOL_NODES = 5
MAX_PAGE = 1000  # deeper pages are refused: whoosh collects page * per_page hits


def _int_arg(name: str, default: int) -> int:
    """A positive integer parameter up to ``MAX_PAGE``; anything malformed is ``default``."""
    raw = request.args.get(name, "").strip()
    digits = raw.lstrip("0")
    if not (raw.isascii() and raw.isdigit()) or not digits:
        return default
    return MAX_PAGE if len(digits) > len(str(MAX_PAGE)) else min(int(digits), MAX_PAGE)


def _search_url(**changes: Any) -> str:
    """The search URL with the current parameters, ``changes`` applied (None drops)."""
    params: dict[str, Any] = {k: request.args.get(k) for k in request.args}
    for key, value in changes.items():
        params[key] = value
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return url_for("search.search", **params)


def _facet_block(facets: dict[str, list[tuple[str, int]]], filters: dict[str, str]) -> dict:
    """Facets as filter links: ``{"kind": [{"value", "count", "active", "url"}]}``."""
    block: dict[str, list[dict[str, Any]]] = {}
    for name in FACETS:
        rows = []
        for value, count in facets.get(name, []):
            active = filters.get(name) == str(value)
            rows.append(
                {
                    "value": str(value),
                    "count": int(count),
                    "active": active,
                    "url": _search_url(**{name: None if active else str(value), "page": None}),
                }
            )
        block[name] = rows
    return block


def _check_issuer(query: str, filters: dict[str, str]) -> None:
    """An issuer filter (parameter or ``issuer:`` in the query) needs a word to match.

    ``issuer=-`` has no syllable: refuse it with a message rather than run a
    query that can match nothing.
    """
    issuers = [filters.get("issuer", ""), parse_query(query).filters.get("issuer", "")]
    for value in issuers:
        if value and not query_syllables(value, folded=True):
            raise QueryError(t("search.bad_issuer", value=value))


def _hit(hit: Any) -> dict[str, Any]:
    row = asdict(hit)
    row["url"] = url_for("documents.document", doc_id=hit.doc_id)
    return row


def _browse(limit: int) -> tuple[list[dict[str, Any]], int]:
    """The newest ``limit`` corpus documents for the home page, and how many there are."""
    newest, total = get_backend().newest(limit)
    rows = []
    for doc in newest:
        ident = doc.extraction.identity
        rows.append(
            {
                "doc_id": doc.doc_id,
                "file": doc.file,
                "title": ident.title,
                "kind": ident.kind,
                "symbol": ident.symbol,
                "issuer": ident.issuer,
                "date": ident.date,
                "level": ident.level,
                "url": url_for("documents.document", doc_id=doc.doc_id),
            }
        )
    return rows, total


def _symbol_nodes(query: str) -> list[dict[str, Any]]:
    """Graph nodes when the query is a symbol (``29-CT/TW``): their pages are one click away."""
    if "/" not in query or len(query) > MAX_SYMBOL_CHARS:
        return []
    graph = get_backend().graph
    return [node_view(graph, n) for n in cascade.find_nodes(graph, query)[:MAX_SYMBOL_NODES]]


@bp.route("/", defaults={"fmt": "html"})
@bp.route("/search", defaults={"fmt": "html"})
@bp.route("/search.<any(json):fmt>")
def search(fmt: str) -> Any:
    """Search results, or the search box and the corpus list when there is no query."""
    query = request.args.get("q", "").strip()
    sort = request.args.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    page = _int_arg("page", 1)
    per_page = int(current_app.config["SEARCH_PER_PAGE"])
    filters = {name: request.args.get(name, "").strip() for name in FACETS}
    filters = {name: value for name, value in filters.items() if value}
    data: dict[str, Any] = {
        "query": query,
        "sort": sort,
        "page": page,
        "per_page": per_page,
        "filters": filters,
        "total": 0,
        "folded": False,
        "message": None,
        "hits": [],
        "facets": {name: [] for name in FACETS},
        "pages": {"last": 0, "prev_url": None, "next_url": None},
        "sort_urls": {
            s: _search_url(sort=None if s == "relevance" else s, page=None) for s in SORTS
        },
        "filter_remove_urls": {name: _search_url(**{name: None, "page": None}) for name in filters},
        "documents": [],
        "documents_total": 0,
        "nodes": _symbol_nodes(query),
    }
    if not query and not filters:
        data["message"] = t("search.empty_query")
        data["documents"], data["documents_total"] = _browse(
            int(current_app.config["HOME_DOCUMENTS"])
        )
        return render_page("search/search.html", data)
    try:
        _check_issuer(query, filters)
        result = get_backend().search(
            query, page=page, per_page=per_page, sort=sort, filters=filters
        )
    except QueryError as err:
        # A malformed query is the user's typo, not an error page.
        data["message"] = t("search.malformed", query=query, reason=err)
        return render_page("search/search.html", data)
    last = (result.total + per_page - 1) // per_page
    data.update(
        total=result.total,
        folded=bool(result.folded),
        hits=[_hit(h) for h in result.hits],
        facets=_facet_block(result.facets, filters),
        pages={
            "last": last,
            "prev_url": _search_url(page=page - 1) if page > 1 else None,
            "next_url": _search_url(page=page + 1) if page < last else None,
        },
    )
    if result.total == 0:
        data["message"] = t("search.no_results", query=query)
    elif page > last:
        data["message"] = t("search.page_beyond", page=page, last=last)
    return render_page("search/search.html", data)
