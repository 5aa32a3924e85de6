"""One dict per page, rendered as HTML or as its JSON twin (datasette).

Each page is two URL rules on one view: ``/doc/<doc_id>`` (``fmt="html"``) and
``/doc/<doc_id>.json``. The view builds a dict; :func:`render_page` returns it
as ``{"ok": true, ...}`` for the twin, or renders the template with the same
keys and announces the twin with ``<link rel="alternate">`` and a ``Link``
header.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, render_template, request, url_for
from flask.json.provider import DefaultJSONProvider

JSON_MIMETYPE = "application/json"


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, UTF-8 kept, with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc.

    Document text is untrusted: even a JSON twin opened as HTML by an old
    browser or a careless proxy must never carry a live ``<script>``. These
    characters only occur inside JSON strings, where the escapes mean the same.
    """

    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def wants_json() -> bool:
    """True on a ``.json`` twin (the ``fmt`` URL variable, or a path ending in .json).

    The path decides too: ``/doc/.json`` matches the HTML rule with the doc id
    ``.json``, and its 404 must still be JSON.
    """
    fmt = (request.view_args or {}).get("fmt")
    return fmt == "json" or request.path.endswith(".json")


def json_twin_url() -> str:
    """The URL of the current page's JSON twin, with the same query parameters."""
    view_args = dict(request.view_args or {})
    view_args["fmt"] = "json"
    params: dict[str, Any] = {key: request.args.getlist(key) for key in request.args}
    return url_for(str(request.endpoint), **view_args, **params)


def html_url() -> str:
    """The URL of the current page's HTML form, with the same query parameters."""
    view_args = dict(request.view_args or {})
    view_args["fmt"] = "html"
    params: dict[str, Any] = {key: request.args.getlist(key) for key in request.args}
    return url_for(str(request.endpoint), **view_args, **params)


def render_page(template: str, data: dict[str, Any], status: int = 200) -> Response:
    """The page for ``data``: JSON envelope on a twin, else HTML from ``template``."""
    if wants_json():
        response = jsonify({"ok": True, **data})
        response.status_code = status
        return response
    twin = json_twin_url()
    html = render_template(template, **data, json_url=twin)
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Link"] = f'<{twin}>; rel="alternate"; type="{JSON_MIMETYPE}"'
    return response


# CSS class per administrative level (the values are Vietnamese, classes ASCII).
LEVEL_CLASSES = {
    "Trung ương": "central",
    "tỉnh": "province",
    "huyện": "district",
    "xã": "commune",
    "trường": "school",
}


def level_class(level: str | None) -> str:
    """``"tỉnh"`` -> ``"province"``; unknown levels -> ``"unknown"``."""
    return LEVEL_CLASSES.get(level or "", "unknown")
