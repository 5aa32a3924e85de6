"""Every grammar entry matches its own examples (reporters-db ``check_regexes``).

A failing check names the table and entry to fix; after editing the .toml, re-run
``.venv/bin/python -m pytest tests/test_grammar.py``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from indexer import grammar
from indexer.errors import GrammarError
from indexer.extract import patterns
from indexer.extract.extractor import extract
from indexer.extract.find import find_mentions, scan
from indexer.extract.named import find_named_refs
from indexer.extract.resolve import resolve_refs
from indexer.grammar import kinds, load_table
from indexer.models import Identity
from indexer.normalize import normalize_text

FIX = "fix the entry in indexer/grammar/{table}.toml, then run: .venv/bin/python -m pytest tests/test_grammar.py"


def split_example(example: str) -> tuple[str, str]:
    text, _, expected = example.partition(" => ")
    return text, expected


def symbol_examples() -> list[tuple[str, str]]:
    return [split_example(e) for f in load_table("symbols")["family"] for e in f["examples"]]


@pytest.mark.parametrize(("text", "canonical"), symbol_examples())
def test_symbol_family_examples(text: str, canonical: str) -> None:
    symbols = [m.symbol for m in find_mentions(normalize_text(text))]
    assert symbols == [canonical], FIX.format(table="symbols")


@pytest.mark.parametrize("text", load_table("symbols")["not_symbols"]["examples"])
def test_not_symbols(text: str) -> None:
    assert find_mentions(text) == [], FIX.format(table="symbols")


@pytest.mark.parametrize("text", load_table("symbols")["glued"]["examples"])
def test_glued_word_is_cut(text: str) -> None:
    (mention,) = find_mentions(text)
    assert mention.symbol[-1].isupper(), FIX.format(table="symbols")


ISSUERS = load_table("issuers")["issuer"]


@pytest.mark.parametrize("issuer", ISSUERS, ids=[i["code"] for i in ISSUERS])
def test_issuer_examples(issuer: dict[str, Any]) -> None:
    assert issuer["examples"], FIX.format(table="issuers")
    for example in issuer["examples"]:
        segments = [
            seg
            for m in find_mentions(normalize_text(example))
            for seg in m.symbol.replace("/", "-").split("-")
        ]
        printed = {issuer["code"], *(s.replace(" ", "") for s in issuer.get("spaced", ()))}
        assert printed & set(segments), (example, FIX.format(table="issuers"))


def test_issuer_codes_are_unique() -> None:
    counts = Counter(i["code"] for i in ISSUERS)
    assert [c for c, n in counts.items() if n > 1] == [], FIX.format(table="issuers")


def test_kind_codes_and_names_are_unique() -> None:
    codes = Counter(c for k in kinds() for c in k.get("codes", ()))
    names = Counter(k["name"] for k in kinds())
    assert [c for c, n in codes.items() if n > 1] == [], FIX.format(table="kinds")
    assert [c for c, n in names.items() if n > 1] == [], FIX.format(table="kinds")


@pytest.mark.parametrize("kind", kinds(), ids=[k["name"] for k in kinds()])
def test_kind_examples(kind: dict[str, Any]) -> None:
    for example in kind["examples"]:
        mentions = find_mentions(example)
        if mentions:
            assert mentions[0].kind == kind["name"], (example, FIX.format(table="kinds"))
        else:
            assert patterns.KIND_ANY_RE.search(example), (example, FIX.format(table="kinds"))


ALIASES = load_table("kinds")["kind_alias"]


@pytest.mark.parametrize("alias", ALIASES, ids=[a["kind"] for a in ALIASES])
def test_kind_alias_examples(alias: dict[str, Any]) -> None:
    for example in alias["examples"]:
        assert find_mentions(example)[0].kind == alias["kind"], FIX.format(table="kinds")


CUES = load_table("cues")


@pytest.mark.parametrize("cue", CUES["cue"], ids=[c["relation"] for c in CUES["cue"]])
def test_cue_examples(cue: dict[str, Any]) -> None:
    for example in cue["examples"]:
        match = patterns.CUE_RE.match(example)
        assert match and match.lastgroup == cue["relation"], (example, FIX.format(table="cues"))
        text = normalize_text(example)
        refs, _, _ = resolve_refs(text, scan(text), Identity())
        assert refs[0].relation.value == cue["relation"], (example, FIX.format(table="cues"))


@pytest.mark.parametrize("example", CUES["chain"]["examples"])
def test_chain_examples(example: str) -> None:
    chains = extract(example).chains
    assert len(chains) == 1, FIX.format(table="cues")


@pytest.mark.parametrize("example", CUES["direct"]["examples"])
def test_direct_cue_examples(example: str) -> None:
    assert patterns.DIRECT_BEFORE_RE.search(example, 0, example.index("Nghị")), FIX.format(
        table="cues"
    )


@pytest.mark.parametrize(
    "section", ["retrospective", "other_object"], ids=["retrospective", "other-object"]
)
def test_implements_cue_examples_are_only_cited(section: str) -> None:
    for example in CUES[section]["examples"]:
        text = normalize_text(example)
        refs, _, _ = resolve_refs(text, scan(text), Identity())
        assert refs[0].relation.value == "cites", (example, FIX.format(table="cues"))


@pytest.mark.parametrize("example", CUES["abbreviation"]["examples"])
def test_abbreviation_examples(example: str) -> None:
    assert patterns.ABBREVIATION_RE.search(example), FIX.format(table="cues")


@pytest.mark.parametrize("example", CUES["sections"]["examples"])
def test_section_examples(example: str) -> None:
    assert patterns.SECTION_RE.match(example), FIX.format(table="cues")


@pytest.mark.parametrize("example", CUES["approval"]["examples"])
def test_approval_examples(example: str) -> None:
    assert patterns.APPROVED_BEFORE_RE.search(example, 0, example.index("Quyết định số")), (
        FIX.format(table="cues")
    )


@pytest.mark.parametrize("example", load_table("symbols")["not_before"]["examples"])
def test_form_numbers_are_not_documents(example: str) -> None:
    assert find_mentions(example) == [], FIX.format(table="symbols")


NAMED = load_table("named")["named"]


@pytest.mark.parametrize("entry", NAMED, ids=[f"{n['kind']}-{i}" for i, n in enumerate(NAMED)])
def test_named_examples(entry: dict[str, Any]) -> None:
    for example in entry["examples"]:
        text, name = split_example(example)
        found = [(n.kind, n.name) for n in find_named_refs(text)]
        assert (entry["kind"], name) in found, (example, FIX.format(table="named"))


def test_every_entry_has_examples() -> None:
    tables = {
        "kinds": kinds(),
        "issuers": ISSUERS,
        "cues": CUES["cue"],
        "named": NAMED,
        "symbols": load_table("symbols")["family"],
    }
    for table, entries in tables.items():
        for entry in entries:
            assert entry.get("examples"), (entry, FIX.format(table=table))


def test_alternations_are_longest_first() -> None:
    assert (
        patterns.longest_first(["Chương trình", "Chương trình hành động"])[0]
        == "Chương trình hành động"
    )
    match = patterns.KIND_ANY_RE.search("Chương trình hành động số 40-CTr/TU")
    assert match and match.group() == "Chương trình hành động"


@pytest.mark.parametrize("example", load_table("issuers")["issuer_phrase"]["examples"])
def test_issuer_phrase_examples(example: str) -> None:
    text, issuer = split_example(example)
    assert find_mentions(text)[0].issuer == issuer, FIX.format(table="issuers")


@pytest.mark.parametrize(
    "example", [*CUES["approval"]["chain_examples"], *CUES["coreference"]["examples"]]
)
def test_chain_rule_examples(example: str) -> None:
    text, expected = split_example(example)
    source, _, target = expected.partition(" -> ")
    chains = [(c.source, c.target) for c in extract(normalize_text(text)).chains]
    assert (source, target) in chains, FIX.format(table="cues")


GRAMMAR_DIR = Path(grammar.__file__).parent


def test_every_shipped_table_passes_its_schema() -> None:
    files = sorted(p.stem for p in GRAMMAR_DIR.glob("*.toml"))
    assert files == sorted(grammar.SCHEMAS)
    for name in files:
        grammar.parse_table(name, (GRAMMAR_DIR / f"{name}.toml").read_text("utf-8"))


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "kinds",
            '[[kind]]\nname = "Chỉ thị"\ncodes = "CT"\naliases = []\nexamples = []\n'
            '[[kind_alias]]\nkind = "Chỉ thị"\nprinted = []\nexamples = []\n',
            "indexer/grammar/kinds.toml, table [[kind]] entry 1: key 'codes' must be a list of strings, got str",
        ),
        (
            "symbols",
            (GRAMMAR_DIR / "symbols.toml").read_text("utf-8").replace('shape = "', 'form = "', 1),
            "indexer/grammar/symbols.toml, table [[family]] entry 1: missing key 'shape' (a string)",
        ),
        (
            "header",
            (GRAMMAR_DIR / "header.toml")
            .read_text("utf-8")
            .replace("max_lines = 3", 'max_lines = "3"'),
            "indexer/grammar/header.toml, table [symbol_continuation]: key 'max_lines' must be an integer, got str",
        ),
        ("named", "[other]\n", "indexer/grammar/named.toml: missing table [named]"),
        (
            "named",
            '[[named]]\nkind = "Đề án"\nname = "x"\nexamples = []\n[unheard_of]\n',
            "indexer/grammar/named.toml: table [unheard_of] has no schema in SCHEMAS",
        ),
        ("named", "[[named]\n", "indexer/grammar/named.toml: not valid TOML"),
    ],
)
def test_a_malformed_table_is_refused_naming_file_table_and_key(
    name: str, text: str, message: str
) -> None:
    with pytest.raises(GrammarError) as raised:
        grammar.parse_table(name, text)
    assert raised.value.message.startswith(message)
