"""Levels: issuer words and symbol codes -> Trung ương / tỉnh / huyện / xã / trường."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from indexer.extract.levels import (
    fold_issuer,
    issuer_codes,
    level_label,
    level_of,
    level_of_issuer,
    level_of_symbol,
)
from indexer.grammar import load_table
from indexer.models import Level

CASES = tomllib.loads((Path(__file__).parent / "data" / "cases" / "levels.toml").read_text("utf-8"))


@pytest.mark.parametrize(
    "case", CASES["case"], ids=[f"{c['issuer'] or '-'}|{c['symbol'] or '-'}" for c in CASES["case"]]
)
def test_level_of(case):
    level = level_of(case["issuer"] or None, case["symbol"] or None)
    assert (level.value if level else "") == case["level"]


def _examples(section: str) -> list[tuple[str, str]]:
    return [(e, rule["level"]) for rule in load_table("levels")[section] for e in rule["examples"]]


@pytest.mark.parametrize(("issuer", "level"), _examples("issuer"))
def test_every_issuer_example_gets_its_rule_level(issuer, level):
    assert level_of_issuer(issuer) == Level(level)


@pytest.mark.parametrize(("symbol", "level"), _examples("code"))
def test_every_code_example_gets_its_rule_level(symbol, level):
    assert level_of_symbol(symbol) == Level(level)


@pytest.mark.parametrize(
    ("issuer", "level"),
    list(
        zip(
            load_table("levels")["locality"]["examples"],
            load_table("levels")["locality"]["levels"],
            strict=True,
        )
    ),
)
def test_locality_examples(issuer, level):
    assert level_of_issuer(issuer) == Level(level)


def test_no_code_is_given_two_levels():
    seen: dict[str, str] = {}
    for rule in load_table("levels")["code"]:
        for code in rule.get("codes", ()):
            assert seen.setdefault(code.upper(), rule["level"]) == rule["level"], code


@pytest.mark.parametrize(
    ("symbol", "codes"),
    [
        ("29-CT/TW", ["TW"]),
        ("68/NQ-CP", ["CP"]),
        ("24/2021/NĐ-CP", ["CP"]),
        ("98/2023/QH15", ["QH15"]),
        ("3089/BGDĐT-GDTrH", ["BGDĐT", "GDTrH"]),
        ("/KH-THNBK", ["THNBK"]),
        ("06/KH- UBND", ["UBND"]),
    ],
)
def test_issuer_codes(symbol, codes):
    assert issuer_codes(symbol) == codes


def test_fold_is_accent_and_case_blind():
    assert (
        fold_issuer("ỦY BAN NHÂN DÂN Huyện")
        == fold_issuer("Uỷ ban nhân dân huyện")
        == " uy ban nhan dan huyen "
    )


def test_levels_rank_and_labels():
    assert [level.rank for level in Level] == [0, 1, 2, 3, 4]
    assert level_label(Level.CENTRAL) == "Trung ương"
    assert level_label(None) == ""
    assert all(level_label(level) for level in Level)
