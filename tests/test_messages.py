"""The message catalogue: every entry used, every placeholder filled, English logged."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

from indexer import messages
from indexer.messages import CATALOGUE, english, say, vi

LIBRARY = Path(messages.__file__).parent
CALLERS = ("say", "vi", "english")
# Vietnamese letters that ASCII English never has.
VIETNAMESE_LETTER = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]"
)


def _calls() -> list[tuple[str, str, frozenset[str]]]:
    """(where, message id, keyword names) for each catalogue call in the library."""
    found = []
    for path in sorted(LIBRARY.rglob("*.py")):
        if path.name == "messages.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if name in CALLERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                where = f"{path.relative_to(LIBRARY.parent)}:{node.lineno}"
                keywords = frozenset(k.arg for k in node.keywords if k.arg)
                found.append((where, first.value, keywords))
    return found


CALLS = _calls()


def test_every_entry_is_used():
    used = {msg_id for _, msg_id, _ in CALLS}
    assert sorted(set(CATALOGUE) - used) == []


@pytest.mark.parametrize(("where", "msg_id", "keywords"), CALLS, ids=[c[0] for c in CALLS])
def test_every_call_names_an_entry_and_fills_its_placeholders(where, msg_id, keywords):
    assert msg_id in CATALOGUE, f"{where}: no catalogue entry {msg_id!r}"
    assert keywords == CATALOGUE[msg_id].placeholders, where


@pytest.mark.parametrize("entry", CATALOGUE.values(), ids=list(CATALOGUE))
def test_each_entry_is_vietnamese_shown_and_english_logged(entry):
    assert messages._fields(entry.en) == entry.placeholders
    assert VIETNAMESE_LETTER.search(entry.vi), entry.vi
    assert not VIETNAMESE_LETTER.search(entry.en.replace("phổ cập giáo dục", "")), entry.en


def test_ids_are_unique():
    assert len(CATALOGUE) == len(messages._ENTRIES)


def test_say_returns_vietnamese_and_logs_english(caplog):
    with caplog.at_level(logging.DEBUG, logger="indexer.messages"):
        shown = say("query.too_long", max_chars=500)
    assert shown == "Truy vấn quá dài (tối đa 500 ký tự)"
    assert caplog.messages == ["query.too_long: the query is too long (at most 500 characters)"]


def test_vi_and_english_fill_the_same_placeholders():
    assert vi("index.locked_by", index_dir="var/index", pid=42) == (
        "Chỉ mục tại var/index đang bị khoá bởi tiến trình 42"
    )
    assert english("index.locked_by", index_dir="var/index", pid=42) == (
        "the index at var/index is locked by process 42"
    )


def test_a_missing_placeholder_is_an_error():
    with pytest.raises(KeyError):
        say("index.missing")


def _raised_literals() -> list[str]:
    """Places in the library that raise an error built from a Vietnamese literal."""
    found = []
    for path in sorted(LIBRARY.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                for arg in [*node.exc.args, *(k.value for k in node.exc.keywords)]:
                    literal = isinstance(arg, ast.Constant | ast.JoinedStr)
                    if literal and VIETNAMESE_LETTER.search(ast.unparse(arg)):
                        found.append(f"{path.relative_to(LIBRARY.parent)}:{node.lineno}")
    return found


def test_the_library_raises_through_the_catalogue():
    assert _raised_literals() == []
