"""Indexing adds: another folder's documents stay, a bad path changes nothing (issue 14).

The index remembers the files and folders it was built from; ``vanban index``
with no path refreshes them all, and only files deleted from a folder being
indexed leave the index.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from indexer.cli import main
from indexer.cli.serve_cmd import ensure_index
from indexer.errors import CorpusError
from indexer.index.indexing import build_index, refresh_index, remove_documents
from indexer.index.store import FOLDERS_FILE, load_documents, remembered_folders

PLAN_B = "KẾ HOẠCH\nBồi dưỡng thủ thư trường học năm 2025\nThực hiện Chỉ thị số 29-CT/TW\n"
# Folder A: small plans, so that each test indexes in well under a second.
PLANS_A = {
    f"ke-hoach-{n}.txt": f"KẾ HOẠCH số {n}/KH-UBND\nPhổ cập giáo dục năm {2020 + n}\n"
    "Thực hiện Chỉ thị số 29-CT/TW ngày 05/01/2024 của Bộ Chính trị\n"
    for n in range(1, 6)
}


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """Folder A: five small plans (overrides the seed copy of conftest)."""
    folder = tmp_path / "a"
    folder.mkdir()
    for name, text in PLANS_A.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _files(index_dir: Path) -> set[str]:
    return {doc.file for doc in load_documents(index_dir)}


def _folder_b(root: Path) -> Path:
    folder = root / "b"
    folder.mkdir()
    (folder / "ke-hoach-b.txt").write_text(PLAN_B, encoding="utf-8")
    return folder


def _index_both(corpus_dir: Path, root: Path) -> tuple[Path, Path]:
    """An index of the seed copy, then of folder b; (index dir, folder b)."""
    index_dir, folder_b = root / "index", _folder_b(root)
    build_index([corpus_dir], index_dir, progress=False, workers=1)
    build_index([folder_b], index_dir, progress=False, workers=1)
    return index_dir, folder_b


def test_indexing_a_second_folder_keeps_the_first(corpus_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus_dir], index_dir, progress=False, workers=1)
    report = build_index([_folder_b(tmp_path)], index_dir, progress=False, workers=1)
    assert (report.indexed, report.removed) == (1, 0)
    assert len(_files(index_dir)) == 6 and "ke-hoach-b.txt" in _files(index_dir)
    assert remembered_folders(index_dir) == [corpus_dir.resolve(), (tmp_path / "b").resolve()]


def test_a_missing_path_is_an_error_and_changes_nothing(corpus_dir: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus_dir], index_dir, progress=False, workers=1)
    before = (_files(index_dir), (index_dir / FOLDERS_FILE).read_bytes())
    typo = tmp_path / "corpuz"
    with pytest.raises(CorpusError) as raised:
        build_index([corpus_dir, typo], index_dir, progress=False, workers=1)
    assert str(typo) in raised.value.message and "không thay đổi" in raised.value.message
    assert (_files(index_dir), (index_dir / FOLDERS_FILE).read_bytes()) == before


def test_the_command_line_says_so_in_one_line_and_fails(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus_dir], index_dir, progress=False, workers=1)
    code = main(["-q", "index", str(tmp_path / "corpuz"), "--index", str(index_dir)])
    _, err = capsys.readouterr()
    assert code != 0
    assert err.count("\n") == 1 and "không có tệp hoặc thư mục" in err and "Traceback" not in err
    assert len(_files(index_dir)) == 5


def test_refresh_reindexes_every_remembered_folder_and_drops_deleted_files(
    corpus_dir: Path, tmp_path: Path
) -> None:
    index_dir, folder_b = _index_both(corpus_dir, tmp_path)
    (folder_b / "ke-hoach-b.txt").write_text(PLAN_B + "Bổ sung.\n", encoding="utf-8")
    deleted = sorted(corpus_dir.glob("*.txt"))[0]
    deleted.unlink()
    report = refresh_index(index_dir, first=[tmp_path / "never"], progress=False, workers=1)
    assert (report.indexed, report.removed, report.skipped) == (1, 1, 4)
    assert deleted.name not in _files(index_dir) and len(_files(index_dir)) == 5


def test_refresh_keeps_the_documents_of_a_folder_that_is_gone(
    corpus_dir: Path, tmp_path: Path
) -> None:
    index_dir, folder_b = _index_both(corpus_dir, tmp_path)
    shutil.rmtree(folder_b)
    report = refresh_index(index_dir, first=[tmp_path / "never"], progress=False, workers=1)
    assert report.removed == 0 and len(_files(index_dir)) == 6
    assert [path for path, _ in report.failed] == [str(folder_b.resolve())]


def test_a_new_index_starts_from_the_given_first_folders(corpus_dir: Path, tmp_path: Path) -> None:
    first = corpus_dir
    report = refresh_index(tmp_path / "index", first=[first], progress=False, workers=1)
    assert report.indexed == 5
    assert remembered_folders(tmp_path / "index") == [first.resolve()]


def test_index_without_a_path_refreshes_instead_of_replacing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    build_index([_folder_b(tmp_path)], index_dir, progress=False, workers=1)
    code = main(["-q", "index", "--index", str(index_dir), "--json", "--workers", "1"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["indexed"] == 0 and report["removed"] == 0
    assert _files(index_dir) == {"ke-hoach-b.txt"}  # not the bundled corpus


def test_serve_indexes_a_chosen_folder_into_an_existing_index(
    corpus_dir: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus_dir], index_dir, progress=False, workers=1)
    folder_b = _folder_b(tmp_path)
    assert not ensure_index(index_dir, folder_b, progress=False)  # the default corpus: as is
    assert ensure_index(index_dir, folder_b, progress=False, chosen=True)
    assert len(_files(index_dir)) == 6
    assert not ensure_index(index_dir, folder_b, progress=False, chosen=True)  # held already


def test_remove_a_folder_forgets_it_and_keeps_the_rest(corpus_dir: Path, tmp_path: Path) -> None:
    index_dir, folder_b = _index_both(corpus_dir, tmp_path)
    report = remove_documents(index_dir, [str(corpus_dir)])
    assert len(report.removed) == 5 and report.forgotten == (str(corpus_dir.resolve()),)
    assert _files(index_dir) == {"ke-hoach-b.txt"}
    refreshed = refresh_index(index_dir, first=[corpus_dir], progress=False, workers=1)
    assert refreshed.indexed == 0 and _files(index_dir) == {"ke-hoach-b.txt"}  # not re-added


def test_remove_by_doc_id(corpus_dir: Path, tmp_path: Path) -> None:
    index_dir, _ = _index_both(corpus_dir, tmp_path)
    doc = next(d for d in load_documents(index_dir) if d.file == "ke-hoach-b.txt")
    report = remove_documents(index_dir, [doc.doc_id])
    assert [doc_id for doc_id, _ in report.removed] == [doc.doc_id] and report.forgotten == ()
    assert len(_files(index_dir)) == 5


def test_remove_with_an_unknown_target_removes_nothing(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    index_dir, folder_b = _index_both(corpus_dir, tmp_path)
    with pytest.raises(CorpusError):
        remove_documents(index_dir, [str(folder_b), "khong-co-ma-nay"])
    code = main(["-q", "remove", "--index", str(index_dir), str(tmp_path / "khong-co")])
    _, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1 and "chưa xoá gì" in err
    assert len(_files(index_dir)) == 6


def test_a_same_named_file_in_another_folder_never_replaces_a_document(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    for school in ("a", "b"):
        (tmp_path / school).mkdir()
        (tmp_path / school / "KeHoach.txt").write_text(
            f"KẾ HOẠCH\nPhổ cập giáo dục trường {school.upper()}\n", encoding="utf-8"
        )
    build_index([tmp_path / "a"], index_dir, progress=False, workers=1)
    report = build_index([tmp_path / "b"], index_dir, progress=False, workers=1)
    assert report.indexed == 0 and [p for p, _ in report.failed] == [
        str((tmp_path / "b" / "KeHoach.txt").resolve())
    ]
    (doc,) = load_documents(index_dir)
    assert doc.sha256 == hashlib.sha256((tmp_path / "a" / "KeHoach.txt").read_bytes()).hexdigest()
