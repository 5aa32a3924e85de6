"""The vanban query language, parsed without the segmenter.

Syntax (documented in ``vanban search --help``)::

    phổ cập giáo dục            every word must match (adjacent syllables that
                                the index knows as one word must be adjacent)
    "xóa mù chữ"                a phrase
    hòa nhập OR khuyết tật      either side of OR
    -"giáo dục thường xuyên"    exclude (also -word)
    kind:"Kế hoạch" year:2024   filters: kind, year, level, issuer

Query words are cut into syllables by a character scan. Runs of adjacent
plain words are grouped into the words the index has seen (``phổ cập`` ->
``phổ_cập``): a longest match against the index's own vocabulary, not a
segmenter run, done before OR binds its neighbours. A group of several
syllables is matched as a phrase through the adjacent-pair field.

>>> q = parse_query('phổ cập -"xóa mù" kind:"Kế hoạch"')
>>> [(c.negated, [a.text for a in c.alternatives]) for c in q.clauses], q.filters
([(False, ['phổ']), (False, ['cập']), (True, ['xóa mù'])], {'kind': 'Kế hoạch'})
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from indexer.errors import QueryError
from indexer.messages import say
from indexer.normalize import has_diacritics, normalize_text
from indexer.segment.segmenter import syllables

FILTER_NAMES = ("kind", "year", "level", "issuer")
OR_OPERATOR = "OR"
QUOTES = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'}
# A query word that is longer than this in syllables is not looked up as one word.
MAX_WORD_SYLLABLES = 4
MAX_QUERY_CHARS = 500


@dataclass(frozen=True)
class Atom:
    """One word or quoted phrase of a query, as typed."""

    text: str
    quoted: bool = False
    compound: bool = False  # plain words grouped as one word of the index vocabulary

    @property
    def is_phrase(self) -> bool:
        """Matched as adjacent syllables: quoted, grouped, or one word like ``29-CT/TW``."""
        return self.quoted or self.compound or len(self.syllables) > 1

    @property
    def syllables(self) -> list[str]:
        """Its syllables as typed (case kept)."""
        return syllables(self.text)


@dataclass
class Clause:
    """Atoms joined by OR; a negated clause excludes what it matches."""

    alternatives: list[Atom]
    negated: bool = False


@dataclass
class ParsedQuery:
    """A query split into clauses (all must hold) and filters."""

    clauses: list[Clause] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def folded(self) -> bool:
        """True when no query word carries a diacritic: search the folded fields."""
        return not any(has_diacritics(a.text) for c in self.clauses for a in c.alternatives)


Token = tuple[str, Any, bool]  # ("atom", Atom, negated) | ("or", "OR", False) | ("filter", …)


def _read_quoted(query: str, i: int) -> tuple[str, int]:
    """The text between the quote at ``i`` and its closing quote; the index after it."""
    end = query.find('"', i + 1)
    if end < 0:
        raise QueryError(say("query.unclosed_quote"))
    return query[i + 1 : end], end + 1


def _read_word(query: str, i: int) -> tuple[str, int]:
    end = i
    while end < len(query) and not query[end].isspace():
        end += 1
    return query[i:end], end


def _tokens(query: str) -> list[Token]:
    """("atom", Atom, negated) | ("or", "OR", False) | ("filter", "name=value", False)."""
    out: list[Token] = []
    i = 0
    while i < len(query):
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        negated = ch == "-" and i + 1 < len(query) and not query[i + 1].isspace()
        if negated:
            i += 1
        if query[i] == '"':
            text, i = _read_quoted(query, i)
            out.append(("atom", Atom(text, quoted=True), negated))
            continue
        word, i = _read_word(query, i)
        name, colon, value = word.partition(":")
        if colon and name.lower() in FILTER_NAMES and not negated:
            if value.startswith('"'):
                value, i = _read_quoted(query, i - len(value))
            if not value.strip():
                raise QueryError(say("query.filter_empty", name=name))
            out.append(("filter", f"{name.lower()}={value.strip()}", False))
        elif word == OR_OPERATOR and not negated:
            out.append(("or", word, False))
        else:
            out.append(("atom", Atom(word), negated))
    return out


def _is_plain(token: Token) -> bool:
    kind, value, negated = token
    return kind == "atom" and not negated and not value.quoted and len(value.syllables) == 1


def _group_runs(tokens: list[Token], is_word: Callable[[str], bool]) -> list[Token]:
    """Replace each run of adjacent plain one-syllable words by its vocabulary words."""
    out: list[Token] = []
    run: list[str] = []

    def flush() -> None:
        for group in group_words(run, is_word):
            out.append(("atom", Atom(" ".join(group), compound=len(group) > 1), False))
        run.clear()

    for token in tokens:
        if _is_plain(token):
            run.append(token[1].text)
            continue
        flush()
        out.append(token)
    flush()
    return out


def parse_query(query: str, is_word: Callable[[str], bool] | None = None) -> ParsedQuery:
    """Parse a query string; :class:`QueryError` (in Vietnamese) when it cannot be understood.

    With ``is_word`` (a look-up in the index vocabulary, syllables joined by
    ``_``), adjacent plain words are grouped first, so ``giáo dục OR đào tạo``
    is ``giáo_dục`` OR ``đào_tạo``.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(say("query.too_long", max_chars=MAX_QUERY_CHARS))
    query = normalize_text("".join(QUOTES.get(ch, ch) for ch in query))
    tokens = [t for t in _tokens(query) if t[0] != "atom" or t[1].syllables]
    if is_word is not None:
        tokens = _group_runs(tokens, is_word)
    parsed = ParsedQuery()
    pending_or = False
    for kind, value, negated in tokens:
        if kind == "filter":
            name, _, val = value.partition("=")
            if name == "year" and not (len(val) == 4 and val.isdigit()):
                raise QueryError(say("query.bad_year", value=val))
            parsed.filters[name] = val
        elif kind == "or":
            if pending_or or not parsed.clauses or parsed.clauses[-1].negated:
                raise QueryError(say("query.or_position"))
            pending_or = True
        elif pending_or:
            if negated:
                raise QueryError(say("query.or_with_not"))
            parsed.clauses[-1].alternatives.append(value)
            pending_or = False
        else:
            parsed.clauses.append(Clause([value], negated))
    if pending_or:
        raise QueryError(say("query.or_position"))
    if parsed.clauses and all(c.negated for c in parsed.clauses):
        raise QueryError(say("query.only_not"))
    return parsed


def group_words(terms: list[str], is_word: Callable[[str], bool]) -> list[list[str]]:
    """Greedy longest match of adjacent query syllables against the index vocabulary.

    >>> vocab = {"phổ_cập", "giáo_dục"}
    >>> group_words(["phổ", "cập", "giáo", "dục", "và"], vocab.__contains__)
    [['phổ', 'cập'], ['giáo', 'dục'], ['và']]
    """
    groups: list[list[str]] = []
    i = 0
    while i < len(terms):
        for n in range(min(MAX_WORD_SYLLABLES, len(terms) - i), 0, -1):
            if n == 1 or is_word("_".join(terms[i : i + n])):
                groups.append(terms[i : i + n])
                i += n
                break
    return groups
