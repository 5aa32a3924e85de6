"""Word segmentation with underthesea, re-aligned to the source text.

A text is cut into *syllables* (maximal runs of letters, digits and marks) by
one scan of the source, so every syllable span slices back to the source by
construction. underthesea then only decides how consecutive syllables group
into *words* (``phổ_cập giáo_dục``): its tokenizer runs on the paragraph, its
CRF model (decoded by :mod:`indexer.segment.crf`) says which tokens begin a word, and
each syllable joins the word of the token it starts in
(:func:`group_by_tokens`). If the model cannot be read, ``word_tokenize`` is
run instead and its output matched against the syllables case- and
diacritic-insensitively (:func:`align_words`), because it may rewrite
characters (``xoá`` -> ``xóa``) or split a token (``10-CT/TW`` -> ``10 - CT /
TW``). Either way, whatever cannot be placed becomes one-syllable words:
segmentation never fails.

Segmentation runs paragraph by paragraph (one line of the normalised text)
behind a cache keyed by a hash of the paragraph, persisted in SQLite beside the
index, so boilerplate repeated across documents is segmented once.

>>> seg = Segmenter()
>>> text = "Phổ cập giáo dục"
>>> [text[s:e] for s, e in seg.segment(text).word_spans()]
['Phổ cập', 'giáo dục']
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from indexer.internals import underthesea_private
from indexer.models import Span
from indexer.normalize import fold
from indexer.segment import crf

log = logging.getLogger(__name__)

# How far ahead alignment looks for a token underthesea moved or rewrote.
RESYNC_WINDOW_SYLLABLES = 8
CACHE_FILE = "segcache.sqlite"


@cache
def _syllable_pattern() -> re.Pattern[str]:
    """Maximal runs of letters, digits (``str.isalnum``) and combining marks.

    The mark class is built from ``unicodedata`` once per process (~0.1 s).
    """
    marks = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c))[0] == "M"]
    ranges: list[tuple[int, int]] = []
    for c in marks:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    marks_class = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"(?:[^\\W_]|[{marks_class}])+")


def syllable_spans(text: str) -> list[Span]:
    """Character spans of the syllables: maximal runs of letters, digits and marks.

    >>> text = "Chỉ thị số 29-CT/TW"
    >>> [text[s:e] for s, e in syllable_spans(text)]
    ['Chỉ', 'thị', 'số', '29', 'CT', 'TW']
    """
    return [m.span() for m in _syllable_pattern().finditer(text)]


def syllables(text: str) -> list[str]:
    """The syllables of a text, as printed.

    >>> syllables("Kế hoạch 1181/KH-PGD-ĐT")
    ['Kế', 'hoạch', '1181', 'KH', 'PGD', 'ĐT']
    """
    return [text[s:e] for s, e in syllable_spans(text)]


@dataclass(frozen=True)
class Segmentation:
    """Syllable spans of a text and how they group into words.

    ``groups`` holds one syllable count per word, in order; they sum to
    ``len(syllables)``.
    """

    syllables: tuple[Span, ...]
    groups: tuple[int, ...]

    def word_spans(self) -> list[Span]:
        """Character span of each word (first syllable start, last syllable end)."""
        return [(self.syllables[i][0], self.syllables[i + n - 1][1]) for i, n in self._walk()]

    def word_syllables(self) -> list[tuple[Span, ...]]:
        """The syllable spans of each word."""
        return [self.syllables[i : i + n] for i, n in self._walk()]

    def _walk(self) -> Iterator[tuple[int, int]]:
        i = 0
        for n in self.groups:
            yield i, n
            i += n


def align_words(syllable_texts: list[str], tokens: list[str]) -> list[int]:
    """Group source syllables as underthesea's tokens do; never fails.

    >>> align_words(["Phổ", "cập", "xoá", "mù", "chữ"], ["Phổ cập", "xóa", "mù chữ"])
    [2, 1, 2]
    >>> align_words(["29", "CT", "TW"], ["29-CT", "/", "TW"])
    [2, 1]
    """
    keys = [fold(s) for s in syllable_texts]
    groups: list[int] = []
    i = 0
    for token in tokens:
        pieces = [fold(p) for p in syllables(token)]
        if not pieces or i >= len(keys):
            continue
        window = keys[i : i + RESYNC_WINDOW_SYLLABLES]
        if pieces[0] not in window:
            continue  # rewritten beyond recognition: its syllables become singletons
        skip = window.index(pieces[0])
        groups.extend([1] * skip)
        i += skip
        n = len(pieces)
        if keys[i : i + n] != pieces:
            n = 1
        groups.append(n)
        i += n
    groups.extend([1] * (len(keys) - i))
    return groups


@cache
def _word_tokenize() -> Callable[[str], list[str]]:
    """underthesea's word_tokenize, imported (and its model loaded) once per process."""
    from underthesea import word_tokenize

    return word_tokenize


