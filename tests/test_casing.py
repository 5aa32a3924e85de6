"""casing.py: issuers and titles printed in capitals, written in the usual casing."""

from __future__ import annotations

import pytest

from indexer.extract.casing import (
    is_caps,
    issuer_casing,
    recase_title,
    replace_words,
    restore_casing,
)
from indexer.normalize import lower_words


@pytest.mark.parametrize(
    ("printed", "cased"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH KON TUM", "Ủy ban nhân dân tỉnh Kon Tum"),
        ("UỶ BAN NHÂN DÂN TỈNH TUYÊN QUANG", "Ủy ban nhân dân tỉnh Tuyên Quang"),
        ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Bộ Giáo dục và Đào tạo"),
        ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
        ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"),
        ("HỘI ĐỒNG NHÂN DÂN", "Hội đồng nhân dân"),
        ("TRƯỜNG T.H TRẦN HƯNG ĐẠO", "Trường Tiểu học Trần Hưng Đạo"),
        ("PHÒNG GD&ĐT TP PHỦ LÝ", "Phòng GD&ĐT thành phố Phủ Lý"),
        ("BAN THƯỜNG VỤ HUYỆN ỦY ĐẠI LỘC", "Ban Thường vụ Huyện ủy Đại Lộc"),
        ("BAN CHỈ ĐẠO PCGD-XMC", "Ban Chỉ đạo PCGD-XMC"),
        ("ĐẢNG ỦY XÃ PHƯỚC HIỆP", "Đảng ủy xã Phước Hiệp"),
        # Already in running-text casing: kept as printed.
        ("Bộ GDĐT", "Bộ GDĐT"),
        ("Trường mầm non Vân Từ", "Trường mầm non Vân Từ"),
    ],
)
def test_issuer_casing(printed, cased):
    assert issuer_casing(printed) == cased


def test_restore_casing_prefers_the_bodys_capitals():
    body = "Thực hiện Nghị quyết số 29-NQ/TW ngày 04/11/2013 Hội nghị lần thứ Tám Ban Chấp hành Trung ương Đảng về giáo dục và đào tạo"
    title = "Thực hiện nghị quyết số 29-NQ/TW hội nghị lần thứ tám ban chấp hành trung ương đảng về giáo dục và đào tạo"
    assert restore_casing(title, body) == (
        "Thực hiện Nghị quyết số 29-NQ/TW Hội nghị lần thứ Tám Ban Chấp hành Trung ương Đảng về giáo dục và đào tạo"
    )


def test_restore_casing_ignores_sentence_openings():
    assert restore_casing("về giáo dục", "Giáo dục là quốc sách. Giáo dục mầm non") == "về giáo dục"


def test_recase_title_and_replace_words():
    assert (
        recase_title("trên địa bàn tỉnh kon tum", ["Kon Tum", None]) == "trên địa bàn tỉnh Kon Tum"
    )
    assert replace_words("ủy ban nhân dân tỉnh", "tỉnh", only_inside=True) == "ủy ban nhân dân tỉnh"
    assert replace_words("Tỉnh ủy", "Tỉnh", only_inside=True) == "Tỉnh ủy"


def test_fold_and_caps():
    assert lower_words(" CỘNG  HOÀ ") == "cộng hòa"
    assert (
        is_caps("ỦY BAN NHÂN DÂN Huyện") and not is_caps("Ủy ban nhân dân") and not is_caps("2024")
    )
