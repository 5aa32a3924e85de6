"""Vietnamese dates as printed, including blanks and OCR noise, to ISO strings."""

from __future__ import annotations

import pytest

from indexer.extract.dates import date_at, find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Thanh Khê, ngày 20 tháng 10 năm 2024", "2024-10-20"),
        ("Số: 131/QĐ-TTg Hà Nội, ngày 19 tháng 01 năm 2026", "2026-01-19"),
        ("Thanh Khê, ngày    tháng    năm 2024", "2024"),
        ("Hà Nội, ngày …/… tháng …… năm 2024", "2024"),
        ("ngage thang § nam 2019", "2019"),  # h002, OCR: no diacritics, "§" for the month
        ("Na Mèo, ngày 19 tháng 8 năm 2021", "2021-08-19"),
        ("Thời điểm tháng 10 năm 2020", "2020-10"),
        ("ngày22/5/2013", "2013-05-22"),  # h004, glued
        ("Chỉ thị số 29-CT/TW, ngày 05/01/2024", "2024-01-05"),
        ("giai đoạn 2021-2025", None),
        ("tháng 13 năm 2020", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_noise_between_words_is_bounded_to_the_date() -> None:
    text = "Ngày 19/8/2021, Đảng ủy họp; tháng … năm 2025 sẽ tổng kết"
    assert [d.iso for d in find_dates(text)] == ["2021-08-19", "2025"]


def test_date_right_after_a_symbol() -> None:
    text = "Nghị quyết số 08-NQ/HU ngày 20/9/2017 của Ban Thường vụ Huyện ủy"
    found = date_at(text, text.index(" ngày"))
    assert found is not None and found.iso == "2017-09-20"
    assert date_at(text, 0) is None
