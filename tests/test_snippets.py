"""Snippets from the stored syllable stream agree with snippets computed from the text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from indexer.analysis import syllable_keys
from indexer.schema import pack_offsets, syllable_stream, unpack_offsets
from indexer.segment import syllable_spans
from indexer.snippets import PackedSpans, find_in_stream, find_sequence, make_snippet

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
