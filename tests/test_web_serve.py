"""``vanban serve``: builds a missing index, then serves under waitress; reloads on change."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from web_corpus import SEED_001, SEED_CORPUS, serve_in_background

from indexer.cli import main
from indexer.cli.serve_cmd import ensure_index
from indexer.graph.citation_graph import GRAPH_FILE
from indexer.index.indexing import build_index
from web import create_app

pytest_plugins = ["web_fixtures"]

SEED_004 = "004_8af12c4f00c65269"
REPO_ROOT = Path(__file__).resolve().parent.parent


def one_seed_corpus(target: Path, *doc_ids: str) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for doc_id in doc_ids:
        shutil.copy2(SEED_CORPUS / f"{doc_id}.txt", target / f"{doc_id}.txt")
    return target


def seed_001_app(tmp_path: Path) -> tuple[Flask, Path, Path]:
    """An app over a fresh index of seed 001 alone: (app, corpus, index dir)."""
    corpus = one_seed_corpus(tmp_path / "corpus", SEED_001)
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, progress=False)
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus), "TESTING": True})
    return app, corpus, index_dir


def test_serve_indexes_first_then_runs_waitress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import waitress

    corpus = one_seed_corpus(tmp_path / "corpus", SEED_001)
    index_dir = tmp_path / "index"
    served: dict[str, Any] = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.update(app=app, **kw))
    argv = ["serve", "--index", str(index_dir), "--corpus", str(corpus), "--port", "8123"]
    assert main([*argv, "--threads", "2"]) == 0
    assert (served["host"], served["port"], served["threads"]) == ("127.0.0.1", 8123, 2)
    err = capsys.readouterr().err
    assert "đang lập chỉ mục" in err and "http://127.0.0.1:8123/" in err
    with served["app"].test_client() as client:
        body = client.get("/search.json?q=phổ cập giáo dục").get_json()
    assert [h["doc_id"] for h in body["hits"]] == [SEED_001]
    # The index now exists: a second start does not rebuild it.
    assert ensure_index(index_dir, corpus, progress=False) is False


def test_app_reloads_index_and_graph_when_the_index_changes(tmp_path: Path) -> None:
    app, corpus, index_dir = seed_001_app(tmp_path)
    backend = app.extensions["vanban"]
    with app.test_client() as client:
        assert client.get(f"/doc/{SEED_004}.json").status_code == 404
        generation = backend.generation
        one_seed_corpus(corpus, SEED_004)
        build_index([corpus], index_dir, progress=False)
        assert client.get(f"/doc/{SEED_004}.json").status_code == 200
        assert backend.generation == generation + 1
        assert backend.node_for_doc(SEED_004) is not None
        # Unchanged index: no reload on the next request.
        client.get("/search.json?q=giáo dục")
        assert backend.generation == generation + 1
        # A graph saved after the index commit (a request fell in between) is picked up too.
        graph_file = index_dir / GRAPH_FILE
        stamp = graph_file.stat().st_mtime_ns
        os.utime(graph_file, ns=(stamp + 10**9, stamp + 10**9))
        client.get("/search.json?q=giáo dục")
        assert backend.generation == generation + 2


@pytest.mark.slow
def test_concurrent_requests_under_waitress(app: Any) -> None:
    """Eight threads at once on the shared searcher and graph: every answer is the same."""
    paths = [
        "/search.json?q=" + quote("phổ cập giáo dục"),
        "/search.json?q=" + quote("giáo dục") + "&sort=date",
        f"/doc/{SEED_001}.json",
        "/ref.json?symbol=" + quote("42-NQ/TW"),
        "/graph.json",
    ] * 8

    with serve_in_background(app) as base:

        def fetch(path: str) -> tuple[str, int, Any]:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                return path, response.status, json.load(response)

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(fetch, paths))
    assert all(status == 200 for _, status, _ in results)
    first: dict[str, Any] = {}
    for path, _, body in results:
        assert body == first.setdefault(path, body)


@pytest.mark.slow
def test_serve_with_two_processes_shares_the_port_and_stops_cleanly(web_index: Any) -> None:
    """``vanban serve --processes 2``: forked servers answer on one port; SIGTERM stops all."""
    launcher = "from indexer.cli import main; raise SystemExit(main())"
    command = [sys.executable, "-c", launcher, "serve", "--port", "0", "--processes", "2"]
    command += ["--index", str(web_index.index_dir), "--corpus", str(web_index.corpus_dir)]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    announced = threading.Event()
    lines: list[str] = []

    def drain() -> None:  # keep reading, so a full pipe never blocks the server
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "giao diện web tại" in line:
                announced.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        assert announced.wait(timeout=60), "".join(lines)
        base = next(x for x in lines if "http://" in x).split("tại ", 1)[1].split("/ ")[0]
        paths = ["/search.json?q=pho+cap+giao+duc", f"/doc/{SEED_001}.json"] * 16

        def fetch(path: str) -> bytes:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                return bytes(response.read())

        with ThreadPoolExecutor(max_workers=16) as pool:
            bodies = list(pool.map(fetch, paths))
        hits = json.loads(bodies[0])["hits"]
        assert hits[0]["doc_id"] == SEED_001
        assert len(set(bodies[0::2])) == 1 and len(set(bodies[1::2])) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, "".join(lines)
        reader.join(timeout=30)
        assert proc.stderr is not None
        proc.stderr.close()
    assert "Traceback" not in "".join(lines)


def test_index_commit_without_a_new_graph_keeps_the_loaded_graph(tmp_path: Path) -> None:
    """Between the index commit and the graph save, requests do not reload the old graph."""
    app, corpus, index_dir = seed_001_app(tmp_path)
    backend = app.extensions["vanban"]
    with app.test_client() as client:
        before = client.get("/search.json?q=phổ cập giáo dục").get_json()
        graph, generation = backend.graph, backend.generation
        # A new whoosh generation with the same content, as a commit leaves it.
        toc = max(index_dir.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.split("_")[-1]))
        number = int(toc.stem.split("_")[-1]) + 1
        shutil.copy2(toc, index_dir / f"_MAIN_{number}.toc")
        assert client.get("/search.json?q=phổ cập giáo dục").get_json() == before
        assert backend.graph is graph and backend.generation == generation
        assert backend.state.stamp[2] == number


@pytest.mark.parametrize(
    ("options", "expected"),
    [([], 2), (["--threads", "1"], 1), (["--searchers", "6", "--threads", "8"], 6)],
    ids=["default-two", "capped-by-threads", "explicit"],
)
def test_serve_opens_at_most_searchers_per_process(
    web_index: Any, monkeypatch: pytest.MonkeyPatch, options: list[str], expected: int
) -> None:
    import waitress

    served: dict[str, Any] = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.update(app=app, **kw))
    # The session's index, read-only: serve finds it built and only opens it.
    argv = ["-q", "serve", *options]
    argv += ["--index", str(web_index.index_dir), "--corpus", str(web_index.corpus_dir)]
    assert main(argv) == 0
    assert served["app"].config["SEARCHERS"] == expected
