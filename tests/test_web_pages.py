"""Document, node (cascade), missing and graph pages; graph exports."""

from __future__ import annotations

import io
import json
import zipfile
from html.parser import HTMLParser
from typing import Any

import networkx as nx
import pytest
from flask.testing import FlaskClient
from web_corpus import SEED_000, SEED_001

pytest_plugins = ["web_fixtures"]


def tree_symbols(items: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(depth, symbol or doc_id) of every node of a cascade tree, depth first."""
    out: list[tuple[int, str]] = []

    def walk(rows: list[dict[str, Any]], depth: int) -> None:
        for row in rows:
            node = row["node"]
            out.append((depth, node["symbol"] or node["doc_id"]))
            walk(row["implementers"], depth + 1)

    walk(items, 0)
    return out


def test_document_page(client: FlaskClient) -> None:
    body = client.get(f"/doc/{SEED_001}.json").get_json()
    assert body["identity"]["kind"] == "Kế hoạch"
    assert body["file"] == f"{SEED_001}.txt"
    implements = {r["symbol"] for r in body["refs"]["implements"]}
    assert "232-KH/TU" in implements
    cites = {r["symbol"] for r in body["refs"]["cites"]}
    assert {"29-CT/TW", "29-NQ/TW"} <= cites
    for ref in body["refs"]["implements"]:
        assert ref["evidence"] and ref["url"].startswith("/ref?")
    assert body["download_url"] == f"/doc/{SEED_001}/download"


def test_document_text_links_every_mention(client: FlaskClient) -> None:
    body = client.get(f"/doc/{SEED_001}.json").get_json()
    html = body["text_html"]
    # Both Chỉ thị 29-CT/TW and Nghị quyết 29-NQ/TW are linked, to different nodes.
    assert html.count('class="ref"') >= 4
    assert ">232-KH/TU</a>" in html and ">29-CT/TW</a>" in html and ">29-NQ/TW</a>" in html
    page = client.get(f"/doc/{SEED_001}").text
    assert "Thực hiện" in page and "Trích dẫn" in page  # grouped by relation
    assert "Tải tệp gốc" in page


class _Links(HTMLParser):
    """(href, text) of every link in a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self.links.append((self._href, data))
            self._href = None


@pytest.mark.parametrize("symbol", ["232-KH/TU", "29-CT/TW", "29-NQ/TW"])
def test_mention_links_lead_to_the_node_page(client: FlaskClient, symbol: str) -> None:
    parser = _Links()
    parser.feed(client.get(f"/doc/{SEED_001}.json").get_json()["text_html"])
    hrefs = {href for href, text in parser.links if text == symbol}
    assert len(hrefs) == 1  # every mention of one symbol goes to one node
    node = client.get(hrefs.pop().replace("/ref?", "/ref.json?")).get_json()["node"]
    assert node["symbol"] == symbol


def test_incoming_refs_on_a_corpus_document(client: FlaskClient) -> None:
    """Seed 000 names 1181/KH-PGD-ĐT etc.; the incoming list is corpus documents only."""
    body = client.get(f"/doc/{SEED_000}.json").get_json()
    for edge in body["incoming"]:
        assert edge["relation"] in ("implements", "basis", "cites")


def test_cascade_of_29_ct_tw(client: FlaskClient) -> None:
    body = client.get("/ref.json?symbol=29-CT/TW").get_json()
    assert body["node"]["symbol"] == "29-CT/TW"
    assert body["node"]["in_corpus"] is False
    nodes = tree_symbols(body["implementers"])
    assert (0, "232-KH/TU") in nodes
    assert (1, SEED_001) in nodes  # the Thị ủy plan, under 232-KH/TU
    first = body["implementers"][0]
    assert set(first) >= {"node", "relation", "evidence", "implementers"}
    page = client.get("/ref?symbol=29-CT/TW").text
    assert "không có trong kho" in page
    assert page.count("<details open>") >= 2
    assert f'href="/doc/{SEED_001}"' in page


def test_cascade_of_42_nq_tw(client: FlaskClient) -> None:
    body = client.get("/ref.json?symbol=42-NQ/TW").get_json()
    nodes = tree_symbols(body["implementers"])
    top = {s for d, s in nodes if d == 0}
    assert {"68/NQ-CP", "40-CTr/TU"} <= top
    assert any(s == "/KH-THNBK" or s == SEED_000 for _, s in nodes)
    shallow = client.get("/ref.json?symbol=42-NQ/TW&depth=1").get_json()
    assert all(not row["implementers"] for row in shallow["implementers"])


def test_node_page_of_a_corpus_document(client: FlaskClient) -> None:
    body = client.get("/ref.json?symbol=232-KH/TU").get_json()
    by = {e["source"]["doc_id"] for e in body["mentioned_by"]}
    assert SEED_001 in by
    descriptions = body["node"]["descriptions"]
    assert descriptions and all(d["evidence"] for d in descriptions)


def test_missing_lists_the_central_documents(client: FlaskClient) -> None:
    body = client.get("/missing.json").get_json()
    symbols = [d["symbol"] for d in body["documents"]]
    assert "29-CT/TW" in symbols and "42-NQ/TW" in symbols
    counts = [d["cited_by_count"] for d in body["documents"]]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    assert all(not d["in_corpus"] for d in body["documents"])
    page = client.get("/missing").text
    assert "/ref?id=" in page


def test_graph_neighbourhood(client: FlaskClient) -> None:
    body = client.get("/graph.json?symbol=29-CT/TW&depth=2").get_json()
    ids = {n["data"]["id"] for n in body["elements"]["nodes"]}
    assert body["node"]["id"] in ids
    assert body["counts"] == {"nodes": len(ids), "edges": len(body["elements"]["edges"])}
    for edge in body["elements"]["edges"]:
        assert edge["data"]["source"] in ids and edge["data"]["target"] in ids
        assert edge["data"]["relation"] in ("implements", "basis", "cites")
    page = client.get("/graph?symbol=29-CT/TW&depth=2").text
    assert 'src="/static/vendor/cytoscape.min.js"' in page
    assert 'data-src="/graph.json?' in page


def test_whole_graph_and_size_cap(client: FlaskClient, app: Any) -> None:
    whole = client.get("/graph.json").get_json()
    assert whole["node"] is None and whole["counts"]["nodes"] > 10
    app.config["MAX_WHOLE_GRAPH_NODES"] = 3
    try:
        capped = client.get("/graph.json").get_json()
    finally:
        app.config["MAX_WHOLE_GRAPH_NODES"] = 400
    assert capped["elements"]["nodes"] == [] and "quá lớn" in capped["message"]


def _read(fmt: str, data: bytes) -> nx.Graph:
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(data))
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(data))
    return nx.node_link_graph(json.loads(data), edges="edges")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
