"""`vanban implementers`, `vanban missing`, `vanban graph export`: on a hand-made graph
and, for acceptance, on the index of the bundled seed corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from graph_factories import SEED_000, SEED_001, doc_ref, indexed

from indexer.cli import main
from indexer.cli.graph_cmd import describe
from indexer.graph.cascade import NodeInfo
from indexer.graph.citation_graph import build_graph, load_graph, save_graph
from indexer.graph.export import read_graph

SCHOOL = "000_483593662cc2f1b9"
THI_UY = "001_390e6e42b23c01ee"
NOT_IN_CORPUS = "không có trong kho"


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("graph-index")
    save_graph(build_graph([SEED_000, SEED_001]), index_dir)
    return index_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def indent_of(line: str) -> int:
    """The depth of a tree line: where its branch is drawn (-1 for the root)."""
    return line.find("─")


def line_with(lines: list[str], text: str, start: int = 0) -> int:
    return next(i for i in range(start, len(lines)) if text in lines[i])


def walk(entries: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """(doc_id or symbol, [doc_ids or symbols of every descendant]) for each node of a tree."""
    out = []
    for e in entries:
        below = walk(e["implementers"])
        names = [name for name, _ in below] + [n for _, sub in below for n in sub]
        out.append((e["node"]["doc_id"] or e["node"]["symbol"], names))
        out.extend(below)
    return out


NODE = {
    "id": "",
    "kind": "",
    "symbol": "",
    "issuer": "",
    "date": "",
    "level": "",
    "in_corpus": False,
    "file": "",
    "named": False,
    "ambiguous": False,
    "title": "",
    "year": "",
    "doc_id": "",
    "mentioned_by": 0,
}


@pytest.mark.parametrize(
    ("node", "line"),
    [
        (
            {
                "kind": "Chỉ thị",
                "symbol": "29-CT/TW",
                "issuer": "Bộ Chính trị",
                "level": "Trung ương",
            },
            "Chỉ thị 29-CT/TW · Bộ Chính trị · [Trung ương] · [không có trong kho / not in corpus]",
        ),
        (
            {"kind": "Kế hoạch", "in_corpus": True, "file": "001.txt", "date": "2024"},
            "Kế hoạch · 2024 · [?] · 001.txt",
        ),
        (
            {"id": "Đề án Xây dựng xã hội học tập", "kind": "Đề án", "named": True},
            "Đề án Xây dựng xã hội học tập · [?] · [không có trong kho / not in corpus]",
        ),
        (
            {
                "id": "Kế hoạch 12/KH-UBND (?)",
                "kind": "Kế hoạch",
                "symbol": "12/KH-UBND",
                "ambiguous": True,
            },
            "Kế hoạch 12/KH-UBND · [?] · [không có trong kho / not in corpus] · (?)",
        ),
    ],
)
def test_describe(node: dict[str, Any], line: str) -> None:
    assert describe(NodeInfo(**{**NODE, **node})) == line


# --- on a hand-made graph ----------------------------------------------------


def test_implementers_tree_shows_levels_and_corpus_markers(
    capsys: pytest.CaptureFixture[str], small_index: Path
) -> None:
    code, out, _ = run(capsys, "implementers", "29-CT/TW", "--index", str(small_index))
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("Chỉ thị 29-CT/TW · Bộ Chính trị · 2024-01-05 · [Trung ương]")
    plan = line_with(lines, "Kế hoạch 232-KH/TU")
    assert "[tỉnh]" in lines[plan] and NOT_IN_CORPUS in lines[plan]
    thi_uy = line_with(lines, f"{THI_UY}.txt")
    assert indent_of(lines[thi_uy]) > indent_of(lines[plan]) > indent_of(lines[0])
    assert NOT_IN_CORPUS not in lines[thi_uy]


def test_implementers_json_shape(capsys: pytest.CaptureFixture[str], small_index: Path) -> None:
    code, out, _ = run(capsys, "implementers", "42-nq/tw", "--json", "--index", str(small_index))
    data = json.loads(out)
    assert code == 0
    assert data["symbol"] == "42-nq/tw" and data["node"]["symbol"] == "42-NQ/TW"
    first = data["implementers"][0]
    assert set(first) >= {"node", "relation", "evidence", "implementers"}
    school = first["implementers"][-1]["node"]
    assert (school["doc_id"], school["file"]) == (SCHOOL, f"{SCHOOL}.txt")


def test_implementers_depth(capsys: pytest.CaptureFixture[str], small_index: Path) -> None:
    _, out, _ = run(capsys, "implementers", "42-NQ/TW", "--depth", "1", "--index", str(small_index))
    assert len(out.splitlines()) == 3  # the root and its two direct implementers


def test_unknown_symbol_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], small_index: Path
) -> None:
    code, out, err = run(capsys, "implementers", "99-CT/TW", "--index", str(small_index))
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1 and "99-CT/TW" in err and "Traceback" not in err


def test_missing_index_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "missing", "--index", str(tmp_path / "none"))
    assert code == 1 and "vanban index" in err and len(err.strip().splitlines()) == 1


def test_missing_lists_counts(capsys: pytest.CaptureFixture[str], small_index: Path) -> None:
    code, out, _ = run(capsys, "missing", "--json", "--limit", "3", "--index", str(small_index))
    rows = json.loads(out)["missing"]
    assert code == 0 and len(rows) == 3
    assert all(r["count"] == 1 and r["node"]["in_corpus"] is False for r in rows)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_export_to_file_round_trips(
    capsys: pytest.CaptureFixture[str], small_index: Path, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"graph.{fmt}"
    code, _, _ = run(
        capsys, "graph", "export", "--format", fmt, "-o", str(target), "--index", str(small_index)
    )
    G = load_graph(small_index)
    back = read_graph(target.read_bytes(), fmt)
    assert code == 0
    assert dict(back.nodes(data=True)) == dict(G.nodes(data=True))
    assert set(back.edges) == set(G.edges)


def test_export_around_a_symbol_to_stdout(
    capsysbinary: pytest.CaptureFixture[bytes], small_index: Path
) -> None:
    argv = ["graph", "export", "--format", "json", "--around", "232-KH/TU", "--depth", "1"]
    assert main([*argv, "--index", str(small_index)]) == 0
    back = read_graph(capsysbinary.readouterr().out, "json")
    assert sorted(back) == [
        "Chỉ thị 29-CT/TW (2024)",
        "Kế hoạch 232-KH/TU (2024)",
        f"doc:{THI_UY}",
    ]


def test_shared_symbol_shows_the_most_cited_and_names_the_others(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    a = indexed("a", refs=(doc_ref("12/KH-UBND", "Kế hoạch", "2024-02-01", "UBND huyện Củ Chi"),))
    b = indexed("b", refs=(doc_ref("12/KH-UBND", "Kế hoạch", "2023-03-05", "UBND quận Ba Đình"),))
    c = indexed("c", refs=(doc_ref("12/KH-UBND", "Kế hoạch", "2023-03-05", "UBND quận Ba Đình"),))
    save_graph(build_graph([a, b, c]), tmp_path)
    code, out, _ = run(capsys, "implementers", "12/KH-UBND", "--index", str(tmp_path))
    assert code == 0
    assert out.startswith("Kế hoạch 12/KH-UBND · UBND quận Ba Đình · 2023-03-05")
    assert "Kế hoạch 12/KH-UBND (2024)" in caplog.text


def test_zip_export_is_not_written_to_a_terminal(
    capsys: pytest.CaptureFixture[str], small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run(capsys, "graph", "export", "--format", "csv", "--index", str(small_index))
    assert (code, out) == (1, "")
    assert "-o FILE" in err and len(err.strip().splitlines()) == 1


# --- acceptance on the bundled corpus ----------------------------------------


def test_accept_implementers_of_29_ct_tw(
    capsys: pytest.CaptureFixture[str], built_index: Path
) -> None:
    code, out, _ = run(capsys, "implementers", "29-CT/TW", "--json", "--index", str(built_index))
    tree = json.loads(out)["implementers"]
    assert code == 0
    plan = next(e for e in tree if e["node"]["symbol"] == "232-KH/TU")
    assert plan["node"]["in_corpus"] is False
    assert plan["node"]["level"] == "tỉnh" and "Tỉnh ủy" in plan["node"]["issuer"]
    assert THI_UY in [e["node"]["doc_id"] for e in plan["implementers"]]


def test_accept_implementers_of_42_nq_tw(
    capsys: pytest.CaptureFixture[str], built_index: Path
) -> None:
    code, out, _ = run(capsys, "implementers", "42-NQ/TW", "--json", "--index", str(built_index))
    below = dict(walk(json.loads(out)["implementers"]))
    assert code == 0
    for parent in ("68/NQ-CP", "40-CTr/TU", "1181/KH-PGD-ĐT"):
        assert SCHOOL in below[parent], parent
    assert "1181/KH-PGD-ĐT" in below["68/NQ-CP"] and "1181/KH-PGD-ĐT" in below["40-CTr/TU"]


def test_accept_implementers_text_tree(
    capsys: pytest.CaptureFixture[str], built_index: Path
) -> None:
    _, out, _ = run(capsys, "implementers", "29-CT/TW", "--index", str(built_index))
    lines = out.splitlines()
    plan = line_with(lines, "232-KH/TU")
    thi_uy = line_with(lines, f"{THI_UY}.txt", plan)
    assert NOT_IN_CORPUS in lines[plan] and "[tỉnh]" in lines[plan]
    assert indent_of(lines[thi_uy]) > indent_of(lines[plan])


def test_accept_29_nq_and_29_ct_are_different_nodes(built_index: Path) -> None:
    from indexer.graph.cascade import find_nodes

    G = load_graph(built_index)
    (nq,), (ct,) = find_nodes(G, "29-NQ/TW"), find_nodes(G, "29-CT/TW")
    assert nq != ct
    assert (G.nodes[nq]["kind"], G.nodes[ct]["kind"]) == ("Nghị quyết", "Chỉ thị")


def test_accept_missing_lists_29_ct_and_42_nq(
    capsys: pytest.CaptureFixture[str], built_index: Path
) -> None:
    code, out, _ = run(capsys, "missing", "--json", "--limit", "10", "--index", str(built_index))
    symbols = [r["node"]["symbol"] for r in json.loads(out)["missing"]]
    assert code == 0
    assert {"29-CT/TW", "42-NQ/TW"} <= set(symbols)
