"""Word segmentation with underthesea, re-aligned to the source text.

A text is cut into *syllables* (maximal runs of letters and digits) by a plain
character scan of the source, so every syllable span slices back to the
source by construction. underthesea's ``word_tokenize`` then only decides how
consecutive syllables group into *words* (``phổ_cập giáo_dục``); its output is
matched against the syllables case- and diacritic-insensitively, because
underthesea may rewrite characters (``xoá`` -> ``xóa``) or split a token
(``10-CT/TW`` -> ``10 - CT / TW``). Whatever it cannot align becomes
one-syllable words: alignment never fails.

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
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from indexer.models import Span
from indexer.normalize import strip_diacritics

log = logging.getLogger(__name__)

# How far ahead alignment looks for a token underthesea moved or rewrote.
RESYNC_WINDOW_SYLLABLES = 8
CACHE_FILE = "segcache.sqlite"


class _FoldTable(dict[int, int]):
    """``str.translate`` table folding one character to its base letter, built lazily."""

    def __missing__(self, code: int) -> int:
        folded = ord(strip_diacritics(chr(code)))
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case and strip diacritics (đ -> d); length is kept.

    >>> fold("Phổ CẬP, Đảng ủy")
    'pho cap, dang uy'
    """
    return text.lower().translate(_FOLD)


def _is_syllable_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def syllable_spans(text: str) -> list[Span]:
    """Character spans of the syllables: maximal runs of letters, digits and marks.

    >>> text = "Chỉ thị số 29-CT/TW"
    >>> [text[s:e] for s, e in syllable_spans(text)]
    ['Chỉ', 'thị', 'số', '29', 'CT', 'TW']
    """
    spans: list[Span] = []
    start = -1
    for i, ch in enumerate(text):
        if _is_syllable_char(ch):
            if start < 0:
                start = i
        elif start >= 0:
            spans.append((start, i))
            start = -1
    if start >= 0:
        spans.append((start, len(text)))
    return spans


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


def load_model() -> None:
    """Load underthesea's model now (it is otherwise loaded on first use)."""
    _word_tokenize()


def segment_paragraph(paragraph: str) -> list[int]:
    """Run underthesea on one paragraph; the syllable count of each word.

    >>> segment_paragraph("công tác phổ cập giáo dục")
    [2, 2, 2]
    """
    spans = syllable_spans(paragraph)
    if not spans:
        return []
    tokens = _word_tokenize()(paragraph)
    return align_words([paragraph[s:e] for s, e in spans], tokens)


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
            groups = self._groups(paragraph)
            if sum(groups) != len(spans):  # a stale or foreign cache entry
                groups = tuple(segment_paragraph(paragraph))
            all_spans.extend((s + offset, e + offset) for s, e in spans)
            all_groups.extend(groups)
        return Segmentation(tuple(all_spans), tuple(all_groups))

    def _groups(self, paragraph: str) -> tuple[int, ...]:
        key = hashlib.blake2b(paragraph.encode("utf-8"), digest_size=16).hexdigest()
        groups = self._memory.get(key)
        if groups is None and self._db is not None:
            row = self._db.execute("SELECT groups FROM seg WHERE key = ?", (key,)).fetchone()
            if row is not None:
                groups = tuple(int(n) for n in row[0].split(","))
        if groups is not None:
            self.cached_paragraphs += 1
        else:
            groups = tuple(segment_paragraph(paragraph))
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
