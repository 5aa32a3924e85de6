"""A messy corpus: every good document is indexed, every bad file is reported with
its reason, and `vanban index` never prints a traceback (issue 7, "Bad input").

The bad files are generated here in tmp_path; nothing binary is committed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.cli import main
from indexer.errors import UnreadableFileError
from indexer.index.indexing import MAX_FILE_BYTES, build_index
from indexer.index.store import load_documents
from indexer.load import legacy
from indexer.load.loaders import decode_text, load_bytes
from indexer.search.searcher import Searcher
from tests.conftest import copy_seed_corpus

SEEDS = sorted(p.name for p in (Path(__file__).parent / "data" / "corpus").glob("*.txt"))
# The 30 MB file: 24 bytes of Vietnamese per line.
BIG_LINE = "Phổ cập giáo dục\n".encode()
BIG_BYTES = 30_000_000

# file name -> the reason `vanban index` gives for it
BAD_FILES = {
    "rỗng.txt": "tệp rỗng (0 byte)",
    "trống.docx": "tệp rỗng (0 byte)",
    "rác.txt": "dữ liệu nhị phân, không phải văn bản",
    "cắt dở.docx": "không phải tệp .docx hợp lệ",
    "hỏng.pdf": "PDF hỏng hoặc không đọc được",
    "mật khẩu.pdf": "PDF được mã hoá, cần mật khẩu",
    "bản quét.pdf": "PDF không có lớp chữ, cần nhận dạng ký tự (OCR)",
    "lớn.txt": "tệp quá lớn (30.0 MB > giới hạn 20 MB)",
    "tự trỏ.txt": "liên kết tượng trưng tạo vòng lặp",
    "khóa.txt": "không mở được tệp (Permission denied)",
}
# file name -> (its text as it must come out of the index, a query that finds it)
GOOD_FILES = {
    "utf16 không BOM.txt": ("Phổ cập giáo dục mầm non cho trẻ em năm tuổi", "mầm non"),
    "cp1258.txt": ("Bồi dưỡng thủ thư trường học", "thủ thư"),
    "tcvn3.txt": ("Phòng Giáo dục và Đào tạo", "Phòng Giáo dục"),
    "vni.txt": ("Cộng hòa xã hội chủ nghĩa Việt Nam", "xã hội chủ nghĩa"),
    "Kế hoạch số 12 năm 2024.txt": ("Tuyên truyền xóa mù chữ cho người lớn", "người lớn"),
}


def _blank_pdf(password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if password is not None:
        writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _truncated_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH Phổ cập giáo dục")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()[: len(out.getvalue()) // 2]


def make_messy_corpus(root: Path, *, big: bool = True) -> Path:
    """The seed documents plus one file of each bad kind and each legacy encoding."""
    corpus = copy_seed_corpus(root)
    (corpus / "rỗng.txt").write_bytes(b"")
    (corpus / "trống.docx").write_bytes(b"")
    (corpus / "rác.txt").write_bytes(bytes((i * 37 + 11) % 256 for i in range(5000)))
    (corpus / "cắt dở.docx").write_bytes(_truncated_docx())
    (corpus / "hỏng.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog garbage")
    (corpus / "mật khẩu.pdf").write_bytes(_blank_pdf(password="mật khẩu"))
    (corpus / "bản quét.pdf").write_bytes(_blank_pdf())
    (corpus / "khóa.txt").write_text("KẾ HOẠCH\nkhông ai đọc được tệp này\n", encoding="utf-8")
    (corpus / "tự trỏ.txt").symlink_to(corpus / "tự trỏ.txt")
    (corpus / "vòng lặp").symlink_to(corpus, target_is_directory=True)
    if big:
        (corpus / "lớn.txt").write_bytes(BIG_LINE * (BIG_BYTES // len(BIG_LINE) + 1))
    texts = {name: f"KẾ HOẠCH\n{text}\n" for name, (text, _) in GOOD_FILES.items()}
    (corpus / "utf16 không BOM.txt").write_bytes(texts["utf16 không BOM.txt"].encode("utf-16-le"))
    (corpus / "cp1258.txt").write_bytes(legacy.encode_cp1258(texts["cp1258.txt"]))
    # As extracted from old .VnTime / VNI-Times documents.
    (corpus / "tcvn3.txt").write_bytes("KÕ HO¹CH\nPhßng Gi¸o dôc vµ §µo t¹o\n".encode("latin-1"))
    (corpus / "vni.txt").write_bytes(
        "KEÁ HOAÏCH\nCoäng hoøa xaõ hoäi chuû nghóa Vieät Nam\n".encode("cp1252")
    )
    name = "Kế hoạch số 12 năm 2024.txt"
    (corpus / name).write_text(texts[name], encoding="utf-8")
    return corpus


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make khóa.txt unreadable (tests run as root, where chmod 000 changes nothing)."""
    read_bytes = Path.read_bytes

    def refusing(self: Path) -> bytes:
        if self.name == "khóa.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refusing)


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The messy corpus (with the 30 MB file), shared by the tests of this module."""
    return make_messy_corpus(tmp_path_factory.mktemp("messy") / "corpus")


def _by_name(failed: list[dict[str, str]]) -> dict[str, str]:
    return {Path(f["path"]).name: f["reason"] for f in failed}


@pytest.mark.slow
@pytest.mark.usefixtures("unreadable")
def test_index_json_reports_every_bad_file_and_indexes_the_rest(
    messy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = tmp_path / "index"
    status = main(["-q", "index", str(messy), "--index", str(index_dir), "--json"])
    out, err = capsys.readouterr()
    assert status == 0
    report = json.loads(out)
    reasons = _by_name(report["failed"])
    assert set(reasons) == set(BAD_FILES)
    for name, reason in BAD_FILES.items():
        assert reasons[name].startswith(reason), (name, reasons[name])
        assert "\n" not in reasons[name]
    assert report["indexed"] == len(SEEDS) + len(GOOD_FILES)
    assert "Traceback" not in err
    files = {d.file for d in load_documents(index_dir)}
    assert files == set(SEEDS) | set(GOOD_FILES)


@pytest.mark.slow
@pytest.mark.usefixtures("unreadable")
def test_legacy_encodings_come_out_as_unicode_and_are_found(messy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([messy], index_dir, progress=False)
    searcher = Searcher(index_dir)
    try:
        by_file = {d.file: d.doc_id for d in searcher.documents()}
        for name, (text, query) in GOOD_FILES.items():
            stored = searcher.document(by_file[name])
            assert stored.text.split("\n")[:2] == ["KẾ HOẠCH", text], name
            assert by_file[name] in {h.doc_id for h in searcher.search(query).hits}, name
    finally:
        searcher.close()


@pytest.mark.slow
@pytest.mark.usefixtures("unreadable")
def test_summary_lists_each_bad_file_and_strict_fails(
    messy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = tmp_path / "index"
    assert main(["-q", "index", str(messy), "--index", str(index_dir)]) == 0
    out, err = capsys.readouterr()
    assert f"{len(SEEDS) + len(GOOD_FILES)} đã lập (indexed)" in out
    assert f"{len(BAD_FILES)} lỗi (failed)" in out
    for name, reason in BAD_FILES.items():
        assert f"{messy / name}: {reason}" in out
        assert f"bỏ qua {messy / name}: {reason}" in err
    # Unchanged: nothing indexed again, the same files reported, still exit 0 …
    assert main(["-q", "index", str(messy), "--index", str(index_dir)]) == 0
    assert "0 đã lập (indexed)" in capsys.readouterr().out
    # … and --strict turns the bad files into a failure.
    assert main(["-q", "index", str(messy), "--index", str(index_dir), "--strict"]) == 1
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.slow
def test_size_limit_is_an_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = copy_seed_corpus(tmp_path / "corpus")
    largest = corpus / "002_0c8b9f1545dfa298.txt"  # 30 821 bytes, the others under 21 000
    index_dir = str(tmp_path / "index")
    assert main(["-q", "index", str(corpus), "--index", index_dir, "--max-bytes", "25kB"]) == 0
    out = capsys.readouterr().out
    assert f"{largest}: tệp quá lớn (30.8 kB > giới hạn 25 kB)" in out
    assert "1 lỗi (failed)" in out
    # 0 = no limit: the refused file is indexed now.
    assert main(["-q", "index", str(corpus), "--index", index_dir, "--max-bytes", "0"]) == 0
    assert "1 đã lập (indexed)" in capsys.readouterr().out
    assert MAX_FILE_BYTES == 20_000_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20MB", 20_000_000), ("500 kB", 500_000), ("1.5G", 1_500_000_000), ("1000", 1000)],
)
def test_sizes_are_read_in_decimal_units(text: str, expected: int) -> None:
    from indexer.cli.index_cmd import parse_size

    assert parse_size(text) == expected


@pytest.mark.parametrize("size", ["-1MB", "lớn", "MB"])
def test_a_bad_size_is_a_usage_error(size: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["index", f"--max-bytes={size}"])
    assert caught.value.code == 2
    assert "not a size" in capsys.readouterr().err


@pytest.mark.slow
def test_subprocess_index_never_prints_a_traceback(tmp_path: Path) -> None:
    corpus = make_messy_corpus(tmp_path / "corpus", big=False)
    env = {**os.environ, "VANBAN_WORKERS": "1"}
    command = [sys.executable, "-m", "indexer.cli", "index", str(corpus)]
    done = subprocess.run(
        [*command, "--index", str(tmp_path / "index"), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    reasons = _by_name(json.loads(done.stdout)["failed"])
    # No 30 MB file here; khóa.txt is readable (unreadability is simulated in-process).
    assert set(reasons) == set(BAD_FILES) - {"lớn.txt", "khóa.txt"}
    assert reasons["bản quét.pdf"].startswith(BAD_FILES["bản quét.pdf"])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_decode_text_never_raises_on_random_bytes(data: bytes) -> None:
    try:
        text, encoding, notes = decode_text(data)
    except UnreadableFileError as err:  # the one allowed outcome besides text
        assert err.message and "\n" not in err.message
        return
    assert isinstance(text, str) and encoding
    assert all(isinstance(note, str) for note in notes)


def _whole_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH Phổ cập giáo dục")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "Số: 12/KH-UBND"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WHOLE = {".docx": _whole_docx(), ".pdf": _blank_pdf(), ".html": "<p>Kế hoạch</p>".encode()}


@pytest.mark.parametrize("suffix", sorted(WHOLE))
@settings(max_examples=150, deadline=None)
@given(cut=st.floats(0, 1), noise=st.binary(max_size=200))
def test_truncated_or_garbled_files_give_a_reason_not_a_crash(
    suffix: str, cut: float, noise: bytes
) -> None:
    whole = WHOLE[suffix]
    at = int(len(whole) * cut)
    for data in (whole[:at], whole[:at] + noise + whole[at + len(noise) :]):
        try:
            load_bytes(data, suffix)
        except UnreadableFileError as err:
            assert err.message and "\n" not in err.message


def test_an_index_folder_that_cannot_be_written_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = copy_seed_corpus(tmp_path / "corpus")
    (tmp_path / "tệp").write_text("không phải thư mục", encoding="utf-8")
    index_dir = tmp_path / "tệp" / "index"
    assert main(["-q", "index", str(corpus), "--index", str(index_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"vanban: Không ghi được chỉ mục tại {index_dir}: Not a directory")
    assert err.count("\n") == 1
