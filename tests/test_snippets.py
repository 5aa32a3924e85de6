"""Snippets from the stored syllable stream agree with snippets computed from the text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from indexer.index.schema import pack_offsets, syllable_stream, unpack_offsets
from indexer.search.snippets import (
    CONTEXT_BEFORE_CHARS,
    MAX_SNIPPET_CHARS,
    PackedSpans,
    best_window,
    find_in_stream,
    find_sequence,
    make_snippet,
)
from indexer.segment.analysis import syllable_keys
from indexer.segment.segmenter import syllable_spans

SYLLABLES = st.sampled_from(["a", "b", "c", "phổ", "cập", "Phổ", "giáo", "dục", "29"])


@given(st.lists(SYLLABLES, max_size=30), st.lists(SYLLABLES, min_size=1, max_size=3))
def test_stream_search_finds_what_key_comparison_finds(keys: list[str], seq: list[str]) -> None:
    keys = [k.lower() for k in keys]
    seq = [k.lower() for k in seq]
    assert find_in_stream(syllable_stream(keys), seq) == find_sequence(keys, seq)


def test_stream_search_finds_overlapping_runs() -> None:
    assert find_in_stream(syllable_stream(["a", "a", "a"]), ["a", "a"]) == [0, 1]
    assert find_in_stream(syllable_stream(["ab", "a"]), ["a"]) == [1]
    assert find_in_stream(syllable_stream(["a"]), []) == []


@given(st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 2**31)), max_size=20))
def test_packed_spans_read_like_unpacked(spans: list[tuple[int, int]]) -> None:
    packed = PackedSpans(pack_offsets(spans))
    assert list(packed) == unpack_offsets(pack_offsets(spans)) == spans
    assert len(packed) == len(spans)
    if spans:
        assert packed[-1] == spans[-1]
        assert packed[1:3] == spans[1:3]


TEXT = (
    "Kế hoạch PHỔ CẬP giáo dục mầm non; phổ cập giáo dục tiểu học <b>& "
    "xóa mù chữ. Phổ cập giáo dục là nhiệm vụ. " * 6
)


@given(
    st.lists(
        st.lists(st.sampled_from(["phổ", "cập", "giáo", "dục", "pho", "cap", "xoa"]), min_size=1),
        min_size=1,
        max_size=3,
    ),
    st.booleans(),
)
def test_snippet_from_stream_equals_snippet_from_text(
    sequences: list[list[str]], folded: bool
) -> None:
    spans = syllable_spans(TEXT)
    stream = syllable_stream(syllable_keys(TEXT, spans, folded))
    expected = make_snippet(TEXT, spans, sequences, folded)
    assert (
        make_snippet(TEXT, PackedSpans(pack_offsets(spans)), sequences, folded, stream) == expected
    )


def test_a_stream_that_does_not_fit_the_spans_is_ignored() -> None:
    spans = syllable_spans(TEXT)
    wrong = syllable_stream(["phổ", "cập"])
    assert make_snippet(TEXT, spans, [["phổ", "cập"]], False, wrong) == make_snippet(
        TEXT, spans, [["phổ", "cập"]], False
    )
    assert "<mark>PHỔ CẬP</mark>" in make_snippet(TEXT, spans, [["phổ", "cập"]], False, wrong)


def _best_window_by_rescanning(matches: list[tuple[int, int, int]], length: int) -> tuple[int, int]:
    """The window rule stated plainly: every candidate window rescans every match."""
    best, best_score = (0, min(length, MAX_SNIPPET_CHARS)), (-1, -1)
    for start, _, _ in matches:
        lo = max(0, start - CONTEXT_BEFORE_CHARS)
        hi = min(length, lo + MAX_SNIPPET_CHARS)
        inside = [m for m in matches if m[0] >= lo and m[1] <= hi]
        score = (len({m[2] for m in inside}), len(inside))
        if score > best_score:
            best, best_score = (lo, hi), score
    return best


# Starts often 60 apart (CONTEXT_BEFORE_CHARS) or near 0, so window edges meet match edges.
MATCH = st.tuples(
    st.one_of(st.integers(0, 700), st.integers(0, 12).map(lambda k: 60 * k)),
    st.one_of(st.integers(1, 300), st.sampled_from([60, 180, 240])),
    st.integers(0, 3),
).map(lambda m: (m[0], m[0] + m[1], m[2]))


@given(st.lists(MATCH, max_size=40), st.integers(0, 1000))
def test_sliding_window_picks_the_rescanned_window(
    matches: list[tuple[int, int, int]], length: int
) -> None:
    matches.sort()
    assert best_window(matches, length) == _best_window_by_rescanning(matches, length)
