"""whoosh analysis for Vietnamese: segmented tokens, lower-cased after segmentation.

Three token streams are indexed, each accented and diacritic-folded:

- syllables (``phổ``, ``cập``): what single query words match;
- words (``phổ_cập``): underthesea's words, syllables joined by ``_``; the
  vocabulary the query side groups syllables with, and a ranking signal;
- pairs (``phổ cập``): every two adjacent syllables as one term, so a phrase
  is an AND of term look-ups, whatever way underthesea grouped its words
  (whoosh's positional phrases do not scale; BENCHMARKS.md has the phrase
  timings this gives).

There is no stop list: ``an`` in ``an toàn`` is a word like any other.
Lower-casing and folding keep lengths, so token offsets always point at the
source characters.

>>> [t.text for t in pair_analyzer(folded=True)("Xóa mù chữ")]
['xoa mu', 'mu chu']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.analysis import Composable, Filter, LowercaseFilter, Token, Tokenizer

from indexer.models import Span
from indexer.normalize import fold
from indexer.segment.segmenter import Segmentation, Segmenter, syllable_spans

SYLLABLES = "syllables"
WORDS = "words"
PAIRS = "pairs"
WORD_JOINER = "_"
PAIR_JOINER = " "

_default_segmenter: Segmenter | None = None


def _segmenter() -> Segmenter:
    global _default_segmenter
    if _default_segmenter is None:
        _default_segmenter = Segmenter()
    return _default_segmenter


class SegmentedText(str):
    """A text that carries its segmentation, so indexing segments it once for all fields."""

    segmentation: Segmentation
    _keys: dict[bool, list[str]]

    def __new__(cls, text: str, segmentation: Segmentation) -> SegmentedText:
        obj = super().__new__(cls, text)
        obj.segmentation = segmentation
        obj._keys = {}
        return obj

    def keys(self, folded: bool) -> list[str]:
        """The syllables lower-cased (or folded), computed once for all fields."""
        keys = self._keys.get(folded)
        if keys is None:
            keys = self._keys[folded] = syllable_keys(self, self.segmentation.syllables, folded)
        return keys


class VietTokenizer(Tokenizer):
    """Yields syllables or underthesea words with source offsets.

    At query time (``mode="query"``) only syllables are produced and the
    segmenter is never run.
    """

    def __init__(self, unit: str = SYLLABLES) -> None:
        if unit not in (SYLLABLES, WORDS):
            raise ValueError(f"unit must be {SYLLABLES!r} or {WORDS!r}, not {unit!r}")
        self.unit = unit

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VietTokenizer) and other.unit == self.unit

    def __hash__(self) -> int:
        return hash((type(self), self.unit))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (text, start, end) in enumerate(self._units(value, mode)):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token

    def _units(self, value: str, mode: str) -> Iterator[tuple[str, int, int]]:
        if self.unit == SYLLABLES or mode == "query":
            given = getattr(value, "segmentation", None)
            for s, e in given.syllables if given is not None else syllable_spans(value):
                yield value[s:e], s, e
            return
        segmentation = getattr(value, "segmentation", None) or _segmenter().segment(value)
        for word in segmentation.word_syllables():
            text = WORD_JOINER.join(value[s:e] for s, e in word)
            yield text, word[0][0], word[-1][1]


class FoldFilter(Filter):
    """Strips diacritics (đ -> d) and lower-cases; offsets are unchanged."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = fold(t.text)
            yield t


