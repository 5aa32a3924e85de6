"""indexer.extract.symbols: a symbol's canonical form, its look-up key, and the kind its code implies."""

from __future__ import annotations

import pytest

from indexer.extract.find import DEFAULT_STATE_KIND
from indexer.extract.symbols import (
    canonical_symbol,
    is_blank_number,
    kind_from_symbol,
    symbol_code,
    symbol_key,
    symbol_year,
)
from indexer.grammar import load_table

LETTER_KIND = load_table("header")["kind"]["letter_kind"]


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        # cited in the text
        ("29 CT/TW", "29-CT/TW"),
        ("29-CT/ TW", "29-CT/TW"),
        ("1813/QĐ- TTg", "1813/QĐ-TTg"),
        ("182/ PGDĐT", "182/PGDĐT"),
        ("928/PGD ĐT", "928/PGDĐT"),
        ("69/2017NĐ-CP", "69/2017/NĐ-CP"),
        ("85/QĐ-TTG", "85/QĐ-TTg"),
        ("40-CTR/TU", "40-CTr/TU"),
        ("07-\u00d0A/\u00d0U", "07-ĐA/ĐU"),
        ("24/2021/NĐ\u2013CP", "24/2021/NĐ-CP"),
        ("123/pgdđt-gdth", "123/PGDĐT-GDTH"),
        # a document's own, after "Số:" in its header
        ("06/KH- UBND", "06/KH-UBND"),
        ("/KH-THNBK", "/KH-THNBK"),
        ("……/KH-THNBK", "/KH-THNBK"),
        ("45 /KH-UBND", "45/KH-UBND"),
        ("255 / BC-BCĐPCGD-", "255/BC-BCĐPCGD"),
    ],
)
def test_canonical_symbol(printed: str, canonical: str) -> None:
    assert canonical_symbol(printed) == canonical
    assert canonical_symbol(canonical) == canonical


@pytest.mark.parametrize(
    ("symbol", "kind"),
    [
        ("29-CT/TW", "Chỉ thị"),
        ("40-CTr/TU", "Chương trình hành động"),
        ("10/CT-UBND", "Chỉ thị"),
        ("131/QĐ-TTg", "Quyết định"),
        ("68/NQ-CP", "Nghị quyết"),
        ("24/2021/NĐ-CP", "Nghị định"),
        ("34/2018/NQ-HĐND", "Nghị quyết"),
        ("98/2023/QH15", "Luật"),
        ("/KH-THNBK", "Kế hoạch"),
        ("45-XY/TU", None),  # a party code that names no kind
    ],
)
def test_kind_from_symbol(symbol: str, kind: str | None) -> None:
    assert kind_from_symbol(symbol) == kind
    assert kind_from_symbol(symbol, letter="Công văn") == kind


@pytest.mark.parametrize("symbol", ["3089/BGDĐT-GDTrH", "496/VPCP-KGVX", "182/PGDĐT"])
def test_an_administrative_symbol_without_a_kind_code_is_a_letter(symbol: str) -> None:
    assert kind_from_symbol(symbol) is None
    assert kind_from_symbol(symbol, letter=DEFAULT_STATE_KIND) == "Công văn"
    assert kind_from_symbol(symbol, letter=LETTER_KIND) == "Công văn"


@pytest.mark.parametrize(
    ("printed", "key", "loose"),
    [
        ("29-CT/TW", "29-CT/TW", "29CT/TW"),
        ("29 - ct / tw", "29-CT/TW", "29CT/TW"),
        ("40-CTr/TU", "40-CTR/TU", "40CTR/TU"),
        ("1181/KH-PGD-\u00d0T", "1181/KH-PGD-ĐT", "1181/KHPGDDT"),
        ("24/2021/N\u0110\u2013CP", "24/2021/NĐ-CP", "24/2021/NDCP"),
    ],
)
def test_symbol_key(printed: str, key: str, loose: str) -> None:
    assert symbol_key(printed) == key
    assert symbol_key(printed, loose=True) == loose


@pytest.mark.parametrize(
    ("symbol", "year", "code"),
    [
        ("24/2021/NĐ-CP", "2021", "NĐ"),
        ("98/2023/QH15", "2023", "QH15"),
        ("29-CT/TW", "", "CT"),
        ("68/NQ-CP", "", "NQ"),
        ("/KH-THNBK", "", "KH"),
    ],
)
def test_symbol_year_and_code(symbol: str, year: str, code: str) -> None:
    assert (symbol_year(symbol), symbol_code(symbol)) == (year, code)


def test_is_blank_number() -> None:
    assert is_blank_number("/KH-THNBK")
    assert not is_blank_number("45/KH-UBND")