@cache
def _crf_tagger() -> Callable[[list[str]], list[bool]] | None:
    """The fast decoder of underthesea's model (:mod:`indexer.segment.crf`), or None if unreadable."""
    try:
        return crf.load_model().tag
    except (crf.ModelFormatError, OSError, ImportError, ValueError) as err:
        log.warning("cannot read underthesea's model directly (%s); using word_tokenize", err)
        return None


@cache
def _tokenizer() -> underthesea_private.TokenizerParts:
    parts = underthesea_private.tokenizer_parts()
    # Few distinct tokens recur endlessly: normalise each once.
    normalize_token = lru_cache(maxsize=crf.CACHE_LIMIT)(parts.normalize_token)
    return replace(parts, normalize_token=normalize_token)


def load_model() -> None:
    """Load the segmentation model now (it is otherwise loaded on first use)."""
    if _crf_tagger() is None:
        _word_tokenize()
    else:
        _tokenizer()
    _syllable_pattern()


def segment_paragraph(paragraph: str, spans: list[Span] | None = None) -> list[int]:
    """Segment one paragraph into words; the syllable count of each word.

    Tokens are underthesea's (its regex tokenizer and normalisation) and the
    word boundaries those of its CRF model, decoded by :mod:`indexer.segment.crf`;
    ``spans`` are the paragraph's syllable spans if already known.

    >>> segment_paragraph("công tác phổ cập giáo dục")
    [2, 2, 2]
    """
    if spans is None:
        spans = syllable_spans(paragraph)
    if not spans:
        return []
    tag = _crf_tagger()
    if tag is not None:
        tokenizer = _tokenizer()
        text = tokenizer.normalize_characters(paragraph)
        if len(text) == len(paragraph):  # offsets still point at the paragraph
            matches = list(tokenizer.pattern.finditer(text))
            tokens = [tokenizer.normalize_token(m.group()) for m in matches]
            return group_by_tokens(spans, [m.span() for m in matches], tag(tokens))
    tokens = _word_tokenize()(paragraph)
    return align_words([paragraph[s:e] for s, e in spans], tokens)


def group_by_tokens(
    spans: Sequence[Span], token_spans: Sequence[Span], begins: Sequence[bool]
) -> list[int]:
    """Group syllables into words given the tokens' spans and which tokens begin a word.

    A syllable belongs to the token its first character is in; syllables of
    the same word are one group, and a syllable no token covers is a word alone.

    >>> group_by_tokens([(0, 3), (4, 7), (8, 10), (11, 13)], [(0, 3), (4, 7), (8, 13)], [True, False, True])
    [2, 2]
    """
    groups: list[int] = []
    current: int | None = None  # word number of the previous syllable
    words = 0
    word_of_token: list[int] = []
    for i, begins_word in enumerate(begins):
        if begins_word or i == 0:
            words += 1
        word_of_token.append(words)
    t = 0
    for start, _end in spans:
        while t < len(token_spans) and token_spans[t][1] <= start:
            t += 1
        if t < len(token_spans) and token_spans[t][0] <= start:
            word: int | None = word_of_token[t]
        else:
            word = None  # no token covers it: a word of its own
        if word is not None and word == current:
            groups[-1] += 1
        else:
            groups.append(1)
        current = word
    return groups


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


