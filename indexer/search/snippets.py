"""Highlighted snippets and phrase checks from stored syllable offsets.

Nothing here runs the segmenter: a document's syllables are its stored
character spans, compared in lower-case (or folded) form with the query's
syllable sequences. Snippets are escaped HTML with matches in ``<mark>``.

>>> text = "Công tác phổ cập giáo dục <b>"
>>> spans = [(0, 4), (5, 8), (9, 12), (13, 16), (17, 21), (22, 25), (27, 28)]
>>> make_snippet(text, spans, [["phổ", "cập"]], folded=False)
'Công tác <mark>phổ cập</mark> giáo dục &lt;b&gt;'
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from html import escape
from typing import overload

from indexer.models import Span
from indexer.normalize import fold

MAX_SNIPPET_CHARS = 240
CONTEXT_BEFORE_CHARS = 60
ELLIPSIS = "…"


class PackedSpans(Sequence[Span]):
    """The stored ``offsets`` bytes (``schema.pack_offsets``) read as spans, without unpacking them all.

    >>> PackedSpans(bytes(array("I", [0, 3, 4, 7])))[1]
    (4, 7)
    """

    def __init__(self, data: bytes) -> None:
        self._flat = array("I")
        self._flat.frombytes(data)

    def __len__(self) -> int:
        return len(self._flat) // 2

    @overload
    def __getitem__(self, i: int) -> Span: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Span]: ...

    def __getitem__(self, i: int | slice) -> Span | Sequence[Span]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._flat[2 * i], self._flat[2 * i + 1]


def token_keys(text: str, spans: Sequence[Span], folded: bool) -> list[str]:
    """The comparable form of each syllable: lower-case, or folded."""
    if folded:
        return [fold(text[s:e]) for s, e in spans]
    return [text[s:e].lower() for s, e in spans]


def find_sequence(keys: Sequence[str], seq: Sequence[str]) -> list[int]:
    """Start indexes where ``seq`` occurs in ``keys`` as adjacent syllables.

    >>> find_sequence(["a", "b", "a", "b", "c"], ["a", "b", "c"])
    [2]
    """
    n = len(seq)
    if n == 0:
        return []
    first = seq[0]
    return [i for i, key in enumerate(keys) if key == first and list(keys[i : i + n]) == list(seq)]


def find_in_stream(stream: bytes, seq: Sequence[str]) -> list[int]:
    """Start indexes where ``seq`` occurs in a stored syllable stream (``schema.syllable_stream``).

    The same answer as :func:`find_sequence` on the stream's keys, found by
    substring search instead of comparing every syllable in Python.

    >>> find_in_stream(b" a b a b c ", ["a", "b", "c"])
    [2]
    """
    if not seq:
        return []
    needle = (" " + " ".join(seq) + " ").encode("utf-8")
    found: list[int] = []
    index, counted = 0, 0
    pos = stream.find(needle)
    while pos >= 0:  # the syllable after the space at ``pos`` has that many spaces before it
        index += stream.count(b" ", counted, pos)
        counted = pos
        found.append(index)
        pos = stream.find(needle, pos + 1)
    return found


def match_spans(
    text: str,
    spans: Sequence[Span],
    sequences: Sequence[Sequence[str]],
    folded: bool,
    stream: bytes | None = None,
) -> list[tuple[int, int, int]]:
    """(start, end, which sequence) of every occurrence, sorted by position.

    ``stream``, the document's stored syllable keys (lower-cased, or folded
    when ``folded``), saves computing them from ``text``.
    """
    if stream is not None and stream.count(b" ") == len(spans) + 1:
        starts = [find_in_stream(stream, seq) for seq in sequences]
    else:
        keys = token_keys(text, spans, folded)
        starts = [find_sequence(keys, seq) for seq in sequences]
    found = []
    for which, (seq, at) in enumerate(zip(sequences, starts, strict=True)):
        for i in at:
            found.append((spans[i][0], spans[i + len(seq) - 1][1], which))
    return sorted(found)


def best_window(matches: list[tuple[int, int, int]], length: int) -> tuple[int, int]:
    """The first window, starting a little before a match, holding the most distinct
    sequences, then the most matches (``matches`` sorted, as :func:`match_spans` gives them).

    The window slides: a match enters once its end fits and leaves once its
    start falls behind, so a document with hundreds of matches costs
    ``m log m``, not ``m²``.

    >>> best_window([(100, 107, 0), (150, 158, 1), (500, 507, 0)], 1000)
    (40, 280)
    """
    best = (0, min(length, MAX_SNIPPET_CHARS))
    best_score = (-1, -1)
    by_end = sorted(range(len(matches)), key=lambda i: matches[i][1])
    entered, left = [False] * len(matches), [False] * len(matches)
    counts: dict[int, int] = {}  # matches inside the window, per sequence
    inside = next_in = next_out = 0
    for start, _, _ in matches:
        lo = max(0, start - CONTEXT_BEFORE_CHARS)
        hi = min(length, lo + MAX_SNIPPET_CHARS)
        while next_in < len(by_end) and matches[by_end[next_in]][1] <= hi:
            i = by_end[next_in]
            next_in += 1
            entered[i] = True
            if not left[i]:
                counts[matches[i][2]] = counts.get(matches[i][2], 0) + 1
                inside += 1
        while next_out < len(matches) and matches[next_out][0] < lo:
            i = next_out
            next_out += 1
            left[i] = True
            if entered[i]:
                which = matches[i][2]
                counts[which] -= 1
                if not counts[which]:
                    del counts[which]
                inside -= 1
        score = (len(counts), inside)
        if score > best_score:
            best, best_score = (lo, hi), score
    return best


def _snap(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Move the window edges to white space so no syllable is cut."""
    while 0 < lo < len(text) and not text[lo - 1].isspace():
        lo += 1
    while 0 < hi < len(text) and not text[hi].isspace():
        hi -= 1
    return lo, max(lo, hi)


def _coalesce(text: str, spans: list[Span]) -> list[Span]:
    """Merge overlapping spans and spans separated only by white space.

    >>> _coalesce("phổ cập giáo dục", [(0, 7), (8, 16)])
    [(0, 16)]
    """
    merged: list[Span] = []
    for start, end in spans:
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(
    text: str,
    spans: Sequence[Span],
    sequences: Sequence[Sequence[str]],
    folded: bool,
    stream: bytes | None = None,
) -> str:
    """Escaped HTML of the best window of ``text``, with every match in ``<mark>``."""
    matches = match_spans(text, spans, sequences, folded, stream)
    lo, hi = _snap(text, *best_window(matches, len(text)))
    for start, end, _ in matches:  # a match cut by an edge is shown whole
        if start < lo < end:
            lo = start
        if start < hi < end:
            hi = end
    out = [ELLIPSIS] if lo > 0 else []
    cursor = lo
    for start, end in _coalesce(text, [(s, e) for s, e, _ in matches if s >= lo and e <= hi]):
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:hi]))
    if hi < len(text.rstrip()):
        out.append(ELLIPSIS)
    return " ".join("".join(out).split())
