"""Every HTML page and its JSON twin: 200, same top-level keys, same query parameters.

Also: every route is listed in the route table (docs/ROUTES.md and README.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient
from web_corpus import SEED_001

pytest_plugins = ["web_fixtures"]

ROOT = Path(__file__).resolve().parent.parent

# (HTML URL, its JSON twin). Query strings are kept as typed in a browser.
PAGES = [
    ("/", "/search.json"),
    ("/search", "/search.json"),
    ("/search?q=phổ cập giáo dục", "/search.json?q=phổ cập giáo dục"),
    (
        "/search?q=pho cap giao duc&sort=date&page=2",
        "/search.json?q=pho cap giao duc&sort=date&page=2",
    ),
    (
        "/search?q=giáo dục&kind=Kế hoạch&year=2024",
        "/search.json?q=giáo dục&kind=Kế hoạch&year=2024",
    ),
    ("/search?level=tỉnh", "/search.json?level=tỉnh"),
    ('/search?q="phổ cập', '/search.json?q="phổ cập'),
    (f"/doc/{SEED_001}", f"/doc/{SEED_001}.json"),
    ("/ref?symbol=29-CT/TW", "/ref.json?symbol=29-CT/TW"),
    ("/ref?symbol=42-NQ/TW&depth=1", "/ref.json?symbol=42-NQ/TW&depth=1"),
    ("/ref?symbol=232-KH/TU", "/ref.json?symbol=232-KH/TU"),
    ("/missing", "/missing.json"),
    ("/graph", "/graph.json"),
    ("/graph?symbol=29-CT/TW&depth=2", "/graph.json?symbol=29-CT/TW&depth=2"),
]

# Keys Flask and create_app add to every template context.
CONTEXT_EXTRAS = {
    "json_url",
    "request",
    "session",
    "g",
    "config",
    "url_for",
    "get_flashed_messages",
}


def render_context(app: Flask, client: FlaskClient, url: str) -> tuple[Any, dict[str, Any]]:
    """The response and the context of the page template it rendered."""
    seen: list[dict[str, Any]] = []

    def record(sender: Flask, template: Any, context: dict[str, Any], **extra: Any) -> None:
        seen.append(dict(context))

    with template_rendered.connected_to(record, app):
        response = client.get(url)
    return response, seen[0]


def same_params(a: str, b: str) -> bool:
    return parse_qs(urlsplit(a).query) == parse_qs(urlsplit(b).query)


@pytest.mark.parametrize(("html_url", "json_url"), PAGES, ids=[p[0] for p in PAGES])
def test_page_and_twin(app: Flask, client: FlaskClient, html_url: str, json_url: str) -> None:
    page, context = render_context(app, client, html_url)
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    twin = client.get(json_url)
    assert twin.status_code == 200
    assert twin.mimetype == "application/json"
    body = twin.get_json()
    assert body["ok"] is True
    # The HTML template got exactly the dict the twin carries.
    assert set(body) - {"ok"} == set(context) - CONTEXT_EXTRAS
    # The page announces its twin with the same query parameters, twice.
    announced = context["json_url"]
    assert urlsplit(announced).path == urlsplit(json_url).path
    assert same_params(announced, html_url)
    assert f'<link rel="alternate" type="application/json" href="{announced}' in page.text.replace(
        "&amp;", "&"
    )
    assert page.headers["Link"] == f'<{announced}>; rel="alternate"; type="application/json"'
    # Following the announced twin gives the same document as the typed one.
    assert client.get(announced).get_json() == body


def _documented_paths(app: Flask) -> list[str]:
    """Each URL rule as the route table writes it (``.<fmt>`` expanded)."""
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        text = rule.rule
        if text.endswith("fmt>"):
            stem = text[: text.index(".<")]
            formats = ["graphml", "gexf", "json", "csv"] if "export" in text else ["json"]
            paths += [f"{stem}.{fmt}" for fmt in formats]
        else:
            paths.append(text)
    return paths


@pytest.mark.parametrize("doc", ["docs/ROUTES.md", "README.md"])
def test_every_route_is_documented(app: Flask, doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    missing = [p for p in _documented_paths(app) if f"`{p}" not in text]
    assert not missing, f"routes missing from {doc}'s route table: {missing}"
