"""The corpus walk: sorted, hidden and unsupported files skipped, failures reported
not raised, paths outside the root refused, document ids stable and unique."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indexer.errors import PathOutsideCorpusError, UnreadableFileError
from indexer.load.corpus import (
    CORPUS_ENV,
    default_corpus_dir,
    doc_id_for,
    iter_corpus,
    read_source,
    safe_path,
)
from indexer.models import FailedFile, SourceFile
from tests.conftest import SEED_CORPUS

# A seed's id is its file name without ".txt" ("000_483593662cc2f1b9").
SEED_IDS = sorted(path.stem for path in SEED_CORPUS.glob("*.txt"))


def _tree(root: Path) -> Path:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "b.txt").write_text("Kế hoạch B", encoding="utf-8")
    (root / "a.md").write_text("Kế hoạch A", encoding="utf-8")
    (root / "sub" / "Kế hoạch 12.txt").write_text("Kế hoạch 12", encoding="utf-16")
    (root / "sub" / "deeper" / "c.htm").write_text("<p>Chỉ thị C</p>", encoding="utf-8")
    (root / "sub" / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (root / "sub" / "empty.txt").write_bytes(b"")
    (root / ".hidden" / "secret.txt").write_text("ẩn", encoding="utf-8")
    (root / ".dotfile.txt").write_text("ẩn", encoding="utf-8")
    (root / "notes.csv").write_text("a,b", encoding="utf-8")
    (root / "~$lock.docx").write_bytes(b"lock")
    (root / "README.md").write_text("# Kho văn bản", encoding="utf-8")
    return root


def test_iteration_is_recursive_sorted_and_reports_failures(tmp_path):
    root = _tree(tmp_path / "corpus")
    items = list(iter_corpus([root]))
    read = [item.rel_path for item in items if isinstance(item, SourceFile)]
    failed = {Path(item.path).name: item.reason for item in items if isinstance(item, FailedFile)}
    assert read == ["a.md", "b.txt", "sub/Kế hoạch 12.txt", "sub/deeper/c.htm"]
    assert set(failed) == {"broken.pdf", "empty.txt"}
    assert failed["broken.pdf"].startswith("PDF hỏng hoặc không đọc được")
    assert failed["empty.txt"] == "tệp rỗng (0 byte)"
    assert all("\n" not in reason for reason in failed.values())


def test_source_file_fields(tmp_path):
    root = _tree(tmp_path / "corpus")
    source = read_source(root / "sub" / "Kế hoạch 12.txt", root)
    assert source.file == "Kế hoạch 12.txt"
    assert source.rel_path == "sub/Kế hoạch 12.txt"
    assert source.text == "Kế hoạch 12"
    assert source.encoding == "utf-16-le"
    assert len(source.sha256) == 64
    assert Path(source.path).is_absolute()


def test_a_file_path_and_a_missing_path(tmp_path):
    root = _tree(tmp_path / "corpus")
    items = list(iter_corpus([root / "b.txt", tmp_path / "nope", root / "notes.csv"]))
    assert isinstance(items[0], SourceFile) and items[0].rel_path == "b.txt"
    assert isinstance(items[1], FailedFile) and items[1].reason == "không có tệp hoặc thư mục này"
    assert (
        isinstance(items[2], FailedFile) and items[2].reason == "loại tệp không được hỗ trợ: '.csv'"
    )


def test_overlapping_paths_list_a_file_once(tmp_path):
    root = _tree(tmp_path / "corpus")
    items = list(iter_corpus([root, root / "sub", root / "b.txt"]))
    read = [item.rel_path for item in items if isinstance(item, SourceFile)]
    assert read == ["a.md", "b.txt", "sub/Kế hoạch 12.txt", "sub/deeper/c.htm"]


def test_read_source_raises_for_an_unreadable_file(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02\x03binary\x00\x00")
    with pytest.raises(UnreadableFileError, match="^dữ liệu nhị phân, không phải văn bản"):
        read_source(path, tmp_path)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loops_and_escapes_are_not_followed(tmp_path):
    root = _tree(tmp_path / "corpus")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.txt").write_text("bí mật", encoding="utf-8")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "escape").symlink_to(outside, target_is_directory=True)
    items = list(iter_corpus([root]))
    read = [item.rel_path for item in items if isinstance(item, SourceFile)]
    assert read == ["a.md", "b.txt", "sub/Kế hoạch 12.txt", "sub/deeper/c.htm"]
    escaped = [
        item for item in items if isinstance(item, FailedFile) and "ra ngoài kho" in item.reason
    ]
    assert [Path(item.path).name for item in escaped] == ["escape"]


def test_seed_corpus_reads_cleanly(corpus_dir):
    items = list(iter_corpus([corpus_dir]))
    assert len(SEED_IDS) == 5
    assert [doc_id_for(item.rel_path) for item in items if isinstance(item, SourceFile)] == SEED_IDS
    assert not [item for item in items if isinstance(item, FailedFile)]


@pytest.mark.parametrize(
    ("rel_path", "expected"),
    [
        ("000_483593662cc2f1b9.txt", "000_483593662cc2f1b9"),
        ("d001.txt", "d001"),
        ("sub/Kế hoạch 12.docx", "sub-ke-hoach-12-e15814b4"),
    ],
)
def test_doc_ids_are_stable(rel_path, expected):
    assert doc_id_for(rel_path) == expected


def test_doc_ids_are_unique_and_url_safe():
    paths = [
        "a.txt",
        "a.docx",
        "A.txt",
        "sub/a.txt",
        "sub-a.txt",
        "sub/Kế hoạch 12.docx",
        "sub/Ke hoach 12.docx",
        "sub/kế_hoạch_12.txt",
        "Kế hoạch.pdf",
        "Kế hoạch.txt",
        "Đề án (2024).html",
    ]
    ids = [doc_id_for(p) for p in paths]
    assert len(set(ids)) == len(ids)
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789_-")
    assert all(set(i) <= allowed for i in ids), ids
    assert doc_id_for("sub\\a.txt") == doc_id_for("sub/a.txt")


@pytest.mark.parametrize(
    "rel",
    [
        "../etc/passwd",
        "/etc/passwd",
        "sub/../../x.txt",
        "..",
        "a/../../b",
        "\\etc\\passwd",
        "a\x00b",
    ],
)
def test_safe_path_refuses_traversal(tmp_path, rel):
    root = _tree(tmp_path / "corpus")
    with pytest.raises(PathOutsideCorpusError):
        safe_path(root, rel)


def test_safe_path_refuses_a_symlink_escaping_the_root(tmp_path):
    root = _tree(tmp_path / "corpus")
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(PathOutsideCorpusError):
        safe_path(root, "link.txt")


def test_safe_path_accepts_paths_inside(tmp_path):
    root = _tree(tmp_path / "corpus")
    assert safe_path(root, "sub/Kế hoạch 12.txt") == (root / "sub" / "Kế hoạch 12.txt").resolve()
    assert safe_path(root, "sub/./deeper/c.htm").read_text(encoding="utf-8") == "<p>Chỉ thị C</p>"


def test_default_corpus_dir(monkeypatch, tmp_path):
    monkeypatch.delenv(CORPUS_ENV, raising=False)
    bundled = default_corpus_dir()
    assert bundled.name == "corpus"
    assert sorted(p.stem for p in bundled.glob("*.txt")) == SEED_IDS
    monkeypatch.setenv(CORPUS_ENV, str(tmp_path))
    assert default_corpus_dir() == tmp_path.resolve()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("tự trỏ.txt", "liên kết tượng trưng tạo vòng lặp, bỏ qua"),
        ("không có.txt", "liên kết tượng trưng hỏng (đích không tồn tại), bỏ qua"),
    ],
)
def test_file_links_that_cannot_be_followed_are_reported(tmp_path, target, reason):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Kế hoạch A", encoding="utf-8")
    (root / "tự trỏ.txt").symlink_to(root / target)
    items = list(iter_corpus([root]))
    assert [(Path(i.path).name, i.reason) for i in items if isinstance(i, FailedFile)] == [
        ("tự trỏ.txt", reason)
    ]
    assert [i.file for i in items if isinstance(i, SourceFile)] == ["a.txt"]


def test_read_source_refuses_a_file_over_the_limit_before_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "lớn.txt"
    path.write_bytes(b"Ke hoach\n" * 3000)  # 27 000 bytes

    def no_reading(self: Path) -> bytes:
        raise AssertionError("a file over the limit was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(UnreadableFileError, match=r"^tệp quá lớn \(27.0 kB > giới hạn 25 kB\)$"):
        read_source(path, tmp_path, max_bytes=25_000)
    monkeypatch.undo()
    assert read_source(path, tmp_path, max_bytes=27_000).text.startswith("Ke hoach")
