"""Load the reference grammar tables kept as data in ``indexer/grammar/*.toml``.

Tables are read once, checked against their schema (``SCHEMAS``) and cached;
callers get plain dicts and lists and must not mutate them. Regexes are
compiled only here and in ``indexer/extract/patterns.py``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from indexer.errors import GrammarError

# The schema of each table file: the tables (and top-level values) it must
# have, and for each table the keys it must have with their value types. A key
# ending in "?" may be left out; a table given as [ {...} ] is an array of
# tables ([[name]]), each entry checked. Keys not named are allowed.
# Types: "str", "int", "list[str]", "table" (any keys), "table[str]" (string values),
# "list[table[str]]" (an inline array of such tables).
_STR, _INT, _LIST, _TABLE, _STR_TABLE = "str", "int", "list[str]", "table", "table[str]"
_STR_TABLES = "list[table[str]]"


def _entry(*lists: str, **others: str) -> dict[str, str]:
    """A table's schema: ``lists`` are lists of strings, ``others`` typed, plus its examples."""
    return {**dict.fromkeys(lists, _LIST), **others, "examples": _LIST}


_PATTERN = _entry(pattern=_STR)
SCHEMAS: dict[str, dict[str, Any]] = {
    "cues": {
        "cue": [_entry("phrases", relation=_STR, where=_STR)],
        "lead_ins": _entry("phrases"),
        "direct": _entry("verbs", "adverbs", "not_after"),
        "retrospective": _entry("before", "after", "not_after_nouns"),
        "other_object": _entry("links"),
        "list": _entry("description", "coordinators", "plan"),
        "chain": _entry("links", "prefixes", "adverbs", "fillers"),
        "approval": _entry("verbs", "links", "chain_examples"),
        "coreference": _entry(),
        "self": _entry("phrases", "annex"),
        "abbreviation": _entry("phrases"),
        "sections": _entry("grounds"),
    },
    "header": {
        "symbol_label": _PATTERN,
        "symbol": _entry(fragments=_TABLE),
        "symbol_dangling": _PATTERN,
        "symbol_continuation": _entry(pattern=_STR, max_lines=_INT),
        "body_start": _entry("starts", template=_STR),
        "opening": _PATTERN,
        "level_word_after_body": _entry("bodies", "levels", template=_STR),
        "place_date": _entry("motto_ends", "annex_words", blanked=_STR_TABLES),
        "title": _entry("ends_before"),
        "motto": _entry("lines"),
        "issuer": _entry(
            "own_body_starts",
            "lower_words",
            "names",
            "local_offices",
            "keep_upper",
            "bare",
            abbreviations=_STR_TABLE,
            decider=_STR,
        ),
        "authority": _entry("starts", "bodies"),
        "kind": _entry("letter_marks", letter_kind=_STR),
        "signature": _entry("roles", "not_names"),
    },
    "issuer_words": _entry("stop_words", "generic_words", abbreviations=_STR_TABLE),
    "issuers": {
        "issuer_phrase": _entry("stops"),
        "issuer": [_entry("spaced?", code=_STR, name=_STR, family=_STR)],
    },
    "kinds": {
        "kind": [_entry("codes", "aliases", name=_STR)],
        "kind_alias": [_entry("printed", kind=_STR)],
    },
    "legacy_encodings": {
        "tcvn3": _entry(chars=_STR_TABLE),
        "vni": _entry(letters=_STR_TABLE, marks=_STR_TABLE),
        "scoring": _entry(common_syllables=_STR),
    },
    "levels": {
        "central_cities": _LIST,
        "issuer": [_entry("words", "starts?", "whole?", level=_STR)],
        "locality": _entry("levels", words=_STR_TABLE),
        "code": [_entry("codes", "prefixes?", level=_STR)],
    },
    "named": {"named": [_entry(kind=_STR, name=_STR)]},
    "symbols": {
        "family": [_entry(name=_STR, shape=_STR)],
        "glued": _entry("words"),
        "not_before": _entry("words"),
        "not_symbols": _entry(),
    },
}

_TYPE_NAMES = {
    _STR: "a string",
    _INT: "an integer",
    _LIST: "a list of strings",
    _TABLE: "a table",
    _STR_TABLE: "a table of strings",
    _STR_TABLES: "a list of tables of strings",
}


