"""normalize.py: NFC, one tone placement, Đ for eth, ASCII dashes, one kind of white
space; idempotent; strip_diacritics keeps length so offsets stay valid."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.normalize import (
    has_diacritics,
    normalize_text,
    strip_diacritics,
    unify_dashes,
    unify_tone_marks,
)

CASES = tomllib.loads(
    (Path(__file__).parent / "data" / "cases" / "normalize.toml").read_text("utf-8")
)

# Vietnamese letters (both tone placements), dashes, odd spaces and control characters.
VIETNAMESE = st.lists(
    st.sampled_from(
        list("aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐÐqQhkn \n\t\r-–—\u00a0\u200b\ufeff\u2028")
        + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "oà", "uỷ", "oẻ", "Uỷ", "OÀ"]
    ),
    max_size=40,
).map("".join)


@pytest.mark.parametrize("case", CASES["case"], ids=lambda c: c["id"])
def test_normalize_text(case):
    assert normalize_text(case["raw"]) == case["normalized"]


@given(VIETNAMESE)
def test_normalize_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.text(max_size=80))
def test_normalize_is_idempotent_on_any_text(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(VIETNAMESE)
def test_normalized_text_is_nfc_without_eth_or_odd_dashes(text):
    once = normalize_text(text)
    assert unicodedata.is_normalized("NFC", once)
    assert not set(once) & set("Ð–—\u00a0\u200b\ufeff\r\t")


@given(st.text(max_size=80))
def test_strip_diacritics_keeps_length(text):
    assert len(strip_diacritics(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Phổ cập giáo dục", "Pho cap giao duc"),
        ("Đảng ủy, đào tạo", "Dang uy, dao tao"),
        ("XÓA MÙ CHỮ", "XOA MU CHU"),
        ("29-CT/TW", "29-CT/TW"),
    ],
)
def test_strip_diacritics(text, folded):
    assert strip_diacritics(text) == folded


def test_has_diacritics():
    assert has_diacritics("đi") and has_diacritics("phổ cập") and not has_diacritics("pho cap")


def test_tone_and_dash_helpers():
    assert unify_tone_marks("hoà, hoạ, thuý") == "hòa, họa, thúy"
    assert unify_dashes("2021 – 2025 — 2030") == "2021 - 2025 - 2030"


@settings(max_examples=300)
@given(
    st.text(
        alphabet=st.sampled_from("aoà –—\u2212\t\u00a0\u200b\u00ad\u00d0\u00f0\x0b\u2028\r\nĐx")
    )
)
def test_whitespace_dash_and_letter_replacement_equals_translate(text: str) -> None:
    from indexer import normalize

    def table(mapping: dict[str, str]) -> dict[int, str]:
        return str.maketrans(mapping)

    expected = text.translate(table(normalize._DASH_TABLE))
    assert normalize.unify_dashes(text) == expected
    spaced = text.replace("\r\n", "\n").replace("\r", "\n").translate(table(normalize._SPACE_TABLE))
    assert normalize._replace_spaces(text.replace("\r\n", "\n").replace("\r", "\n")) == spaced
    assert normalize._replace_letters(text) == text.translate(table(normalize._LETTER_TABLE))