@pytest.mark.parametrize("around", ["", "?symbol=29-CT/TW&depth=1"])
def test_exports_read_back(client: FlaskClient, fmt: str, around: str) -> None:
    response = client.get(f"/export/graph.{fmt}{around}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith(f'.{fmt}"')
    expected = {
        "graphml": "application/graphml+xml",
        "gexf": "application/gexf+xml",
        "json": "application/json",
    }[fmt]
    assert response.mimetype == expected
    graph = _read(fmt, response.data)
    shown = client.get(f"/graph.json{around}").get_json()["counts"]
    assert graph.number_of_nodes() == shown["nodes"]
    assert graph.number_of_edges() == shown["edges"]
    if around:
        assert "29-CT-TW-d1" in disposition


def test_csv_export_is_a_zip_of_nodes_and_edges(client: FlaskClient) -> None:
    response = client.get("/export/graph.csv?symbol=29-CT/TW&depth=1")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].endswith('-29-CT-TW-d1.csv.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert any("node" in n for n in names) and any("edge" in n for n in names)
    nodes = next(archive.read(n) for n in names if "node" in n).decode("utf-8")
    assert "29-CT/TW" in nodes and "232-KH/TU" in nodes


def test_export_buttons_on_node_and_graph_pages(client: FlaskClient) -> None:
    for url in ("/ref?symbol=29-CT/TW", "/graph?symbol=29-CT/TW", f"/doc/{SEED_001}"):
        page = client.get(url).text
        for fmt in ("graphml", "gexf", "json", "csv"):
            assert f'href="/export/graph.{fmt}' in page, (url, fmt)


def _contains(cli: Any, web: Any, where: str = "") -> None:
    """Every key and value the CLI prints is in the web twin (which may add URLs)."""
    if isinstance(cli, dict):
        for key, value in cli.items():
            assert key in web, f"{where}.{key} missing"
            _contains(value, web[key], f"{where}.{key}")
    elif isinstance(cli, list):
        assert len(cli) == len(web), where
        for i, (a, b) in enumerate(zip(cli, web, strict=True)):
            _contains(a, b, f"{where}[{i}]")
    else:
        assert cli == web, where


@pytest.mark.parametrize("symbol", ["29-CT/TW", "42-NQ/TW"])
def test_ref_twin_nests_the_cli_implementers_shape(
    client: FlaskClient, web_index: Any, capsys: pytest.CaptureFixture[str], symbol: str
) -> None:
    from indexer.cli import main

    assert main(["implementers", symbol, "--json", "--index", str(web_index.index_dir)]) == 0
    cli = json.loads(capsys.readouterr().out)
    web = client.get(f"/ref.json?symbol={symbol}").get_json()
    _contains({k: cli[k] for k in ("symbol", "node", "implementers")}, web)
