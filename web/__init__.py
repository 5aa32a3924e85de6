"""The vanban web UI: a Flask app factory (flaskr) over one index and its graph.

>>> app = create_app({"INDEX_DIR": "var/index", "OPEN_AT_START": False})
>>> sorted(app.blueprints)
['documents', 'graph', 'refs', 'search']
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request

from indexer.errors import IndexCorruptError, IndexMissingError, LibraryVersionError
from indexer.internals.versions import check_versions
from indexer.load.corpus import default_corpus_dir
from web.backend import Backend
from web.errors import QueryTooLongError, register_error_handlers
from web.messages import MESSAGES, level_name, t
from web.render import SafeJSONProvider, level_class

log = logging.getLogger(__name__)

# Longest query, symbol or node id accepted, in characters.
MAX_QUERY_CHARS = 300

DEFAULTS: dict[str, Any] = {
    "INDEX_DIR": os.path.join("var", "index"),
    "CORPUS_DIR": None,  # None: the bundled corpus
    "MAX_QUERY_CHARS": MAX_QUERY_CHARS,
    "SEARCH_PER_PAGE": 10,
    "MAX_GRAPH_DEPTH": 5,
    "MAX_WHOLE_GRAPH_NODES": 400,
    "MISSING_LIMIT": 50,
    "HOME_DOCUMENTS": 100,  # newest corpus documents listed on the home page
    "OPEN_AT_START": True,
    "SEARCHERS": 4,  # pooled searchers: as many as server threads
    "SEARCH_CACHE": 256,  # search pages remembered per index generation (0: none)
}

# Environment variables read by create_app, and the config key each sets.
ENV_VARS = {"VANBAN_INDEX": "INDEX_DIR", "VANBAN_CORPUS": "CORPUS_DIR"}

# Query parameters whose length is capped.
CAPPED_PARAMS = ("q", "symbol", "id", "issuer", "kind")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class VanbanFlask(Flask):
    """Flask with the escaping JSON provider."""

    json_provider_class = SafeJSONProvider


def _load_config(app: Flask, config: Mapping[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    for var, key in ENV_VARS.items():
        if os.environ.get(var):
            app.config[key] = os.environ[var]
    if config:
        app.config.from_mapping(config)
    if not app.config["CORPUS_DIR"]:
        app.config["CORPUS_DIR"] = str(default_corpus_dir())


def _check_query_length(limit: int) -> None:
    for name in CAPPED_PARAMS:
        for value in request.args.getlist(name):
            if len(value) > limit:
                raise QueryTooLongError(t("error.query_too_long", length=len(value), limit=limit))


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The app: config from ``config`` and ``VANBAN_*``, backend, blueprints, errors.

    Exits with one line (no traceback) when whoosh or underthesea is not the
    version setup.cfg pins (:func:`indexer.internals.versions.check_versions`).
    """
    try:
        check_versions()
    except LibraryVersionError as err:
        raise SystemExit(f"vanban: {err}") from None
    app = VanbanFlask(__name__)
    # "/" and "/search" are one page: serve both, never redirect one to the other.
    app.url_map.redirect_defaults = False
    _load_config(app, config)
    app.jinja_env.autoescape = True
    app.jinja_env.globals.update(
        t=t, messages=MESSAGES, level_class=level_class, level_name=level_name
    )

    backend = Backend(
        Path(app.config["INDEX_DIR"]),
        Path(app.config["CORPUS_DIR"]),
        searchers=int(app.config["SEARCHERS"]),
        cache_size=int(app.config["SEARCH_CACHE"]),
    )
    app.extensions["vanban"] = backend
    if app.config["OPEN_AT_START"]:
        try:
            backend.open()
        except (IndexMissingError, IndexCorruptError) as err:
            # Answer 503 with the hint per request until the index is (re)built.
            log.warning("%s", err)

    @app.before_request
    def _before() -> None:
        _check_query_length(int(app.config["MAX_QUERY_CHARS"]))
        if request.endpoint and request.endpoint != "static":
            # The request keeps this graph even if another thread swaps in a newer one.
            g.vanban_state = backend.sync()

    app.after_request(_add_security_headers)
    register_error_handlers(app)

    from web import documents, graph, refs, search

    for module in (search, documents, refs, graph):
        app.register_blueprint(module.bp)
    return app


def get_backend() -> Backend:
    """The backend of the current app."""
    from flask import current_app

    backend: Backend = current_app.extensions["vanban"]
    return backend


__all__ = ["create_app", "get_backend"]
