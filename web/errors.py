"""One error handler: VanbanError / HTTPException -> error.html or the JSON error.

Every JSON error has one shape, ``{"ok": false, "error": "...", "status": N}``;
HTML errors are a friendly Vietnamese page with a search suggestion when a
document or symbol was not found.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.errors import NotFoundError, QueryError, VanbanError
from web.messages import t
from web.render import wants_json

log = logging.getLogger(__name__)


class QueryTooLongError(QueryError):
    """A query, symbol or id longer than the configured cap."""

    hint = t("error.query_too_long_hint")


class PageNotFoundError(NotFoundError):
    """An unknown document or symbol, with what to search for instead."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def error_response(message: str, status: int, suggestion: str | None = None) -> Response:
    """The canonical error: JSON on a ``.json`` path, else the error page."""
    if wants_json():
        response = jsonify({"ok": False, "error": message, "status": status})
    else:
        html = render_template("error.html", message=message, status=status, suggestion=suggestion)
        response = Response(html, mimetype="text/html")
    response.status_code = status
    return response


def _message_for(err: VanbanError) -> str:
    return f"{err.message} — {err.hint}" if err.hint else err.message


def handle_vanban_error(err: VanbanError) -> Response:
    """VanbanError -> its status and Vietnamese message (with its hint)."""
    if err.status >= 500:
        log.error("%s: %s", type(err).__name__, err)
    suggestion = getattr(err, "suggestion", None)
    return error_response(_message_for(err), err.status, suggestion)


def handle_http_exception(err: HTTPException) -> Response:
    """Werkzeug's 404/405/… -> the same shapes, in Vietnamese."""
    status = err.code or 500
    message = t(f"error.{status}") if f"error.{status}" in _KNOWN else t("error.generic")
    return error_response(message, status)


def handle_unexpected(err: Exception) -> Response:
    """Anything else is a bug: log it with its traceback, answer a friendly 500."""
    if isinstance(err, HTTPException):
        return handle_http_exception(err)
    log.exception("unhandled error on %s", request.path)
    return error_response(t("error.500"), 500)


_KNOWN = {"error.400", "error.404", "error.405", "error.500", "error.503"}


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on ``app``."""
    handlers: list[tuple[Any, Any]] = [
        (VanbanError, handle_vanban_error),
        (HTTPException, handle_http_exception),
        (Exception, handle_unexpected),
    ]
    for exc, handler in handlers:
        app.register_error_handler(exc, handler)
