"""Loading: every supported format and encoding decodes to the same normalised text,
and every unreadable file gives a one-line reason instead of a traceback."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.errors import UnreadableFileError
from indexer.grammar import load_table
from indexer.load import legacy
from indexer.load.loaders import decode_text, load_bytes
from indexer.normalize import normalize_text

PHRASES = [
    "Phòng Giáo dục và Đào tạo",
    "Kế hoạch",
    "Ủy ban nhân dân",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Thực hiện Chỉ thị số 29-CT/TW, ngày 05/01/2024 của Bộ Chính trị về xóa mù chữ",
]


def _pdf(*pages: str) -> bytes:
    """A minimal PDF whose pages show ASCII ``pages`` in Helvetica (empty = no text)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for text in pages:
        page_no, content_no = len(objects) + 1, len(objects) + 2
        kids.append(f"{page_no} 0 R")
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET" if text else "0 0 m 10 10 l S"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_no} 0 R "
            "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out.write(trailer.encode())
    return out.getvalue()


def _tcvn3(text: str) -> bytes:
    table = {letter: code for code, letter in _legacy_table("tcvn3", "chars").items()}
    return "".join(table.get(ch, ch) for ch in text.lower()).encode("latin-1")


def _vni(text: str) -> bytes:
    letters = {v: k for k, v in _legacy_table("vni", "letters").items()}
    marks = {"".join(sorted(v)): k for k, v in _legacy_table("vni", "marks").items() if k.islower()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in letters:
            out.append(letters[ch])
            continue
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0]
        if parts[1:2] == "\u031b":  # horn: ơ / ư are letters of their own in VNI
            base, parts = unicodedata.normalize("NFC", parts[:2]), parts[0] + parts[2:]
            base = letters.get(base, base)
        out.append(base)
        if len(parts) > 1:
            out.append(marks["".join(sorted(parts[1:]))])
    return "".join(out).encode("cp1252")


def _legacy_table(section: str, key: str) -> Any:
    table = load_table("legacy_encodings")[section][key]
    return dict(table) if isinstance(table, dict) else list(table)


@pytest.mark.parametrize("phrase", PHRASES)
@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("utf-16"), "utf-16-le"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: t.encode("utf-16-be"), "utf-16-be"),
        (lambda t: legacy.encode_cp1258(t), "cp1258"),
        (lambda t: unicodedata.normalize("NFD", t).encode("utf-8"), "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom", "cp1258", "utf8-nfd"],
)
def test_text_encodings_decode_to_the_same_text(phrase, encode, encoding):
    loaded = load_bytes(encode(phrase + "\n"), ".txt")
    assert loaded.text == normalize_text(phrase + "\n")
    assert loaded.encoding == encoding


@pytest.mark.parametrize("phrase", [p for p in PHRASES if not p.isupper()])
def test_vni_bytes_are_converted(phrase):
    loaded = load_bytes(_vni(phrase), ".txt")
    assert loaded.text == normalize_text(phrase)
    assert loaded.encoding == "vni"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Phßng Gi¸o dôc vµ §µo t¹o", "Phòng Giáo dục và Đào tạo"),
        ("KÕ ho¹ch", "Kế hoạch"),
        ("Uû ban nh©n d©n", "Ủy ban nhân dân"),
        ("KÕ HO¹CH\nTRIÓN KHAI NHIÖM Vô N¡M HäC", "KẾ HOẠCH\nTRIỂN KHAI NHIỆM VỤ NĂM HỌC"),
    ],
)
def test_tcvn3_bytes_are_converted(raw, expected):
    loaded = load_bytes(raw.encode("latin-1"), ".txt")
    assert loaded.text == expected
    assert loaded.encoding == "tcvn3"


def test_tcvn3_round_trip_of_real_phrases():
    for phrase in PHRASES[:3]:
        assert load_bytes(_tcvn3(phrase), ".txt").text.lower() == normalize_text(phrase).lower()


@pytest.mark.parametrize(
    ("typed", "expected", "font"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", "TCVN3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", "VNI"),
    ],
)
def test_unicode_text_typed_in_a_legacy_font_is_repaired(typed, expected, font):
    text, encoding, notes = decode_text(typed.encode("utf-8"))
    assert normalize_text(text) == expected
    assert encoding == "utf-8" and font in notes[0]


def test_utf8_cut_mid_character_stays_utf8():
    data = "Kế hoạch số 45/KH-UBND ngày 12/3/2024 của Ủy ban nhân dân".encode()
    loaded = load_bytes(data[:-2], ".txt")  # "dân" cut inside its "â"
    assert (loaded.encoding, loaded.text) == ("utf-8", normalize_text(data[:-3].decode()))
    assert "cut inside" in loaded.warnings[0]


def test_utf8_with_a_stray_byte_stays_utf8():
    data = "Ủy ban nhân dân huyện Củ Chi xây dựng kế hoạch triển khai nhiệm vụ năm học".encode()
    loaded = load_bytes(data[:10] + b"\xff" + data[10:], ".txt")
    assert loaded.encoding == "utf-8"
    assert "1 invalid UTF-8" in loaded.warnings[0]


def test_genuine_unicode_is_not_repaired():
    text = "Giáo dục – đào tạo: «phổ cập» ½ · × ©"
    assert decode_text(text.encode("utf-8"))[0] == text


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Số: 12/KH-UBND"
    table.cell(0, 1).text = "Củ Chi, ngày 19 tháng 9 năm 2023"
    table.cell(1, 0).text = "hoà nhập"
    table.cell(1, 1).text = "uỷ ban"
    document.add_paragraph("KẾ HOẠCH")
    path = tmp_path / "plan.docx"
    document.save(path)
    loaded = load_bytes(path.read_bytes(), ".docx")
    assert loaded.encoding == "docx"
    assert loaded.text.split("\n") == [
        "ỦY BAN NHÂN DÂN",
        "Số: 12/KH-UBND | Củ Chi, ngày 19 tháng 9 năm 2023",
        "hòa nhập | ủy ban",
        "KẾ HOẠCH",
    ]


