"""Document identity: the five seeds match their gold, and header snippets (real
conventions and real noise) give the expected kind, symbol, date, issuer …"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract import patterns
from indexer.extract.identity import (
    _grammar,
    extract_identity,
    find_kind,
    find_place_date,
    find_title,
)
from indexer.extract.identity_names import find_header_issuer, find_signer, is_motto
from indexer.grammar import load_table
from indexer.models import Identity
from indexer.normalize import normalize_text

DATA = Path(__file__).parent / "data"
GOLD = json.loads((DATA / "corpus" / "gold.json").read_text("utf-8"))
FIELDS = ("kind", "symbol", "issuer", "place", "date", "title", "signer", "level")


def _cases(name: str) -> list[dict[str, str]]:
    return tomllib.loads((DATA / "cases" / name).read_text("utf-8"))["case"]


def _seed_identity(file: str) -> Identity:
    return extract_identity(normalize_text((DATA / "corpus" / file).read_text("utf-8")))


@pytest.mark.parametrize("gold", GOLD, ids=[g["file"][:3] for g in GOLD])
def test_seed_kind_symbol_date_match_gold(gold):
    ident = _seed_identity(gold["file"])
    assert (ident.kind, ident.symbol, ident.date) == (
        gold["self"]["type"],
        gold["self"]["symbol"],
        gold["self"]["date"],
    )


@pytest.mark.parametrize("gold", GOLD, ids=[g["file"][:3] for g in GOLD])
def test_seed_issuer_and_place_match_gold(gold):
    ident = _seed_identity(gold["file"])
    assert (ident.issuer, ident.place) == (gold["self"]["issuer"], gold["self"]["place"])


@pytest.mark.parametrize(
    ("file", "level", "signer"),
    [
        ("000_483593662cc2f1b9.txt", "trường", "Bùi Can"),
        ("001_390e6e42b23c01ee.txt", "huyện", "Tôn Thất Muộn"),
        ("002_0c8b9f1545dfa298.txt", "huyện", "Nguyễn Thị Hằng"),
        ("003_193869202513d02c.txt", "huyện", "Phạm Văn Khang"),
        ("004_8af12c4f00c65269.txt", "xã", None),
    ],
)
def test_seed_level_and_signer(file, level, signer):
    ident = _seed_identity(file)
    assert (ident.level, ident.signer) == (level, signer)


def _check(case: dict[str, str]) -> None:
    ident = extract_identity(normalize_text(case["text"]))
    for field in FIELDS:
        if field in case:
            assert getattr(ident, field) == (case[field] or None), field


@pytest.mark.parametrize("case", _cases("identity.toml"), ids=lambda c: c["id"])
def test_header_snippets(case):
    _check(case)


@pytest.mark.parametrize("case", _cases("identity_devset.toml"), ids=lambda c: c["id"])
def test_real_document_openings(case):
    _check(case)


def test_empty_text():
    assert extract_identity("") == Identity()


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("Số:/-|\n KẾHOẠCHngàytháng năm0123456789ỦYBANUBND,.")),
        max_size=300,
    )
)
def test_never_raises_on_messy_text(text):
    ident = extract_identity(text)
    assert ident.symbol is None or " " not in ident.symbol


HEADER = load_table("header")


@pytest.mark.parametrize(
    ("section", "example"),
    [(name, e) for name in patterns.HEADER_RES for e in HEADER[name]["examples"]],
)
def test_every_header_pattern_matches_its_examples(section, example):
    assert patterns.HEADER_RES[section].search(example)


@pytest.mark.parametrize(
    ("section", "alternative"),
    [
        (name, alternative)
        for name, sec in HEADER.items()
        if "template" in sec
        for key, value in sec.items()
        if isinstance(value, list) and "{" + key + "}" in sec["template"]
        for alternative in value
    ],
)
def test_every_alternative_of_a_template_matches_an_example(section, alternative):
    alone = re.compile(alternative, re.MULTILINE)
    assert any(alone.search(example) for example in HEADER[section]["examples"])


@pytest.mark.parametrize("example", HEADER["symbol"]["examples"])
def test_header_symbol_examples(example):
    # header.toml's fragments in symbols.toml's shapes read the whole symbol
    match = _grammar().symbol.fullmatch(example)
    assert match and match.group("symbol") == example


@pytest.mark.parametrize("line", HEADER["motto"]["examples"])
def test_motto_examples(line):
    assert is_motto(line)


@pytest.mark.parametrize("block", HEADER["signature"]["examples"])
def test_signature_examples(block):
    assert find_signer(block) == block.rsplit("\n", 1)[-1]


@pytest.mark.parametrize("header", HEADER["issuer"]["examples"])
def test_issuer_block_examples(header):
    issuer = find_header_issuer(header + "\nSố: 1/KH-UBND")
    assert issuer is not None and issuer[0].isupper() and not issuer.isupper()


@pytest.mark.parametrize("example", HEADER["place_date"]["examples"])
def test_place_date_examples(example):
    header, _, expected = example.partition(" => ")
    kind = find_kind(header)
    place, date = find_place_date(header, 0, kind.start if kind else None)
    assert f"{place or ''} | {date}" == expected


def test_blanked_date_noise_keeps_spans():
    for blank in HEADER["place_date"]["blanked"]:
        assert len(blank["printed"]) == len(blank["read"])


@pytest.mark.parametrize("example", HEADER["title"]["examples"])
def test_title_examples(example):
    header, _, expected = example.partition(" => ")
    kind = find_kind(header)
    assert kind is not None
    assert find_title(header, (kind.start, kind.end)) == expected
