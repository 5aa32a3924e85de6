"""The citation graph built from hand-made extractions: identity, edges, queries, storage."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from graph_factories import SEED_000, SEED_001, chain, doc_ref, indexed
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.errors import IndexCorruptError, IndexMissingError
from indexer.grammar import load_table
from indexer.graph.cascade import (
    EdgeEntry,
    cited_by,
    cites,
    find_nodes,
    implementers,
    missing_documents,
    neighbourhood,
    node_info,
    path,
)
from indexer.graph.citation_graph import GRAPH_FILE, build_graph, load_graph, save_graph
from indexer.graph.clusters import issuers_compatible, name_key
from indexer.models import IndexedDocument

SCHOOL = "000_483593662cc2f1b9"


def only(G: nx.DiGraph, key: str) -> str:
    found = find_nodes(G, key)
    assert len(found) == 1, found
    return found[0]


def tree_ids(entries: Sequence[EdgeEntry]) -> dict[str, Any]:
    """The cascade as nested {node id: {...}} for readable assertions."""
    return {e.node.id: tree_ids(e.implementers or ()) for e in entries}


@pytest.fixture(scope="module")
def seeds() -> nx.DiGraph:
    return build_graph([SEED_000, SEED_001])


# --- identity helpers --------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Ban Thường vụ Tỉnh ủy", "Tỉnh ủy", True),
        ("UBND Thành phố", "Ủy ban nhân dân Thành phố Hồ Chí Minh", True),
        ("Phòng GD-ĐT quận Thanh Khê", "Phòng Giáo dục và Đào tạo quận Thanh Khê", True),
        ("Sở GDĐT Hà Nội", "Sở Giáo dục và Đào tạo Hà Nội", True),
        ("Ủy ban nhân dân huyện Củ Chi", "UBND quận Nam Từ Liêm", False),
        ("Tỉnh ủy Quảng Trị", "Tỉnh ủy Bình Định", False),
        ("", "Thành ủy", True),
        ("Tỉnh ủy Quảng Ngãi", "Ban Chấp hành Đảng bộ tỉnh Quảng Ngãi", True),
        ("Đảng ủy xã Ia Sao", "Ban Chấp hành Đảng bộ xã Ia Sao", True),
        ("Ủy ban nhân dân tỉnh", "Ủy ban nhân dân huyện Củ Chi", False),
    ],
)
def test_issuers_compatible(a: str, b: str, same: bool) -> None:
    assert issuers_compatible(a, b) is same
    assert issuers_compatible(b, a) is same


@pytest.mark.parametrize("pair", load_table("issuer_words")["examples"])
def test_issuer_words_examples(pair: str) -> None:
    a, b = (side.strip() for side in pair.split("|"))
    fix = "fix indexer/grammar/issuer_words.toml, then run: .venv/bin/python -m pytest tests/test_graph.py"
    assert issuers_compatible(a, b), fix


@pytest.mark.parametrize("same_day", [True, False])
def test_noisy_issuer_matches_only_on_the_same_day(same_day: bool) -> None:
    # Issuer text that ran on into the sentence (synthetic bench corpus).
    noisy = "Ban Thường vụ Tỉnh ủy đến toàn thể cán bộ"
    assert issuers_compatible(noisy, "Tỉnh ủy Cà Mau", same_day) is same_day


def test_same_symbol_and_day_with_noisy_issuer_is_the_corpus_document() -> None:
    province = indexed("tu", symbol="22-KH/TU", issuer="Tỉnh ủy Cà Mau", date="2019-08-16")
    noisy = "Ban Thường vụ Tỉnh ủy đến toàn thể cán bộ"
    citing = indexed("x", refs=(doc_ref("22-KH/TU", "Kế hoạch", "2019-08-16", noisy),))
    other = indexed("y", refs=(doc_ref("22-KH/TU", "Kế hoạch", "2019-03-01", noisy),))
    G = build_graph([province, citing, other])
    (corpus,) = [n for n in find_nodes(G, "22-KH/TU") if G.nodes[n]["in_corpus"]]
    assert list(G.predecessors(corpus)) == ["doc:x"]


@pytest.mark.parametrize(
    ("kind", "name", "key"),
    [
        (
            "Đề án",
            "Xây dựng xã hội học tập giai đoạn 2021 - 2030",
            "de an xay dung xa hoi hoc tap giai doan 2021 2030",
        ),
        (
            "Đề án",
            "Đề án Xây dựng xã hội học tập giai đoạn 2021-2030",
            "de an xay dung xa hoi hoc tap giai doan 2021 2030",
        ),
        (
            "Luật",
            "Luật Giáo dục quốc phòng và an ninh năm 2013",
            "luat giao duc quoc phong va an ninh nam 2013",
        ),
        (
            "Chương trình",
            "Chương trình Giáo dục phổ thông 2018",
            "chuong trinh giao duc pho thong 2018",
        ),
        ("", "Đề án 1", "de an 1"),
    ],
)
def test_name_key(kind: str, name: str, key: str) -> None:
    assert name_key(kind, name) == key


# --- nodes --------------------------------------------------------------------


def test_nghi_quyet_and_chi_thi_29_are_different_nodes(seeds: nx.DiGraph) -> None:
    nq, ct = only(seeds, "29-NQ/TW"), only(seeds, "29-CT/TW")
    assert nq != ct
    assert seeds.nodes[nq]["kind"] == "Nghị quyết" and seeds.nodes[ct]["kind"] == "Chỉ thị"
    assert (seeds.nodes[nq]["year"], seeds.nodes[ct]["year"]) == ("2013", "2024")


def test_node_ids_are_readable(seeds: nx.DiGraph) -> None:
    assert "Chỉ thị 29-CT/TW (2024)" in seeds
    assert "Kế hoạch 232-KH/TU (2024)" in seeds
    assert "doc:001_390e6e42b23c01ee" in seeds  # a corpus document without a symbol


def test_out_of_corpus_node_has_level_from_issuer(seeds: nx.DiGraph) -> None:
    info = node_info(seeds, only(seeds, "232-KH/TU"))
    assert info.in_corpus is False
    assert info.issuer == "Ban Thường vụ Tỉnh ủy"
    assert info.level == "tỉnh"
    assert (info.doc_id, info.file) == ("", "")


def test_node_info_is_json_ready(seeds: nx.DiGraph) -> None:
    for n in seeds:
        info = node_info(seeds, n).to_json()
        assert set(info) >= {"id", "kind", "symbol", "title", "issuer", "date", "year"}
        assert set(info) >= {"level", "in_corpus", "doc_id", "file", "mentioned_by"}
        assert None not in info.values()
    school = node_info(seeds, only(seeds, "/KH-THNBK"))
    assert (school.doc_id, school.file) == (SCHOOL, f"{SCHOOL}.txt")
    assert school.in_corpus is True


def test_descriptions_are_the_citing_sentences() -> None:
    citing = indexed(
        "a", refs=(doc_ref("29-CT/TW", "Chỉ thị", evidence="Thực hiện Chỉ thị số 29-CT/TW"),)
    )
    G = build_graph([citing])
    descriptions = node_info(G, only(G, "29-CT/TW")).to_json()["descriptions"]
    assert descriptions == [
        {"evidence": "Thực hiện Chỉ thị số 29-CT/TW", "relation": "cites", "doc_id": "a"}
    ]


def test_same_symbol_of_two_committees_are_two_nodes() -> None:
    a = indexed("a", refs=(doc_ref("12/KH-UBND", "Kế hoạch", "2024-02-01", "UBND huyện Củ Chi"),))
    b = indexed("b", refs=(doc_ref("12/KH-UBND", "Kế hoạch", "2024-03-05", "UBND quận Ba Đình"),))
    c = indexed("c", refs=(doc_ref("12/KH-UBND", "Kế hoạch", "2023-01-09", "UBND huyện Củ Chi"),))
    G = build_graph([a, b, c])
    assert len(find_nodes(G, "12/KH-UBND")) == 3


def test_reference_without_year_joins_the_only_candidate() -> None:
    dated = indexed("a", refs=(doc_ref("52/KH-UBND", "Kế hoạch", "2024-03-01", "UBND Thành phố"),))
    vague = indexed("b", refs=(doc_ref("52/KH-UBND", "Kế hoạch"),))
    G = build_graph([dated, vague])
    n = only(G, "52/KH-UBND")
    assert G.nodes[n]["mentioned_by"] == 2 and not G.nodes[n]["ambiguous"]


def test_reference_without_year_between_two_candidates_is_ambiguous() -> None:
    docs = [
        indexed("a", refs=(doc_ref("12/KH-UBND", "Kế hoạch", "2024-02-01", "UBND huyện A"),)),
        indexed("b", refs=(doc_ref("12/KH-UBND", "Kế hoạch", "2023-02-01", "UBND huyện A"),)),
        indexed("c", refs=(doc_ref("12/KH-UBND", "Kế hoạch"),)),
    ]
    G = build_graph(docs)
    found = find_nodes(G, "12/KH-UBND")
    assert len(found) == 3
    ambiguous = [n for n in found if G.nodes[n]["ambiguous"]]
    assert ambiguous == [found[-1]]  # ranked last
    assert list(G.predecessors(ambiguous[0])) == ["doc:c"]


def test_central_symbol_ignores_issuer_spelling() -> None:
    a = indexed("a", refs=(doc_ref("42-NQ/TW", "Nghị quyết", "2023-11-24", "Ban Chấp hành TW"),))
    b = indexed("b", refs=(doc_ref("42-NQ/TW", "Nghị quyết", "2023-11-24", "Bộ Chính trị"),))
    G = build_graph([a, b])
    assert G.nodes[only(G, "42-NQ/TW")]["mentioned_by"] == 2


def test_corpus_document_is_the_node_others_reference() -> None:
    province = indexed(
        "tu",
        symbol="232-KH/TU",
        issuer="Ban Thường vụ Tỉnh ủy Quảng Trị",
        date="2024-04-17",
        refs=(doc_ref("29-CT/TW", "Chỉ thị", "2024-01-05", relation="implements"),),
    )
    G = build_graph([province, SEED_001])
    n = only(G, "232-KH/TU")
    assert G.nodes[n]["in_corpus"] and G.nodes[n]["doc_id"] == "tu"
    ct = only(G, "29-CT/TW")
    assert tree_ids(implementers(G, ct)) == {n: {"doc:001_390e6e42b23c01ee": {}}}


def test_blank_number_symbol_matches_only_exact_identity() -> None:
    school = indexed("s", symbol="/KH-THNBK", issuer="Trường TH Nguyễn Bình Khiêm", date="2024")
    other = indexed(
        "o", refs=(doc_ref("/KH-THNBK", "Kế hoạch", "2023-05-01", "Trường TH Nguyễn Bình Khiêm"),)
    )
    same = indexed(
        "x", refs=(doc_ref("/KH-THNBK", "Kế hoạch", "2024-01-02", "Trường TH Nguyễn Bình Khiêm"),)
    )
    G = build_graph([school, other, same])
    nodes = find_nodes(G, "/KH-THNBK")
    assert len(nodes) == 2
    corpus = next(n for n in nodes if G.nodes[n]["in_corpus"])
    assert sorted(G.predecessors(corpus)) == ["doc:x"]


def test_two_corpus_documents_never_merge() -> None:
    a = indexed("a", symbol="/KH-THNBK", issuer="Trường TH A", date="2024")
    b = indexed("b", symbol="/KH-THNBK", issuer="Trường TH A", date="2024")
    G = build_graph([a, b])
    assert sorted(G.nodes[n]["doc_id"] for n in find_nodes(G, "/KH-THNBK")) == ["a", "b"]


# --- edges --------------------------------------------------------------------


def test_edges_carry_relation_evidence_asserter_mentions(seeds: nx.DiGraph) -> None:
    edge = seeds.edges["doc:001_390e6e42b23c01ee", only(seeds, "232-KH/TU")]
    assert edge["relation"] == "implements"
    assert edge["asserted_by"] == ["001_390e6e42b23c01ee"]
    assert edge["mentions"] == 1 and "232-KH/TU" in edge["evidence"]


def test_chain_is_an_edge_attributed_to_its_author(seeds: nx.DiGraph) -> None:
    edge = seeds.edges[only(seeds, "232-KH/TU"), only(seeds, "29-CT/TW")]
    assert (edge["relation"], edge["asserted_by"]) == ("implements", ["001_390e6e42b23c01ee"])


def test_no_self_loops() -> None:
    own = indexed(
        "a",
        symbol="45/KH-UBND",
        issuer="UBND xã Bình Lãng",
        date="2021-03-02",
        refs=(doc_ref("45/KH-UBND", "Kế hoạch", "2021-03-02"), doc_ref("07-ĐA/ĐU", "Đề án")),
        chains=(chain("07-ĐA/ĐU", "07-ĐA/ĐU"),),
    )
    G = build_graph([own])
    assert nx.number_of_selfloops(G) == 0
    assert G.number_of_edges() == 1


def test_blank_symbols_name_nothing() -> None:
    doc = indexed("a", refs=(doc_ref(" "), doc_ref("29-CT/TW")), chains=(chain("", "29-CT/TW"),))
    G = build_graph([doc])
    assert sorted(G.nodes) == ["Chỉ thị 29-CT/TW", "doc:a"]


def test_edge_asserted_twice_keeps_strongest_relation_and_every_asserter() -> None:
    a = indexed("a", refs=(doc_ref("29-CT/TW", "Chỉ thị", relation="cites", mentions=3),))
    b = indexed(
        "b",
        refs=(doc_ref("232-KH/TU", "Kế hoạch"), doc_ref("29-CT/TW", "Chỉ thị")),
        chains=(chain("232-KH/TU", "29-CT/TW"),),
    )
    c = indexed(
        "c",
        refs=(doc_ref("232-KH/TU"), doc_ref("29-CT/TW")),
        chains=(chain("232-KH/TU", "29-CT/TW", "basis"),),
    )
    G = build_graph([a, b, c])
    edge = G.edges[only(G, "232-KH/TU"), only(G, "29-CT/TW")]
    assert edge["relation"] == "implements"
    assert edge["asserted_by"] == ["b", "c"]
    assert edge["mentions"] == 2
    assert G.edges["doc:a", only(G, "29-CT/TW")]["mentions"] == 3


# --- queries ------------------------------------------------------------------


def test_implementers_of_42_nq_tw_reach_the_school_three_ways(seeds: nx.DiGraph) -> None:
    tree = tree_ids(implementers(seeds, only(seeds, "42-NQ/TW")))
    school = "Kế hoạch /KH-THNBK (2024)"
    plan = "Kế hoạch 1181/KH-PGD-ĐT (2024)"
    assert tree == {
        "Nghị quyết 68/NQ-CP (2024)": {plan: {school: {}}, school: {}},
        "Chương trình hành động 40-CTr/TU (2024)": {plan: {school: {}}, school: {}},
    }


def test_implementers_entries_carry_edge_data(seeds: nx.DiGraph) -> None:
    (entry,) = implementers(seeds, only(seeds, "29-CT/TW"))
    assert entry.relation == "implements"
    assert entry.asserted_by == ("001_390e6e42b23c01ee",)
    assert entry.node.level == "tỉnh" and entry.node.in_corpus is False
    (leaf,) = entry.implementers or ()
    assert leaf.node.doc_id == "001_390e6e42b23c01ee"
    assert entry.to_json()["asserted_by"] == ["001_390e6e42b23c01ee"]
    assert entry.to_json()["implementers"][0]["implementers"] == []


def test_implementers_depth_limits_levels(seeds: nx.DiGraph) -> None:
    tree = tree_ids(implementers(seeds, only(seeds, "42-NQ/TW"), depth=1))
    assert tree == {"Nghị quyết 68/NQ-CP (2024)": {}, "Chương trình hành động 40-CTr/TU (2024)": {}}


def test_implementers_survive_a_cycle() -> None:
    a = indexed(
        "a",
        refs=(doc_ref("1/KH-UBND", "Kế hoạch"), doc_ref("2/KH-UBND", "Kế hoạch")),
        chains=(chain("1/KH-UBND", "2/KH-UBND"), chain("2/KH-UBND", "1/KH-UBND")),
    )
    G = build_graph([a])
    tree = tree_ids(implementers(G, only(G, "1/KH-UBND")))
    assert tree == {"Kế hoạch 2/KH-UBND": {}}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("29-CT/TW", ["Chỉ thị 29-CT/TW (2024)"]),
        ("29 CT / tw", ["Chỉ thị 29-CT/TW (2024)"]),
        ("Chỉ thị số 29-CT/TW", ["Chỉ thị 29-CT/TW (2024)"]),
        ("Nghị quyết 29-CT/TW", []),
        ("40-ctr/tu", ["Chương trình hành động 40-CTr/TU (2024)"]),
        ("1181/KH-PGD-DT", ["Kế hoạch 1181/KH-PGD-ĐT (2024)"]),
        ("1181/KH-PGD-\u00d0T", ["Kế hoạch 1181/KH-PGD-ĐT (2024)"]),
        ("Kế hoạch 232-KH/TU (2024)", ["Kế hoạch 232-KH/TU (2024)"]),
        ("99-CT/TW", []),
        ("", []),
    ],
)
def test_find_nodes(seeds: nx.DiGraph, key: str, expected: list[str]) -> None:
    assert find_nodes(seeds, key) == expected


def test_cites_and_cited_by(seeds: nx.DiGraph) -> None:
    out = cites(seeds, "doc:001_390e6e42b23c01ee")
    assert [(e.node.symbol, e.relation) for e in out] == [
        ("232-KH/TU", "implements"),
        ("29-CT/TW", "cites"),
        ("29-NQ/TW", "cites"),
    ]
    incoming = cited_by(seeds, only(seeds, "29-CT/TW"))
    assert [(e.node.id, e.relation) for e in incoming] == [
        ("Kế hoạch 232-KH/TU (2024)", "implements"),
        ("doc:001_390e6e42b23c01ee", "cites"),
    ]


def test_path(seeds: nx.DiGraph) -> None:
    school, nq = only(seeds, "/KH-THNBK"), only(seeds, "42-NQ/TW")
    assert path(seeds, school, nq) == [school, nq]
    assert path(seeds, nq, school) == [school, nq]
    assert path(seeds, school, "doc:001_390e6e42b23c01ee") == []


def test_missing_documents_ranked_by_citing_corpus_documents() -> None:
    docs = [
        indexed("a", refs=(doc_ref("29-CT/TW", "Chỉ thị"), doc_ref("5/KH-UBND"))),
        indexed("b", refs=(doc_ref("29-CT/TW", "Chỉ thị"),)),
        indexed("c", symbol="5/KH-UBND", refs=(doc_ref("42-NQ/TW"),)),
    ]
    G = build_graph(docs)
    rows = missing_documents(G)
    assert [(r.node.symbol, r.count) for r in rows] == [("29-CT/TW", 2), ("42-NQ/TW", 1)]
    assert len(missing_documents(G, limit=1)) == 1


def test_neighbourhood(seeds: nx.DiGraph) -> None:
    around = neighbourhood(seeds, only(seeds, "232-KH/TU"), 1)
    assert set(around) == {
        "Kế hoạch 232-KH/TU (2024)",
        "Chỉ thị 29-CT/TW (2024)",
        "doc:001_390e6e42b23c01ee",
    }
    assert around.edges["doc:001_390e6e42b23c01ee", "Kế hoạch 232-KH/TU (2024)"]["relation"] == (
        "implements"
    )


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    edges=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=1, max_size=40),
    depth=st.integers(0, 3),
)
def test_neighbourhood_is_the_ego_graph(edges: list[tuple[int, int]], depth: int) -> None:
    G = nx.DiGraph()
    G.add_edges_from((f"n{u}", f"n{v}", {"relation": "cites", "w": u * v}) for u, v in edges)
    centre = f"n{edges[0][0]}"
    ours = neighbourhood(G, centre, depth)
    ego = nx.ego_graph(G, centre, radius=depth, undirected=True)
    assert set(ours) == set(ego)
    assert {(u, v, d["w"]) for u, v, d in ours.edges(data=True)} == {
        (u, v, d["w"]) for u, v, d in ego.edges(data=True)
    }


def test_neighbourhood_order_does_not_depend_on_the_hash_seed() -> None:
    import subprocess
    import sys

    program = (
        "import networkx as nx\n"
        "from indexer.graph.cascade import neighbourhood\n"
        "G = nx.DiGraph()\n"
        "G.add_edges_from((f'Kế hoạch {i}/KH-UBND', f'Chỉ thị {i % 7}-CT/TW') for i in range(60))\n"
        "sub = neighbourhood(G, 'Chỉ thị 3-CT/TW', 2)\n"
        "print(list(sub), list(sub.edges))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_missing_documents_ties_broken_by_citing_documents_then_mentions() -> None:
    docs = [
        indexed(
            "a",
            refs=(doc_ref("29-CT/TW", "Chỉ thị", mentions=7), doc_ref("232-KH/TU", "Kế hoạch")),
            chains=(chain("232-KH/TU", "29-CT/TW"),),
        ),
        indexed("b", refs=(doc_ref("5/KH-UBND", mentions=9), doc_ref("1/QĐ-TTg", mentions=2))),
    ]
    rows = missing_documents(build_graph(docs))
    assert [r.node.symbol for r in rows] == ["29-CT/TW", "5/KH-UBND", "1/QĐ-TTg", "232-KH/TU"]
    assert {r.count for r in rows} == {1}


def test_named_references_become_shared_nodes() -> None:
    from indexer.models import NamedRef

    def named(kind: str, name: str, year: str | None = None) -> NamedRef:
        return NamedRef(kind=kind, name=name, start=0, end=len(name), year=year)

    a = indexed(
        "a",
        refs=(doc_ref("29-CT/TW"),),
        named_refs=(
            named("Đề án", "Xây dựng xã hội học tập giai đoạn 2021 - 2030"),
            named("Luật", "Luật Giáo dục quốc phòng và an ninh năm 2013", "2013"),
        ),
    )
    b = indexed(
        "b", named_refs=(named("Đề án", "Đề án Xây dựng xã hội học tập giai đoạn 2021-2030"),)
    )
    G = build_graph([a, b])
    (plan,) = find_nodes(G, "Đề án Xây dựng xã hội học tập giai đoạn 2021-2030")
    assert plan == "Đề án Xây dựng xã hội học tập giai đoạn 2021 - 2030"
    info = node_info(G, plan)
    assert (info.named, info.in_corpus, info.mentioned_by) == (True, False, 2)
    (law,) = find_nodes(G, "Luật Giáo dục quốc phòng và an ninh năm 2013")
    assert (G.nodes[law]["kind"], G.nodes[law]["year"]) == ("Luật", "2013")
    assert G.edges["doc:a", law]["relation"] == "cites"
    assert not node_info(G, only(G, "29-CT/TW")).named


# --- properties over random corpora --------------------------------------------

SYMBOLS = ["12/KH-UBND", "29-CT/TW", "29-NQ/TW", "/KH-THNBK", "24/2021/NĐ-CP", "40-CTr/TU"]
MAYBE = st.one_of(st.none(), st.sampled_from(["Kế hoạch", "Chỉ thị", "Nghị quyết"]))
DATES = st.one_of(st.none(), st.sampled_from(["2023-05-01", "2024-01-05", "2024"]))
ISSUERS = st.one_of(st.none(), st.sampled_from(["UBND huyện A", "UBND quận B", "Tỉnh ủy"]))


@st.composite
def corpora(draw: st.DrawFn) -> list[IndexedDocument]:
    docs = []
    for i in range(draw(st.integers(1, 5))):
        refs = tuple(
            doc_ref(
                sym,
                draw(MAYBE),
                draw(DATES),
                draw(ISSUERS),
                draw(st.sampled_from(["implements", "basis", "cites"])),
            )
            for sym in draw(st.lists(st.sampled_from(SYMBOLS), unique=True, max_size=4))
        )
        links = tuple(
            chain(a, b)
            for a, b in draw(
                st.lists(st.tuples(st.sampled_from(SYMBOLS), st.sampled_from(SYMBOLS)), max_size=3)
            )
        )
        docs.append(
            indexed(
                f"d{i}",
                symbol=draw(st.one_of(st.none(), st.sampled_from(SYMBOLS))),
                issuer=draw(ISSUERS),
                date=draw(DATES),
                refs=refs,
                chains=links,
            )
        )
    return docs


@settings(max_examples=150, deadline=None)
@given(docs=corpora())
def test_graph_invariants(docs: list[IndexedDocument]) -> None:
    G = build_graph(docs)
    doc_ids = {d.doc_id for d in docs}
    assert nx.number_of_selfloops(G) == 0
    # Every corpus document is exactly one node.
    assert sorted(d for _, d in G.nodes(data="doc_id") if d) == sorted(doc_ids)
    for _, _, attrs in G.edges(data=True):
        assert attrs["asserted_by"] and set(attrs["asserted_by"]) <= doc_ids
        assert attrs["relation"] in ("implements", "basis", "cites")
    for n in G:
        info = node_info(G, n).to_json()
        assert None not in info.values()
        assert n in find_nodes(G, n)
        if info["symbol"]:
            assert n in find_nodes(G, info["symbol"])
        implementers(G, n)  # terminates on any cycle
    # Every reference of a document is an edge from it (or names itself).
    for doc in docs:
        (source,) = [n for n, d in G.nodes(data="doc_id") if d == doc.doc_id]
        for ref in doc.extraction.refs:
            targets = [v for v in G.successors(source) if G.nodes[v]["symbol"] == ref.symbol]
            assert targets or G.nodes[source]["symbol"] == ref.symbol


# --- storage ------------------------------------------------------------------


def test_save_and_load_round_trip(seeds: nx.DiGraph, tmp_path: Path) -> None:
    save_graph(seeds, tmp_path)
    loaded = load_graph(tmp_path)
    assert dict(loaded.nodes(data=True)) == dict(seeds.nodes(data=True))
    assert sorted(loaded.edges(data=True)) == sorted(seeds.edges(data=True))
    assert os.listdir(tmp_path) == [GRAPH_FILE]  # no temp file left behind


def test_load_missing_graph(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="đồ thị"):
        load_graph(tmp_path / "nowhere")


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_load_corrupt_graph_names_the_rebuild_command(tmp_path: Path, content: bytes) -> None:
    (tmp_path / GRAPH_FILE).write_bytes(content)
    with pytest.raises(IndexCorruptError) as err:
        load_graph(tmp_path)
    assert f"vanban index --index {tmp_path}" in err.value.hint
