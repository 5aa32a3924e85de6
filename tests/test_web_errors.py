"""Error shapes on every error path (datasette ``test_error_shape``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from indexer.graph.citation_graph import GRAPH_FILE, load_graph, save_graph
from web import create_app

pytest_plugins = ["web_fixtures"]

# (URL, status). URLs ending in .json (before the query) must answer the JSON shape.
ERRORS = [
    ("/doc/khong_co_van_ban", 404),
    ("/doc/khong_co_van_ban.json", 404),
    ("/doc/khong_co_van_ban/download", 404),
    ("/ref?symbol=999-XX/YY", 404),
    ("/ref.json?symbol=999-XX/YY", 404),
    ("/ref", 404),
    ("/ref.json", 404),
    ("/ref?symbol=29-CT/TW&depth=abc", 400),
    ("/ref.json?symbol=29-CT/TW&depth=99", 400),
    ("/ref.json?symbol=29-CT/TW&depth=²", 400),
    ("/ref.json?symbol=29-CT/TW&depth=" + "9" * 5000, 400),
    ("/graph?symbol=999-XX/YY", 404),
    ("/graph.json?symbol=999-XX/YY", 404),
    ("/graph.json?symbol=29-CT/TW&depth=0", 400),
    ("/export/graph.xml", 404),
    ("/export/graph.json?symbol=999-XX/YY", 404),
    ("/export/graph.graphml?symbol=29-CT/TW&depth=x", 400),
    ("/khong-co-trang-nay", 404),
    ("/khong-co-trang-nay.json", 404),
    ("/search.xml", 404),
    ("/search?q=" + "a" * 301, 400),
    ("/search.json?q=" + "a" * 301, 400),
]


def is_json_url(url: str) -> bool:
    return url.split("?")[0].endswith(".json")


@pytest.mark.parametrize(("url", "status"), ERRORS, ids=[e[0][:60] for e in ERRORS])
def test_error_shape(client: FlaskClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    if is_json_url(url):
        body = response.get_json()
        assert set(body) == {"ok", "error", "status"}
        assert body["ok"] is False
        assert body["status"] == status
        assert isinstance(body["error"], str) and len(body["error"]) > 10
    else:
        assert response.mimetype == "text/html"
        assert "Có lỗi" in response.text
        assert f'<span class="status">{status}</span>' in response.text
        assert 'action="/search"' in response.text  # a search box to go on from


def test_method_not_allowed(client: FlaskClient) -> None:
    response = client.post("/search.json")
    assert response.status_code == 405
    assert response.get_json() == {
        "ok": False,
        "error": "Phương thức này không được hỗ trợ.",
        "status": 405,
    }


@pytest.mark.parametrize(
    ("url", "suggestion"),
    [
        ("/ref?symbol=999-XX/YY", "/search?q=999-XX/YY"),
        ("/doc/khong_co_van_ban", "/search?q=khong_co_van_ban"),
    ],
)
def test_not_found_suggests_a_search(client: FlaskClient, url: str, suggestion: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert f'href="{suggestion}"' in response.text
    assert "Thử tìm kiếm" in response.text


def test_not_found_message_is_vietnamese(client: FlaskClient) -> None:
    body = client.get("/ref.json?symbol=999-XX/YY").get_json()
    assert body["error"].startswith("Không tìm thấy văn bản «999-XX/YY»")


def test_missing_index_is_503_with_the_fix(tmp_path: Path) -> None:
    app = create_app({"INDEX_DIR": str(tmp_path / "khong-co"), "TESTING": True})
    with app.test_client() as client:
        page = client.get("/search?q=giáo dục")
        twin = client.get("/search.json?q=giáo dục")
    assert page.status_code == 503 and "vanban index" in page.text
    assert twin.status_code == 503
    assert set(twin.get_json()) == {"ok", "error", "status"}
    assert "vanban index" in twin.get_json()["error"]


def copied_index(source: Path, target: Path) -> Path:
    """A private copy of the session index, safe to damage."""
    shutil.copytree(source, target)
    return target


def test_unreadable_graph_at_start_is_503_naming_the_rebuild(
    web_index: Any, tmp_path: Path
) -> None:
    index_dir = copied_index(web_index.index_dir, tmp_path / "index")
    (index_dir / GRAPH_FILE).write_bytes(b"\x80\x05 not a pickle")
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(web_index.corpus_dir)})
    with app.test_client() as client:
        twin = client.get("/ref.json?symbol=29-CT/TW")
        page = client.get("/")
    assert twin.status_code == 503 and set(twin.get_json()) == {"ok", "error", "status"}
    assert "vanban index" in twin.get_json()["error"]
    assert page.status_code == 503 and "vanban index" in page.text
    assert "Traceback" not in page.text and "UnpicklingError" not in page.text


def test_graph_damaged_while_serving_keeps_the_previous_one(web_index: Any, tmp_path: Path) -> None:
    """A graph file that turns unreadable (a copy gone wrong) never takes the site down."""
    index_dir = copied_index(web_index.index_dir, tmp_path / "index")
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(web_index.corpus_dir)})
    backend = app.extensions["vanban"]
    with app.test_client() as client:
        before = client.get("/ref.json?symbol=29-CT/TW").get_json()
        generation = backend.generation
        (index_dir / GRAPH_FILE).write_bytes(b"garbage")
        after = client.get("/ref.json?symbol=29-CT/TW")
        assert after.status_code == 200 and after.get_json() == before
        assert backend.generation == generation
        # Once the graph is rebuilt, the next request loads it.
        save_graph(load_graph(web_index.index_dir), index_dir)
        assert client.get("/ref.json?symbol=29-CT/TW").get_json() == before
        assert backend.generation == generation + 1
