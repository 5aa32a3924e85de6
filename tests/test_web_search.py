"""The search page: results, highlights, facets, paging, sort, friendly messages."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from web import create_app

pytest_plugins = ["web_fixtures"]

PHO_CAP = {
    "000_483593662cc2f1b9",
    "001_390e6e42b23c01ee",
    "002_0c8b9f1545dfa298",
    "003_193869202513d02c",
}


def all_hits(client: FlaskClient, url: str) -> list[dict[str, Any]]:
    """Every hit of a search, following next_url page by page (per_page is 2 here)."""
    hits: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        path, _, query = next_url.partition("?")
        body = client.get(f"{path}.json?{query}").get_json()
        hits += body["hits"]
        next_url = body["pages"]["next_url"]
    return hits


@pytest.mark.parametrize("query", ["phổ cập giáo dục", "pho cap giao duc", "PHỔ CẬP GIÁO DỤC"])
def test_pho_cap_giao_duc_finds_the_four_seeds(client: FlaskClient, query: str) -> None:
    hits = all_hits(client, f"/search?q={query}")
    assert {h["doc_id"] for h in hits} == PHO_CAP
    assert all("<mark>" in h["snippet"] for h in hits)
    assert all(h["url"] == f"/doc/{h['doc_id']}" for h in hits)


def test_html_results_show_every_field(client: FlaskClient) -> None:
    page = client.get("/search?q=phổ cập giáo dục").text
    assert "Tìm thấy 4 văn bản" in page
    assert page.count('<li class="hit"') == 2  # per_page = 2
    assert "<mark>" in page
    assert '<span class="kind">Kế hoạch</span>' in page
    assert 'class="badge level level-' in page
    assert "Trang 1/2" in page and 'rel="next"' in page


def test_pagination(client: FlaskClient) -> None:
    first = client.get("/search.json?q=phổ cập giáo dục").get_json()
    second = client.get("/search.json?q=phổ cập giáo dục&page=2").get_json()
    assert (first["total"], second["total"]) == (4, 4)
    assert first["pages"]["last"] == 2 and first["pages"]["prev_url"] is None
    assert second["pages"]["next_url"] is None
    assert parse_qs(urlsplit(second["pages"]["prev_url"]).query)["page"] == ["1"]
    ids = [h["doc_id"] for h in first["hits"] + second["hits"]]
    assert len(ids) == len(set(ids)) == 4


def test_page_beyond_the_last_is_a_message(client: FlaskClient) -> None:
    body = client.get("/search.json?q=phổ cập giáo dục&page=9").get_json()
    assert body["hits"] == [] and body["total"] == 4
    assert body["message"] == "Trang 9 không có kết quả; kết quả chỉ có 2 trang."


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "²", "١", "000"])
def test_malformed_page_falls_back_to_one(client: FlaskClient, page: str) -> None:
    body = client.get(f"/search.json?q=phổ cập giáo dục&page={page}").get_json()
    assert body["page"] == 1 and len(body["hits"]) == 2


@pytest.mark.parametrize("page", ["1001", "999999", "9" * 5000])
def test_huge_page_is_capped(client: FlaskClient, page: str) -> None:
    body = client.get(f"/search.json?q=phổ cập giáo dục&page={page}").get_json()
    assert body["page"] == 1000 and body["hits"] == []
    assert "Trang 1000 không có kết quả" in body["message"]


def test_sort_by_date(client: FlaskClient) -> None:
    hits = all_hits(client, "/search?q=giáo dục&sort=date")
    dates = [h["date"] for h in hits if h["date"]]
    assert len(dates) >= 3
    assert dates == sorted(dates, reverse=True)
    relevance = client.get("/search.json?q=giáo dục").get_json()
    assert relevance["sort"] == "relevance"
    assert relevance["sort_urls"]["date"].endswith("sort=date")


def test_unknown_sort_is_relevance(client: FlaskClient) -> None:
    assert client.get("/search.json?q=giáo dục&sort=xyz").get_json()["sort"] == "relevance"


def test_facets_are_filter_links(client: FlaskClient) -> None:
    body = client.get("/search.json?q=giáo dục").get_json()
    assert set(body["facets"]) == {"kind", "year", "level", "issuer"}
    kinds = {row["value"]: row for row in body["facets"]["kind"]}
    assert "Kế hoạch" in kinds
    plan = kinds["Kế hoạch"]
    assert 1 <= plan["count"] <= body["total"] and plan["active"] is False
    path, _, query = plan["url"].partition("?")
    filtered = client.get(f"{path}.json?{query}").get_json()
    assert filtered["filters"] == {"kind": "Kế hoạch"}
    assert filtered["total"] == plan["count"]
    assert all(h["kind"] == "Kế hoạch" for h in filtered["hits"])
    active = {row["value"]: row for row in filtered["facets"]["kind"]}["Kế hoạch"]
    assert active["active"] is True
    assert "kind=" not in active["url"]  # clicking an active facet removes it


def test_year_and_level_filters_combine_with_the_query(client: FlaskClient) -> None:
    body = client.get("/search.json?q=phổ cập giáo dục&year=2024").get_json()
    assert 0 < body["total"] <= 4
    assert all((h["date"] or "").startswith("2024") for h in body["hits"])
    page = client.get("/search?q=phổ cập giáo dục&year=2024").text
    assert "Đang lọc" in page and "(bỏ lọc)" in page


def test_filter_without_query_lists_documents(client: FlaskClient) -> None:
    body = client.get("/search.json?kind=Kế hoạch").get_json()
    assert body["total"] >= 3 and body["message"] is None


def test_folded_query_hint(client: FlaskClient) -> None:
    assert client.get("/search.json?q=pho cap giao duc").get_json()["folded"] is True
    assert client.get("/search.json?q=phổ cập giáo dục").get_json()["folded"] is False
    page = client.get("/search?q=pho cap giao duc").text
    assert "Đã tìm không dấu cho «pho cap giao duc»" in page


@pytest.mark.parametrize("query", ["", "   ", "%20"])
def test_empty_query_is_a_friendly_home(client: FlaskClient, query: str) -> None:
    response = client.get(f"/search?q={query}")
    assert response.status_code == 200
    assert "Hãy nhập từ khoá để tìm" in response.text
    body = client.get(f"/search.json?q={query}").get_json()
    assert body["hits"] == [] and len(body["documents"]) == 6


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('"phổ cập', "ngoặc kép"),
        ("giáo dục OR", "OR"),
        ("giáo dục year:20", "Năm không hợp lệ"),
    ],
)
def test_malformed_query_is_a_friendly_message(
    client: FlaskClient, query: str, reason: str
) -> None:
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "Không hiểu câu truy vấn" in response.text and reason in response.text
    body = client.get("/search.json", query_string={"q": query}).get_json()
    assert body["ok"] is True and body["hits"] == []


def test_no_results_message(client: FlaskClient) -> None:
    body = client.get("/search.json?q=tàu vũ trụ").get_json()
    assert body["total"] == 0
    assert body["message"] == "Không tìm thấy văn bản nào cho «tàu vũ trụ»."


def test_symbol_query_links_the_node_page(client: FlaskClient) -> None:
    body = client.get("/search.json?q=29-CT/TW").get_json()
    assert [n["symbol"] for n in body["nodes"]] == ["29-CT/TW"]
    assert body["nodes"][0]["url"].startswith("/ref?id=")
    page = client.get("/search?q=29-CT/TW").text
    assert "Trang liên kết và chuỗi thực hiện của:" in page
    assert client.get("/search.json?q=giáo dục").get_json()["nodes"] == []


def test_home_lists_the_newest_documents_up_to_the_limit(web_index: Any) -> None:
    app = create_app(
        {
            "INDEX_DIR": str(web_index.index_dir),
            "CORPUS_DIR": str(web_index.corpus_dir),
            "HOME_DOCUMENTS": 2,
        }
    )
    with app.test_client() as client:
        body = client.get("/search.json").get_json()
        page = client.get("/").text
    dates = [d["date"] for d in body["documents"]]
    assert body["documents_total"] == 6 and len(dates) == 2
    assert dates == sorted(dates, reverse=True) and dates[0] == "2024-12-02"
    assert "Kho có 6 văn bản." in page and "Dưới đây là 2 văn bản mới nhất" in page
