"""Graph exports read back with networkx give the same nodes, edges and attributes."""

from __future__ import annotations

import io
import json
import zipfile

import networkx as nx
import pytest
from graph_factories import SEED_000, SEED_001
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.graph.citation_graph import build_graph
from indexer.graph.export import FORMATS, export_graph, flatten, read_graph

# Text as documents carry it: Vietnamese letters, symbols' punctuation, newlines.
TEXT = st.text(
    alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢẠĐỆỮ 0123456789/-_.,;:()\"'<>&\n"),
    max_size=30,
)
DOC_IDS = st.lists(
    st.text(alphabet="abcdef0123456789_", min_size=1, max_size=12),
    unique=True,
    max_size=3,
)


@st.composite
def graphs(draw: st.DrawFn) -> nx.DiGraph:
    """Small graphs with the attribute types the graph module stores."""
    ids = draw(st.lists(TEXT.filter(str.strip), min_size=1, max_size=6, unique=True))
    G = nx.DiGraph()
    for n in ids:
        G.add_node(
            n,
            kind=draw(TEXT),
            symbol=draw(TEXT),
            level=draw(st.sampled_from(["", "Trung ương", "tỉnh", "huyện", "xã", "trường"])),
            in_corpus=draw(st.booleans()),
            mentioned_by=draw(st.integers(0, 10_000)),
        )
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=10, unique=True)
    )
    for u, v in pairs:
        if u != v:
            G.add_edge(
                u,
                v,
                relation=draw(st.sampled_from(["implements", "basis", "cites"])),
                evidence=draw(TEXT),
                asserted_by=draw(DOC_IDS),
                mentions=draw(st.integers(0, 50)),
            )
    return G


def same_graph(a: nx.DiGraph, b: nx.DiGraph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert {(u, v): d for u, v, d in a.edges(data=True)} == {
        (u, v): d for u, v, d in b.edges(data=True)
    }


@pytest.mark.parametrize("fmt", list(FORMATS))
@settings(max_examples=40, deadline=None)
@given(G=graphs())
def test_export_round_trips(fmt: str, G: nx.DiGraph) -> None:
    same_graph(read_graph(export_graph(G, fmt), fmt), G)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_seed_graph_round_trips(fmt: str) -> None:
    G = build_graph([SEED_000, SEED_001])
    same_graph(read_graph(export_graph(G, fmt), fmt), G)


def test_graphml_and_gexf_open_with_the_plain_networkx_readers() -> None:
    G = build_graph([SEED_000, SEED_001])
    flat = flatten(G)
    graphml = nx.read_graphml(io.BytesIO(export_graph(G, "graphml")))
    gexf = nx.read_gexf(io.BytesIO(export_graph(G, "gexf")))
    for H in (graphml, gexf):
        assert set(H.nodes) == set(G.nodes) and set(H.edges) == set(G.edges)
    edge = ("doc:001_390e6e42b23c01ee", "Kế hoạch 232-KH/TU (2024)")
    assert graphml.edges[edge]["asserted_by"] == "001_390e6e42b23c01ee"
    assert gexf.nodes["doc:001_390e6e42b23c01ee"]["in_corpus"] is True
    assert graphml.nodes["doc:001_390e6e42b23c01ee"] == flat.nodes["doc:001_390e6e42b23c01ee"]


def test_flatten_removes_none_and_lists() -> None:
    G = nx.DiGraph()
    G.add_node("a", title=None, tags=("x", "y"))
    G.add_edge("a", "b", asserted_by=["001", "002"], evidence=None)
    flat = flatten(G)
    assert flat.nodes["a"] == {"title": "", "tags": "x; y"}
    assert flat.edges["a", "b"] == {"asserted_by": "001; 002", "evidence": ""}
    nx.write_graphml(flat, io.BytesIO())  # would raise on None or a list


def test_json_is_networkx_node_link() -> None:
    G = build_graph([SEED_001])
    data = json.loads(export_graph(G, "json"))
    assert data["directed"] is True
    assert {n["id"] for n in data["nodes"]} == set(G.nodes)
    assert len(data["edges"]) == G.number_of_edges()


def test_csv_is_a_zip_of_nodes_and_edges() -> None:
    G = build_graph([SEED_001])
    with zipfile.ZipFile(io.BytesIO(export_graph(G, "csv"))) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        nodes = archive.read("nodes.csv").decode("utf-8").splitlines()
        edges = archive.read("edges.csv").decode("utf-8").splitlines()
    assert nodes[0].startswith("id,") and "in_corpus:bool" in nodes[0]
    assert edges[0].startswith("source,target,")
    assert (len(nodes) - 1, len(edges) - 1) == (G.number_of_nodes(), G.number_of_edges())


def test_unknown_format_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="graphml, gexf, json, csv"):
        export_graph(nx.DiGraph(), "dot")


def test_gexf_declares_one_type_per_key_and_drops_characters_xml_forbids() -> None:
    from indexer.graph.graphxml import write_gexf

    G = nx.DiGraph()
    G.add_node('Kế hoạch "1181" <KH> & co', label="nhãn", year=2024, score=1, flag=True)
    G.add_node("b\x01c", year="", score=2.5, flag=False)
    G.add_edge('Kế hoạch "1181" <KH> & co', "b\x01c", evidence="dòng 1\ndòng\t2\x0b", mentions=3)
    H = nx.read_gexf(io.BytesIO(write_gexf(G)))
    first = H.nodes['Kế hoạch "1181" <KH> & co']
    # year mixes int and str: declared string; score mixes int and float: double.
    assert first == {"label": "nhãn", "year": "2024", "score": 1.0, "flag": True}
    assert H.nodes["bc"] == {"label": "bc", "year": "", "score": 2.5, "flag": False}
    assert H.edges['Kế hoạch "1181" <KH> & co', "bc"]["evidence"] == "dòng 1\ndòng\t2"
    assert H.edges['Kế hoạch "1181" <KH> & co', "bc"]["mentions"] == 3


def test_graphml_declares_one_type_per_key_and_keeps_line_breaks() -> None:
    from indexer.graph.graphxml import write_graphml

    G = nx.DiGraph(source="vanban")
    G.add_node('Kế hoạch "1181" <KH> & co', year=2024, score=1, flag=True)
    G.add_node("b\x01c", year="", score=2.5, flag=False)
    G.add_edge('Kế hoạch "1181" <KH> & co', "b\x01c", evidence="dòng 1\r\ndòng\t2\x0b", mentions=3)
    H = nx.read_graphml(io.BytesIO(write_graphml(G)))
    assert H.graph["source"] == "vanban"
    assert H.nodes['Kế hoạch "1181" <KH> & co'] == {"year": "2024", "score": 1.0, "flag": True}
    assert H.nodes["bc"] == {"year": "", "score": 2.5, "flag": False}
    edge = H.edges['Kế hoạch "1181" <KH> & co', "bc"]
    assert edge == {"evidence": "dòng 1\r\ndòng\t2", "mentions": 3}