def test_docx_merged_cells_appear_once(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Trường Tiểu học"
    table.cell(0, 2).text = "Độc lập"
    path = tmp_path / "merged.docx"
    document.save(path)
    assert load_bytes(path.read_bytes(), ".docx").text == "Trường Tiểu học | Độc lập"


def test_pdf_text_layer_is_read():
    loaded = load_bytes(_pdf("Ke hoach so 12/KH-UBND", "Trang hai"), ".pdf")
    assert loaded.encoding == "pdf"
    assert "Ke hoach so 12/KH-UBND" in loaded.text and "Trang hai" in loaded.text
    assert loaded.text.index("Ke hoach") < loaded.text.index("Trang hai")


def test_html_drops_scripts_and_keeps_block_breaks():
    html = (
        "<html><head><title>site</title><style>p{}</style></head><body>"
        "<script>alert('x')</script><p>KẾ HOẠCH</p><div>Triển khai <b>hoà</b> nhập<br>dòng hai</div>"
        "<table><tr><td>Số: 12/KH-UBND</td><td>Củ Chi</td></tr></table></body></html>"
    )
    loaded = load_bytes(html.encode("utf-8"), ".html")
    assert loaded.text.split("\n")[:4] == [
        "KẾ HOẠCH",
        "Triển khai hòa nhập",
        "dòng hai",
        "Số: 12/KH-UBND | Củ Chi",
    ]
    assert "alert" not in loaded.text and "p{}" not in loaded.text and "site" not in loaded.text


@pytest.mark.parametrize(
    ("data", "suffix", "reason"),
    [
        (b"", ".txt", "tệp rỗng (0 byte)"),
        (b"", ".docx", "tệp rỗng (0 byte)"),
        (b"\n \n", ".txt", "tệp không có chữ"),
        (bytes(range(256)) * 8, ".txt", "dữ liệu nhị phân, không phải văn bản"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, ".txt", "đây là tệp PNG"),
        (b"PK\x03\x04" + b"\x00" * 40, ".md", "đây là tệp ZIP"),
        (b"\x00\x01\x02\x03\x04garbage\x00\x00\xff", ".txt", "dữ liệu nhị phân"),
        (b"PK\x03\x04 not really a zip", ".docx", "không phải tệp .docx hợp lệ"),
        (b"plain text, not a word file", ".docx", "không phải tệp .docx hợp lệ"),
        (b"%PDF-1.4\n1 0 obj garbage", ".pdf", "PDF hỏng hoặc không đọc được"),
        (b"text", ".doc", "loại tệp không được hỗ trợ: '.doc'"),
    ],
    ids=[
        "empty-txt",
        "empty-docx",
        "blank-txt",
        "all-bytes",
        "png-named-txt",
        "zip-named-md",
        "control-bytes",
        "broken-zip-docx",
        "text-named-docx",
        "corrupt-pdf",
        "doc",
    ],
)
def test_unreadable_files_give_a_one_line_reason(data, suffix, reason):
    with pytest.raises(UnreadableFileError) as caught:
        load_bytes(data, suffix)
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message


def test_pdf_without_text_layer_asks_for_ocr():
    with pytest.raises(
        UnreadableFileError,
        match=r"^PDF không có lớp chữ, cần nhận dạng ký tự \(OCR\) \(hãy chạy OCR",
    ):
        load_bytes(_pdf(""), ".pdf")


def test_encrypted_pdf_is_reported():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("mật khẩu", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UnreadableFileError, match="^PDF được mã hoá, cần mật khẩu"):
        load_bytes(out.getvalue(), ".pdf")


def test_text_is_normalised_once():
    raw = "Ð\u1ea3ng uỷ  – hoà\r\n"
    assert load_bytes(raw.encode("utf-8"), ".txt").text == normalize_text(raw)


@pytest.mark.parametrize(
    ("font", "example"),
    [(font, e) for font in ("tcvn3", "vni") for e in _legacy_table(font, "examples")],
)
def test_legacy_table_examples_convert_to_clean_vietnamese(font, example):
    convert = legacy.tcvn3_to_unicode if font == "tcvn3" else legacy.vni_to_unicode
    converted = convert(example)
    assert legacy.vietnamese_score(converted) > legacy.vietnamese_score(example)
    assert not [
        ch
        for ch in converted
        if "\u00a0" < ch <= "\u00ff" and ch not in legacy.vietnamese_letters()
    ]


def test_pdf_that_cannot_be_decrypted_is_reported_as_encrypted(monkeypatch):
    """AES-encrypted PDFs need the optional cryptography package to decrypt at all."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import DependencyError

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("", algorithm="RC4-128")  # opens with the empty password…
    out = io.BytesIO()
    writer.write(out)

    def failing(self: PdfReader, password: str) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", failing)  # … unless decrypting fails
    with pytest.raises(UnreadableFileError, match="^PDF được mã hoá, cần mật khẩu"):
        load_bytes(out.getvalue(), ".pdf")


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(max_codepoint=0x1EFF)))
def test_counting_noise_and_letters_by_pattern_equals_counting_by_character(text: str) -> None:
    assert legacy.count_foreign(text) == sum(legacy._foreign(ch) for ch in text)
    letters = legacy.vietnamese_letters()
    assert legacy.count_genuine(text) == sum(ch > "\u00ff" and ch in letters for ch in text)
