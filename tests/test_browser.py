"""The UI in a real Chromium (Debian's package), driven by Playwright's sync API.

The server is the production one (waitress) in a background thread on
127.0.0.1, over a temporary index of the bundled corpus. Screenshots of each
step go to ``test-artifacts/`` (git-ignored); with ``VANBAN_UPDATE_SCREENSHOTS=1``
the search and cascade shots are also written to ``docs/screenshots/`` for the
README.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from web_corpus import serve_in_background

from indexer.index.indexing import build_index
from indexer.load.corpus import default_corpus_dir
from web import create_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
DOC_SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEED_001 = "001_390e6e42b23c01ee"
TIMEOUT_MS = 20_000

if not Path(CHROMIUM).exists():  # `make test` installs it (browser-deps)
    pytest.skip(f"{CHROMIUM} is not installed: run `make browser-deps`", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """waitress serving the bundled corpus on a free port; yields the base URL."""
    index_dir = tmp_path_factory.mktemp("browser") / "index"
    corpus = default_corpus_dir()
    report = build_index([corpus], index_dir, progress=False)
    assert report.indexed >= 5 and not report.failed
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus)})
    with serve_in_background(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records console errors and failed requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.problems = []
    tab.on("console", lambda m: m.type == "error" and tab.problems.append(m.text))
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    yield tab
    context.close()


def shot(page: Any, name: str, *, doc: str | None = None) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if doc and os.environ.get("VANBAN_UPDATE_SCREENSHOTS") == "1":
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOC_SHOTS / doc))


def test_search_to_cascade_to_export(server: str, page: Any, tmp_path: Path) -> None:
    expect = sync_api.expect
    p = page

    p.goto(f"{server}/")
    expect(p.locator("input[name=q]")).to_be_visible()
    shot(p, "01-home")

    # Search as a person would: type, press Enter.
    p.fill("input[name=q]", "phổ cập giáo dục")
    p.press("input[name=q]", "Enter")
    p.wait_for_url(lambda url: "/search?q=" in url)
    hits = p.locator("li.hit")
    expect(hits).to_have_count(4)
    expect(p.locator("#total")).to_have_text("Tìm thấy 4 văn bản")
    for i in range(4):
        expect(hits.nth(i).locator(".snippet mark").first).to_be_visible()
    shot(p, "02-results", doc="search.png")

    # Open seed 001.
    p.locator(f"li.hit[data-doc-id='{SEED_001}'] a.title").click()
    p.wait_for_url(f"**/doc/{SEED_001}")
    expect(p.locator("h1")).to_contain_text("Kế hoạch")
    shot(p, "03-document")

    # Its text links 232-KH/TU to the node page.
    p.locator("#text a.ref", has_text="232-KH/TU").first.click()
    p.wait_for_url(lambda url: "/ref?" in url)
    expect(p.locator("h1")).to_contain_text("232-KH/TU")
    expect(p.locator("h1 .not-in-corpus")).to_have_text("không có trong kho")
    shot(p, "04-232-KH-TU")

    # 232-KH/TU implements 29-CT/TW: follow it.
    p.locator("section.cites a.node-link", has_text="29-CT/TW").first.click()
    p.wait_for_url(lambda url: "/ref?" in url)
    expect(p.locator("h1")).to_contain_text("Chỉ thị 29-CT/TW")
    cascade = p.locator("#cascade")
    first = cascade.locator("ul.cascade > li > details").first
    expect(first.locator("summary").first).to_contain_text("232-KH/TU")
    plan = cascade.locator(f"details details a[href='/doc/{SEED_001}']").first
    expect(plan).to_be_visible()
    shot(p, "05-cascade", doc="cascade.png")

    # The tree collapses without any script of ours: <details>.
    first.locator("summary").first.click()
    expect(plan).to_be_hidden()
    first.locator("summary").first.click()
    expect(plan).to_be_visible()

    # Download the GraphML export of the neighbourhood and read it back.
    with p.expect_download() as info:
        p.locator(".exports a", has_text="GraphML").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".graphml")
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(target, ARTIFACTS / target.name)
    graph = nx.read_graphml(target)
    symbols = {attrs.get("symbol") for _, attrs in graph.nodes(data=True)}
    assert {"29-CT/TW", "232-KH/TU"} <= symbols
    assert any(attrs.get("doc_id") == SEED_001 for _, attrs in graph.nodes(data=True))
    assert graph.number_of_edges() >= 2
    assert p.problems == []


def test_graph_view_draws_and_links(server: str, page: Any) -> None:
    expect = sync_api.expect
    p = page
    p.goto(f"{server}/graph?symbol=29-CT/TW&depth=2")
    canvas = p.locator("#cy")
    expect(canvas.locator("canvas").first).to_be_attached()
    p.wait_for_function("document.getElementById('cy').dataset.ready > 0")
    shot(p, "06-graph")
    count = int(canvas.get_attribute("data-ready"))
    shown = p.request.get(f"{server}/graph.json?symbol=29-CT/TW&depth=2").json()
    assert count == shown["counts"]["nodes"] >= 3
    # No CSP violation or script error on the only page that runs JavaScript.
    assert p.problems == []


def test_pages_work_without_javascript(server: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{server}/search?q=xoá mù chữ")
    sync_api.expect(tab.locator("li.hit")).to_have_count(3)
    tab.goto(f"{server}/ref?symbol=42-NQ/TW")
    sync_api.expect(tab.locator("#cascade details").first).to_be_visible()
    context.close()