def _has_type(value: Any, kind: str) -> bool:
    if kind == _STR:
        return isinstance(value, str)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == _STR_TABLE:
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if kind == _STR_TABLES:
        return isinstance(value, list) and all(_has_type(v, _STR_TABLE) for v in value)
    return isinstance(value, dict)


def _check_keys(where: str, table: Any, schema: dict[str, str]) -> None:
    if not isinstance(table, dict):
        raise GrammarError(f"{where}: must be a table, got {type(table).__name__}")
    for key, kind in schema.items():
        name = key.rstrip("?")
        if name not in table:
            if key.endswith("?"):
                continue
            raise GrammarError(f"{where}: missing key '{name}' ({_TYPE_NAMES[kind]})")
        if not _has_type(table[name], kind):
            got = type(table[name]).__name__
            raise GrammarError(f"{where}: key '{name}' must be {_TYPE_NAMES[kind]}, got {got}")


def check_table(name: str, data: dict[str, Any]) -> None:
    """Raise :class:`GrammarError` naming the file, table and key where ``data`` breaks its schema.

    >>> check_table("named", {"named": [{"kind": "Đề án", "name": 7, "examples": []}]})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    indexer.errors.GrammarError: indexer/grammar/named.toml, table [[named]] entry 1: key 'name' must be a string, got int (...)
    """
    path = f"indexer/grammar/{name}.toml"
    if name not in SCHEMAS:
        raise GrammarError(f"{path}: no schema for this table file in SCHEMAS")
    for table in SCHEMAS[name]:
        if table not in data:
            raise GrammarError(f"{path}: missing table [{table}]")
    for table in data:
        if table not in SCHEMAS[name]:
            raise GrammarError(f"{path}: table [{table}] has no schema in SCHEMAS")
    for table, schema in SCHEMAS[name].items():
        value = data[table]
        if isinstance(schema, str):
            if not _has_type(value, schema):
                got = type(value).__name__
                raise GrammarError(
                    f"{path}: key '{table}' must be {_TYPE_NAMES[schema]}, got {got}"
                )
        elif isinstance(schema, list):
            if not isinstance(value, list) or not value:
                raise GrammarError(f"{path}: [[{table}]] must be a non-empty array of tables")
            for number, entry in enumerate(value, 1):
                _check_keys(f"{path}, table [[{table}]] entry {number}", entry, schema[0])
        else:
            _check_keys(f"{path}, table [{table}]", value, schema)


def parse_table(name: str, text: str) -> dict[str, Any]:
    """The contents of a grammar table file ``name``.toml given as ``text``, checked."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise GrammarError(f"indexer/grammar/{name}.toml: not valid TOML: {err}") from err
    check_table(name, data)
    return data


@cache
def load_table(name: str) -> dict[str, Any]:
    """The parsed contents of ``indexer/grammar/<name>.toml``.

    >>> "Chỉ thị" in [k["name"] for k in load_table("kinds")["kind"]]
    True
    """
    text = resources.files("indexer").joinpath("grammar", f"{name}.toml").read_text("utf-8")
    return parse_table(name, text)


@cache
def kinds() -> tuple[dict[str, Any], ...]:
    """The document kinds: name, printed codes, aliases and examples."""
    return tuple(load_table("kinds")["kind"])


@cache
def kind_for_code(code: str) -> str | None:
    """The kind a symbol's code implies: "CT" -> "Chỉ thị", "CTr" -> "Chương trình hành động".

    >>> kind_for_code("CTr"), kind_for_code("NQ"), kind_for_code("XYZ")
    ('Chương trình hành động', 'Nghị quyết', None)
    """
    for kind in kinds():
        if code in kind.get("codes", ()):
            return str(kind["name"])
    upper = code.upper()
    for kind in kinds():
        if upper in (c.upper() for c in kind.get("codes", ())):
            return str(kind["name"])
    return None


def char_class(chars: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any one of ``chars`` (counting them runs at C speed).

    >>> char_class("¸µ¨").findall("KÕ ho¹ch n¨m häc µ")
    ['¨', 'µ']
    """
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")