class PairFilter(Filter):
    """Turns a token stream into its adjacent pairs: ``a b c`` -> ``a b``, ``b c``."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        prev_text: str | None = None
        prev_start = 0
        for t in tokens:
            text, start = t.text, getattr(t, "startchar", 0)
            if prev_text is not None:
                t.text = prev_text + PAIR_JOINER + text
                if hasattr(t, "pos"):
                    t.pos -= 1
                if hasattr(t, "startchar"):
                    t.startchar = prev_start
                yield t
            prev_text, prev_start = text, start


class VietAnalyzer(Composable):
    """One of vanban's analyzers: ``unit`` syllables | words | pairs, optionally folded.

    Calling it yields whoosh tokens (with offsets); :meth:`term_counts` gives
    the same terms with their counts in a few list operations, which is what
    indexing uses (``schema.CountedFrequency``): whoosh's token-by-token
    analysis was a third of the indexing time.
    """

    def __init__(self, unit: str, folded: bool = False) -> None:
        if unit not in (SYLLABLES, WORDS, PAIRS):
            raise ValueError(f"unit must be one of {SYLLABLES}, {WORDS}, {PAIRS}, not {unit!r}")
        self.unit, self.folded = unit, folded
        chain = VietTokenizer(WORDS if unit == WORDS else SYLLABLES) | (
            FoldFilter() if folded else LowercaseFilter()
        )
        self._chain = chain | PairFilter() if unit == PAIRS else chain

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VietAnalyzer) and (other.unit, other.folded) == (
            self.unit,
            self.folded,
        )

    def __hash__(self) -> int:
        return hash((type(self), self.unit, self.folded))

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]:
        return self._chain(value, **kwargs)

    def term_counts(self, value: str) -> Counter[str]:
        """Each term of ``value`` with its count, exactly as :meth:`__call__` yields them."""
        seg = getattr(value, "segmentation", None)
        if self.unit == WORDS and seg is None:
            seg = _segmenter().segment(value)
        if isinstance(value, SegmentedText):
            keys = value.keys(self.folded)
        else:
            keys = syllable_keys(
                value, seg.syllables if seg else syllable_spans(value), self.folded
            )
        if not keys:
            return Counter()
        if self.unit == SYLLABLES:
            return Counter(keys)
        if self.unit == PAIRS:
            return Counter(pairs_of(keys))
        assert seg is not None  # words always have a segmentation
        words, i = [], 0
        for n in seg.groups:
            words.append(WORD_JOINER.join(keys[i : i + n]))
            i += n
        return Counter(words)


def syllable_keys(text: str, spans: Sequence[Span], folded: bool) -> list[str]:
    """The syllables of ``text`` at ``spans``, lower-cased or folded.

    >>> syllable_keys("Phổ cập", [(0, 3), (4, 7)], folded=True)
    ['pho', 'cap']
    """
    if not spans:
        return []
    # Syllables are letters and digits only, so NUL cannot occur inside one.
    joined = "\x00".join(text[s:e] for s, e in spans)
    return (fold(joined) if folded else joined.lower()).split("\x00")


def syllable_analyzer(folded: bool = False) -> VietAnalyzer:
    """Syllables, lower-cased (and folded).

    >>> [t.text for t in syllable_analyzer()("An toàn TRƯỜNG học")]
    ['an', 'toàn', 'trường', 'học']
    """
    return VietAnalyzer(SYLLABLES, folded)


def word_analyzer(folded: bool = False) -> VietAnalyzer:
    """underthesea words joined by ``_``, lower-cased after segmentation (and folded)."""
    return VietAnalyzer(WORDS, folded)


def pair_analyzer(folded: bool = False) -> VietAnalyzer:
    """Adjacent syllable pairs, lower-cased (and folded).

    >>> [t.text for t in pair_analyzer()("Phổ cập giáo dục")]
    ['phổ cập', 'cập giáo', 'giáo dục']
    >>> pair_analyzer(folded=True).term_counts("giáo dục, Giáo dục")["giao duc"]
    2
    """
    return VietAnalyzer(PAIRS, folded)


def query_syllables(text: str, folded: bool) -> list[str]:
    """The syllables of a query string as index terms; no segmenter involved.

    >>> query_syllables("PHỔ CẬP 29-CT/TW", folded=True)
    ['pho', 'cap', '29', 'ct', 'tw']
    """
    return [fold(text[s:e]) if folded else text[s:e].lower() for s, e in syllable_spans(text)]


def pairs_of(terms: list[str]) -> list[str]:
    """Adjacent pairs of a term list, as the pair field indexes them.

    >>> pairs_of(["xóa", "mù", "chữ"])
    ['xóa mù', 'mù chữ']
    """
    return [a + PAIR_JOINER + b for a, b in zip(terms, terms[1:], strict=False)]
