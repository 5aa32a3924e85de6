"""Relation cues, the preamble, list membership and evidence sentences."""

from __future__ import annotations

import pytest

from indexer.extract.classify import evidence, is_embedded, layout, preamble_end
from indexer.extract.find import scan
from indexer.extract.resolve import resolve_refs
from indexer.models import Identity, Relation


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("KẾ HOẠCH\nThực hiện X\nI. MỤC ĐÍCH, YÊU CẦU\nnội dung", "I. MỤC ĐÍCH"),
        ("CHỈ THỊ\nThực hiện X\nI Phương hướng chung\nnội dung", "I Phương hướng"),
        ("QUYẾT ĐỊNH\nCăn cứ X;\nQUYẾT ĐỊNH:\nĐiều 1. Phê duyệt", "QUYẾT ĐỊNH:"),
        ("NGHỊ ĐỊNH\nCăn cứ X;\nChương I\nQUY ĐỊNH CHUNG", "Chương I"),
        ("chỉ thị:\nA. NHIỆM VỤ CHỦ YẾU NĂM HỌC", "A. NHIỆM VỤ"),
    ],
)
def test_preamble_ends_at_the_first_section_heading(text: str, heading: str) -> None:
    assert text[preamble_end(text) :].startswith(heading)


def test_preamble_without_headings_is_capped() -> None:
    assert preamble_end("Căn cứ " * 2000) == 6000


def relation_of(text: str, symbol: str) -> Relation:
    refs, _, _ = resolve_refs(text, scan(text), Identity())
    return next(r.relation for r in refs if r.symbol == symbol)


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("KẾ HOẠCH\nThực hiện Công văn số 12/SGDĐT-GDTH ngày 01/9/2023", "implements"),
        ("KẾ HOẠCH\nTiếp tục triển khai thực hiện Công văn số 12/SGDĐT-GDTH", "implements"),
        ("V/v triển khai thực hiện Công văn số 12/SGDĐT-GDTH", "implements"),
        ("KẾ HOẠCH THỰC HIỆN CÔNG VĂN SỐ 12/SGDĐT-GDTH", "implements"),
        ("Căn cứ Công văn số 12/SGDĐT-GDTH ngày 01/9/2023;", "basis"),
        ("Căn cứ vào Công văn số 12/SGDĐT-GDTH ngày 01/9/2023;", "basis"),
        ("Theo đề nghị của Sở tại Công văn số 12/SGDĐT-GDTH;", "cites"),
        ("Xét Công văn số 12/SGDĐT-GDTH;", "cites"),
        ("Năm học trước đã thực hiện 06 nhóm nhiệm vụ theo Công văn số 12/SGDĐT-GDTH.", "cites"),
        ("I. NHIỆM VỤ\nThực hiện Công văn số 12/SGDĐT-GDTH ngày 01/9/2023", "cites"),
    ],
    ids=[
        "opening",
        "tiep-tuc",
        "v-v",
        "caps-title",
        "can-cu",
        "can-cu-vao",
        "theo-de-nghi",
        "xet",
        "mid-sentence",
        "body",
    ],  # fmt: skip
)
def test_cue_relation(text: str, relation: str) -> None:
    assert relation_of(text, "12/SGDĐT-GDTH").value == relation


def test_lowercase_continuation_line_does_not_open_a_clause() -> None:
    text = "Căn cứ Nghị quyết số 44/NQ-CP ngày\n09 tháng 6 năm 2014 của Chính phủ về kế hoạch\nthực hiện tốt Nghị quyết số 29-NQ/TW;"
    assert relation_of(text, "44/NQ-CP") is Relation.BASIS
    assert relation_of(text, "29-NQ/TW") is Relation.CITES


def test_document_inside_a_description_is_not_a_list_item() -> None:
    text = "Căn cứ Quyết định số 12/QĐ-UBND ngày 1/1/2020 của UBND tỉnh về việc hướng dẫn theo Thông tư số 32/2020/TT-BGDĐT;"
    found = scan(text)
    lay = layout(text)
    refs, _, _ = resolve_refs(text, found, Identity())
    assert [(r.symbol, r.relation.value) for r in refs] == [
        ("12/QĐ-UBND", "basis"),
        ("32/2020/TT-BGDĐT", "cites"),
    ]
    assert lay.preamble_end == len(text)


def test_semicolon_starts_a_new_list_item() -> None:
    text = "Căn cứ Quyết định số 12/QĐ-UBND về việc A; Thông tư số 32/2020/TT-BGDĐT về B;"
    assert relation_of(text, "32/2020/TT-BGDĐT") is Relation.BASIS


def test_is_embedded_first_document_after_cue() -> None:
    from indexer.extract.classify import Cue

    text = "Căn cứ Quyết định số 12/QĐ-UBND về việc A theo Thông tư số 32/2020/TT-BGDĐT"
    found = scan(text)
    cue = Cue(0, 6, Relation.BASIS)
    assert not is_embedded(text, found, 0, cue)
    assert is_embedded(text, found, 1, cue)


def test_evidence_is_the_trimmed_sentence() -> None:
    text = "Mở đầu.\n- Căn cứ Quyết định số 12/QĐ-UBND ngày 1/1/2020. Hết."
    lay = layout(text)
    sentence, (start, end) = evidence(text, text.index("12/"), lay)
    assert sentence == "Căn cứ Quyết định số 12/QĐ-UBND ngày 1/1/2020."
    assert text[start:end] == sentence


def test_a_grounds_heading_is_still_the_opening() -> None:
    text = (
        "KẾ HOẠCH\nNăm học 2023-2024\nI. CĂN CỨ XÂY DỰNG KẾ HOẠCH\n"
        "- Thực hiện Công văn số 12/SGDĐT-GDTH ngày 01/9/2023;\nII. MỤC TIÊU\nnội dung"
    )
    assert text[preamble_end(text) :].startswith("II. MỤC TIÊU")
    assert relation_of(text, "12/SGDĐT-GDTH") is Relation.IMPLEMENTS
