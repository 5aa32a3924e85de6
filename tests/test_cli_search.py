"""`vanban index` and `vanban search` through indexer.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["-q", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_index_then_reindex(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    index_dir = str(tmp_path / "index")
    code, out, _ = run(capsys, "index", str(corpus_dir), "--index", index_dir, "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["indexed"], report["skipped"], report["failed"]) == (5, 0, [])
    code, out, _ = run(capsys, "index", str(corpus_dir), "--index", index_dir)
    assert code == 0
    assert "0 đã lập (indexed), 5 không đổi (skipped), 0 đã xoá (removed), 0 lỗi (failed)" in out


def test_index_honours_vanban_index(
    capsys: pytest.CaptureFixture[str],
    corpus_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VANBAN_INDEX", str(tmp_path / "env-index"))
    assert run(capsys, "index", str(corpus_dir))[0] == 0
    code, out, _ = run(capsys, "search", "hòa nhập", "--json")
    assert code == 0 and json.loads(out)["total"] == 2


def test_failed_file_warns_and_strict_fails(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    (corpus_dir / "hong.docx").write_bytes(b"not a docx")
    index_dir = str(tmp_path / "index")
    code, out, err = run(capsys, "index", str(corpus_dir), "--index", index_dir)
    assert code == 0
    assert "1 lỗi (failed)" in out
    [line] = [x for x in err.splitlines() if "hong.docx" in x]
    assert line.startswith("vanban: bỏ qua ") and "Traceback" not in err
    code, _, _ = run(capsys, "index", str(corpus_dir), "--index", index_dir, "--strict")
    assert code == 1


def test_search_json(capsys: pytest.CaptureFixture[str], built_index: Path) -> None:
    code, out, _ = run(capsys, "search", "phổ cập giáo dục", "--index", str(built_index), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "phổ cập giáo dục" and data["total"] == 4
    assert {h["doc_id"] for h in data["hits"]} == {
        "000_483593662cc2f1b9",
        "001_390e6e42b23c01ee",
        "002_0c8b9f1545dfa298",
        "003_193869202513d02c",
    }
    keys = {"doc_id", "file", "title", "kind", "symbol", "issuer", "date", "score", "snippet"}
    for hit in data["hits"]:
        assert set(hit) == keys
        assert hit["file"] == hit["doc_id"] + ".txt"
        assert "<mark>" in hit["snippet"]


def test_search_words_are_joined_and_paged(
    capsys: pytest.CaptureFixture[str], built_index: Path
) -> None:
    argv = [
        "search",
        "giáo",
        "dục",
        "--index",
        str(built_index),
        "--json",
        "--limit",
        "2",
        "--page",
        "3",
    ]
    data = json.loads(run(capsys, *argv)[1])
    assert data["total"] == 5 and len(data["hits"]) == 1


def test_search_text_output(capsys: pytest.CaptureFixture[str], built_index: Path) -> None:
    code, out, _ = run(
        capsys, "search", "xoa mu chu", "--index", str(built_index), "--sort", "date"
    )
    assert code == 0
    assert out.startswith("3 kết quả cho «xoa mu chu» (tìm không dấu)")
    assert "«xóa mù chữ»" in out and "<mark>" not in out
    assert "002_0c8b9f1545dfa298.txt" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", '"phổ cập'], "ngoặc kép"),
        (["search", "OR"], "OR"),
    ],
)
def test_search_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], built_index: Path, argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv, "--index", str(built_index))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("vanban: ") and message in err


def test_search_without_index(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "search", "giáo dục", "--index", str(tmp_path / "none"))
    assert code == 1 and "Chưa có chỉ mục" in err and "vanban index" in err


@pytest.mark.parametrize("command", ["index", "search"])
def test_help_documents_the_syntax(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "--index" in out
    if command == "search":
        assert all(
            word in out
            for word in (
                '"xóa mù chữ"',
                " OR ",
                '-"phổ cập"',
                "kind:",
                "year:",
                "issuer:",
                "level:",
            )
        )


def test_index_defaults_to_the_bundled_corpus(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "index", "--index", str(tmp_path / "index"), "--json", "--workers", "1"
    )
    assert code == 0
    report = json.loads(out)
    assert report["indexed"] == 5 and report["failed"] == []
