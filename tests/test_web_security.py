"""Untrusted text comes out escaped; no file outside the corpus; headers; query cap."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from web_corpus import EVIL_DOC_ID, EVIL_MARKUP, SEED_001

from indexer.search.searcher import StoredDocument

pytest_plugins = ["web_fixtures"]

Q_EVIL = quote(EVIL_MARKUP)

# Pages that show the hostile document's title or text, or the query itself.
EVIL_PAGES = [
    "/",
    f"/search?q={Q_EVIL}",
    "/search?q=thử nghiệm an toàn",
    "/search?q=an toàn&kind=Kế hoạch",
    f"/doc/{EVIL_DOC_ID}",
    "/ref?symbol=77/KH-UBND",
    "/ref?symbol=29-CT/TW",
    "/missing",
    "/graph",
    "/graph?symbol=29-CT/TW&depth=1",
    f"/ref?symbol={Q_EVIL}",
    f"/doc/{Q_EVIL}",
    f"/graph?symbol={Q_EVIL}",
]


def twin_of(url: str) -> str:
    path, _, query = url.partition("?")
    path = "/search" if path == "/" else path
    return f"{path}.json" + (f"?{query}" if query else "")


class _Inline(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, styles, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script":
            self._in_script = True
            if "src" not in names:
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        self.problems += [f"{tag}[{n}]" for n in names if n == "style" or n.startswith("on")]

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("script body")


def test_hostile_document_is_indexed(client: FlaskClient) -> None:
    """The fixture really carries the markup (else the escaping tests prove nothing)."""
    doc = client.get(f"/doc/{EVIL_DOC_ID}.json").get_json()
    assert EVIL_MARKUP in doc["text"]
    assert EVIL_MARKUP in doc["identity"]["title"]


@pytest.mark.parametrize("url", EVIL_PAGES)
def test_markup_is_escaped_on_page_and_twin(client: FlaskClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code in (200, 404)
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    parser = _Inline()
    parser.feed(page.text)
    assert parser.problems == []
    twin = client.get(twin_of(url))
    assert twin.status_code == page.status_code
    raw = twin.get_data(as_text=True)
    assert "<" not in raw and ">" not in raw  # written as \u003c / \u003e
    json.loads(raw)


@pytest.mark.parametrize(
    ("url", "escaped"),
    [
        (f"/doc/{EVIL_DOC_ID}", "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;"),
        (f"/doc/{EVIL_DOC_ID}", "&lt;img src=x onerror=alert(1)&gt;"),
        (f"/search?q={Q_EVIL}", "«&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;»"),
        ("/search?q=thử nghiệm an toàn", "&lt;script&gt;"),
    ],
)
def test_markup_is_shown_as_text(client: FlaskClient, url: str, escaped: str) -> None:
    """Escaped, not dropped: the reader sees the characters the document has."""
    assert escaped in client.get(url).text


def test_doc_text_escaped_by_annotate(client: FlaskClient) -> None:
    """annotate_html escapes the text (quotes stay: harmless in text nodes) and adds links."""
    text_html = client.get(f"/doc/{EVIL_DOC_ID}.json").get_json()["text_html"]
    assert '&lt;script&gt;alert("xss")&lt;/script&gt;' in text_html
    assert '<a href="/ref?id=' in text_html  # 29-CT/TW is a link into the graph


TRAVERSALS = [
    "/doc/..%2F..%2F..%2Fetc%2Fpasswd/download",
    "/doc/../../etc/passwd/download",
    "/doc/%2e%2e/download",
    "/doc/..%5C..%5Cwindows/download",
    "/static/../../../../etc/passwd",
    "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/static/%2e%2e/%2e%2e/web/__init__.py",
    "/doc/..%2Fcorpus%2F001_390e6e42b23c01ee.txt",
    "/export/graph.graphml?symbol=../../etc/passwd",
    "/ref?id=../../etc/passwd",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_path_traversal_is_404(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert b"root:" not in response.data


@pytest.mark.parametrize("rel_path", ["../../etc/passwd", "/etc/passwd", "sub/../../x.txt"])
def test_download_refuses_stored_paths_outside_the_corpus(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, rel_path: str
) -> None:
    """Even a tampered index cannot make the download route leave the corpus."""
    backend = app.extensions["vanban"]
    real = backend.document(SEED_001)
    forged = StoredDocument(
        doc_id=real.doc_id,
        file="passwd",
        rel_path=rel_path,
        path="/etc/passwd",
        text=real.text,
        extraction=real.extraction,
        sha256="",
    )
    monkeypatch.setattr(backend, "document", lambda doc_id: forged)
    response = client.get(f"/doc/{SEED_001}/download")
    assert response.status_code == 404


def test_download_serves_the_original_file(client: FlaskClient, app: Flask) -> None:
    response = client.get(f"/doc/{SEED_001}/download")
    assert response.status_code == 200
    original = Path(app.config["CORPUS_DIR"]) / f"{SEED_001}.txt"
    assert response.data == original.read_bytes()
    assert f"filename={SEED_001}.txt" in response.headers["Content-Disposition"]
    response.close()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search.json?q=x",
        f"/doc/{SEED_001}/download",
        "/static/style.css",
        "/nope",
        "/export/graph.gexf",
    ],
)
def test_security_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    response.close()


@pytest.mark.parametrize("param", ["q", "symbol", "id"])
def test_query_length_cap(client: FlaskClient, app: Flask, param: str) -> None:
    limit = app.config["MAX_QUERY_CHARS"]
    path = "/search" if param == "q" else "/ref"
    too_long = client.get(f"{path}?{param}=" + "giáo dục " * (limit // 9 + 1))
    assert too_long.status_code == 400
    assert "quá dài" in too_long.text and f"tối đa {limit} ký tự" in too_long.text
    at_limit = client.get("/search?q=" + "a" * limit)
    assert at_limit.status_code == 200