class Segmenter:
    """Segments texts paragraph by paragraph behind a (persistent) cache.

    ``segmented_paragraphs`` and ``cached_paragraphs`` count how each
    paragraph was served since the segmenter was created.
    """

    def __init__(self, cache_dir: str | Path | None = None, *, read_only: bool = False) -> None:
        self.segmented_paragraphs = 0
        self.cached_paragraphs = 0
        self.read_only = read_only
        # Paragraphs segmented by a read-only segmenter (a worker process), for
        # the writing one to store: see take_new_entries / add_entries.
        self._new: list[tuple[str, tuple[int, ...]]] = []
        self._memory: dict[str, tuple[int, ...]] = {}
        self._db: sqlite3.Connection | None = None
        if cache_dir is not None:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            path = Path(cache_dir) / CACHE_FILE
            if read_only:
                self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            else:
                self._db = sqlite3.connect(path)
                # WAL: worker processes read while this connection writes.
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS seg (key TEXT PRIMARY KEY, groups TEXT)"
                )
                self._db.commit()

    def segment(self, text: str) -> Segmentation:
        """Segment a whole (normalised) text; spans refer to ``text``."""
        all_spans: list[Span] = []
        all_groups: list[int] = []
        for offset, paragraph in _paragraphs(text):
            spans = syllable_spans(paragraph)
            if not spans:
                continue
            groups = self._groups(paragraph, spans)
            if sum(groups) != len(spans):  # a stale or foreign cache entry
                groups = tuple(segment_paragraph(paragraph, spans))
            all_spans.extend((s + offset, e + offset) for s, e in spans)
            all_groups.extend(groups)
        return Segmentation(tuple(all_spans), tuple(all_groups))

    def _groups(self, paragraph: str, spans: list[Span]) -> tuple[int, ...]:
        key = hashlib.blake2b(paragraph.encode("utf-8"), digest_size=16).hexdigest()
        groups = self._memory.get(key)
        if groups is None and self._db is not None:
            row = self._db.execute("SELECT groups FROM seg WHERE key = ?", (key,)).fetchone()
            if row is not None:
                groups = tuple(int(n) for n in row[0].split(","))
        if groups is not None:
            self.cached_paragraphs += 1
        else:
            groups = tuple(segment_paragraph(paragraph, spans))
            self.segmented_paragraphs += 1
            if self.read_only:
                self._new.append((key, groups))
            else:
                self._store(key, groups)
        self._memory[key] = groups
        return groups

    def _store(self, key: str, groups: tuple[int, ...]) -> None:
        if self._db is not None:
            self._db.execute(
                "INSERT OR REPLACE INTO seg VALUES (?, ?)", (key, ",".join(map(str, groups)))
            )

    def take_new_entries(self) -> list[tuple[str, tuple[int, ...]]]:
        """Paragraphs segmented since the last call (read-only segmenters only)."""
        new, self._new = self._new, []
        return new

    def add_entries(self, entries: list[tuple[str, tuple[int, ...]]]) -> None:
        """Store paragraphs another (read-only) segmenter segmented."""
        for key, groups in entries:
            self._memory[key] = groups
            self._store(key, groups)

    def commit(self) -> None:
        """Make stored paragraphs visible to other processes."""
        if self._db is not None and not self.read_only:
            self._db.commit()

    def close(self) -> None:
        """Commit and close the persistent cache."""
        if self._db is not None:
            self.commit()
            self._db.close()
            self._db = None

    def __enter__(self) -> Segmenter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
