"""The app under a real waitress server on 127.0.0.1 with many clients at once.

Searches (accent-free, phrase, filtered, sorted), documents, ``/ref`` cascades
and exports are fired from 32 threads at a server with 8 threads and pooled
searchers: every answer must be the one a single client gets. A running server
must pick up a finished re-index (and answer during one) without a restart.
Every request loop is bounded in count, every request in time.
"""

from __future__ import annotations

import json
import shutil
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from web_corpus import SEED_000, SEED_001, SEED_CORPUS, serve_in_background

from indexer.graph.export import read_graph
from indexer.index.indexing import build_index
from web import create_app

pytest_plugins = ["web_fixtures"]
# Multi-second load runs: `make test` and CI run them, `make test-fast` does not.
pytestmark = pytest.mark.slow

SEED_004 = "004_8af12c4f00c65269"
CLIENTS = 32
SERVER_THREADS = 8
ROUNDS = 6  # each path is requested ROUNDS times, interleaved
TIMEOUT = 60  # seconds per request: a hung server fails the test instead of blocking it

MIXED_PATHS = [
    "/search.json?q=" + quote("phổ cập giáo dục"),
    "/search?q=pho+cap+giao+duc",
    "/search.json?q=" + quote('"xã hội học tập"'),
    "/search.json?q=" + quote("giáo dục") + "&sort=date&page=2",
    "/search.json?q=" + quote("kế hoạch") + "&kind=" + quote("Kế hoạch"),
    "/search?q=" + quote("khuyến học OR khuyến tài"),
    f"/doc/{SEED_001}",
    f"/doc/{SEED_000}.json",
    "/ref?symbol=" + quote("29-CT/TW"),
    "/ref.json?symbol=" + quote("29-CT/TW"),
    "/graph.json",
    "/missing.json",
    "/",
    "/export/graph.graphml",
    "/export/graph.json?symbol=" + quote("29-CT/TW") + "&depth=2",
]


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, content type, body) of one GET; HTTP errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


def fetch_all(base: str, paths: list[str]) -> list[tuple[str, int, str, bytes]]:
    """Every path fetched from ``CLIENTS`` threads at once, in the order given."""

    def one(path: str) -> tuple[str, int, str, bytes]:
        return (path, *fetch(base + path))

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(one, paths))


def search_ids(base: str, query: str) -> list[str]:
    status, _, body = fetch(f"{base}/search.json?q={quote(query)}")
    assert status == 200, body
    return [hit["doc_id"] for hit in json.loads(body)["hits"]]


@pytest.fixture(scope="module")
def pooled_app(web_index: Any) -> Flask:
    """The test index served with pooled searchers and no result cache (every search runs)."""
    return create_app(
        {
            "INDEX_DIR": str(web_index.index_dir),
            "CORPUS_DIR": str(web_index.corpus_dir),
            "SEARCHERS": SERVER_THREADS,
            "SEARCH_CACHE": 0,
        }
    )


def test_mixed_load_answers_like_a_single_client(pooled_app: Flask) -> None:
    with pooled_app.test_client() as client:
        expected = {path: client.get(path) for path in MIXED_PATHS}
    assert all(r.status_code == 200 for r in expected.values())
    paths = [path for _ in range(ROUNDS) for path in MIXED_PATHS]
    with serve_in_background(pooled_app, threads=SERVER_THREADS) as base:
        results = fetch_all(base, paths)
    assert len(results) == len(paths)
    for path, status, content_type, body in results:
        assert status == 200, (path, body[:300])
        assert content_type == expected[path].content_type, path
        assert body == expected[path].data, path
    # The bodies are the right ones, not only equal ones.
    by_path = {path: body for path, _, _, body in results}
    first = json.loads(by_path[MIXED_PATHS[0]])
    assert first["ok"] is True and [h["doc_id"] for h in first["hits"]][0] == SEED_001
    assert "<mark>" in by_path["/search?q=pho+cap+giao+duc"].decode()
    exported = read_graph(by_path["/export/graph.graphml"], "graphml")
    assert any(data.get("doc_id") == SEED_001 for _, data in exported.nodes(data=True))


def test_pool_never_shares_a_searcher_between_threads(pooled_app: Flask) -> None:
    backend = pooled_app.extensions["vanban"]
    paths = ["/search.json?q=" + quote(q) for q in ("giáo dục", "pho cap", '"học sinh"')] * 20
    with serve_in_background(pooled_app, threads=SERVER_THREADS) as base:
        results = fetch_all(base, paths)
    assert {status for _, status, _, _ in results} == {200}
    idle = backend._idle
    assert 1 <= len(idle) <= SERVER_THREADS
    assert len({id(slot.searcher) for slot in idle}) == len(idle)


def test_running_server_picks_up_a_finished_reindex(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(SEED_CORPUS / f"{SEED_001}.txt", corpus)
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, progress=False)
    app = create_app(
        {"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus), "SEARCHERS": SERVER_THREADS}
    )
    backend = app.extensions["vanban"]
    with serve_in_background(app, threads=SERVER_THREADS) as base:
        # Fill the pool with searchers opened on the old index.
        warm = fetch_all(base, ["/search.json?q=binh+lang", f"/doc/{SEED_004}.json"] * 16)
        assert {status for _, status, _, _ in warm} == {200, 404}
        assert search_ids(base, "Bình Lãng") == []
        generation = backend.generation

        shutil.copy2(SEED_CORPUS / f"{SEED_004}.txt", corpus)
        build_index([corpus], index_dir, progress=False)

        # Every pooled searcher follows the new index; the graph was reloaded once.
        after = fetch_all(base, ["/search.json?q=binh+lang", f"/doc/{SEED_004}.json"] * 16)
        for path, status, _, body in after:
            assert status == 200, (path, body[:300])
            if path.startswith("/search"):
                assert [h["doc_id"] for h in json.loads(body)["hits"]] == [SEED_004]
        assert backend.generation == generation + 1
        assert backend.node_for_doc(SEED_004) is not None
        status, _, body = fetch(f"{base}/ref.json?symbol={quote('07-ĐA/ĐU')}")
        assert status == 200
        mentioned = [row["source"].get("doc_id") for row in json.loads(body)["mentioned_by"]]
        assert SEED_004 in mentioned


def test_searches_during_indexing_succeed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(SEED_CORPUS / f"{SEED_001}.txt", corpus)
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, progress=False)
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus), "SEARCH_CACHE": 0})
    for path in sorted(SEED_CORPUS.glob("*.txt")):
        shutil.copy2(path, corpus)
    indexer = threading.Thread(
        target=build_index, args=([corpus], index_dir), kwargs={"progress": False}
    )
    statuses: list[int] = []
    with serve_in_background(app, threads=4) as base:
        indexer.start()
        # Bounded: at most 400 rounds, however long indexing takes.
        for _ in range(400):
            if not indexer.is_alive():
                break
            statuses.append(fetch(f"{base}/search.json?q={quote('phổ cập giáo dục')}")[0])
            statuses.append(fetch(f"{base}/doc/{SEED_001}.json")[0])
        indexer.join(timeout=TIMEOUT)
        assert not indexer.is_alive()
        assert search_ids(base, "Bình Lãng") == [SEED_004]
    assert statuses and set(statuses) == {200}
