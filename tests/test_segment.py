"""Segmentation: underthesea words re-aligned to source syllables, with a cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.normalize import fold, normalize_text
from indexer.segment.segmenter import Segmenter, align_words, syllable_spans, syllables

DATA = Path(__file__).parent / "data" / "corpus"


def compact(text: str, segmenter: Segmenter) -> str:
    """underthesea's compact form: words joined by '_', separated by spaces."""
    seg = segmenter.segment(text)
    return " ".join("_".join(text[s:e] for s, e in word) for word in seg.word_syllables())


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


SEGMENT_CASES = [
    ("công tác phổ cập giáo dục", "công_tác phổ_cập giáo_dục"),
    # Not normalised: underthesea rewrites "xoá" to "xóa"; the source characters are kept.
    ("xoá mù chữ cho người lớn", "xoá mù_chữ cho người_lớn"),
    # underthesea splits symbols at the punctuation; syllables stay aligned.
    ("Chỉ thị số 29-CT/TW, ngày 05/01/2024", "Chỉ_thị số 29 CT TW ngày 05_01_2024"),
    ("bảo đảm an toàn trường học", "bảo_đảm an_toàn trường_học"),
    ("Kế hoạch 1181/KH-PGD-ĐT", "Kế_hoạch 1181 KH_PGD_ĐT"),
]


@pytest.mark.parametrize(("text", "expected"), SEGMENT_CASES, ids=[c[1] for c in SEGMENT_CASES])
def test_segment_compact_form(segmenter: Segmenter, text: str, expected: str) -> None:
    assert compact(text, segmenter) == expected


SYLLABLE_CASES = [
    ("Chỉ thị số 29-CT/TW", ["Chỉ", "thị", "số", "29", "CT", "TW"]),
    ("| Stt | Nội dung |", ["Stt", "Nội", "dung"]),
    ("GD&ĐT, v.v...", ["GD", "ĐT", "v", "v"]),
    ("", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), SYLLABLE_CASES, ids=[c[0] or "empty" for c in SYLLABLE_CASES]
)
def test_syllables(text: str, expected: list[str]) -> None:
    assert syllables(text) == expected


def test_seed_segmentation_slices_back_and_covers_every_syllable(segmenter: Segmenter) -> None:
    text = normalize_text((DATA / "001_390e6e42b23c01ee.txt").read_text(encoding="utf-8"))
    seg = segmenter.segment(text)
    assert list(seg.syllables) == syllable_spans(text)
    assert sum(seg.groups) == len(seg.syllables)
    words = [text[s:e] for s, e in seg.word_spans()]
    assert "phổ cập" in words and "giáo dục" in words
    for start, end in seg.word_spans():
        assert text[start:end].strip() == text[start:end] != ""


@given(
    st.lists(
        st.sampled_from(["phổ", "cập", "giáo", "dục", "an", "toàn", "29", "CT", "TW"]), max_size=12
    ),
    st.lists(st.text(alphabet="phổcậpgiáoduan toà-/29CTW", max_size=12), max_size=12),
)
@settings(max_examples=200, deadline=None)
def test_align_words_never_fails(source: list[str], tokens: list[str]) -> None:
    groups = align_words(source, tokens)
    assert sum(groups) == len(source)
    assert all(n >= 1 for n in groups)


@given(st.text(max_size=200))
@settings(max_examples=100, deadline=None)
def test_syllable_spans_slice_back(text: str) -> None:
    for start, end in syllable_spans(text):
        piece = text[start:end]
        assert piece and syllables(piece) == [piece]
        assert syllables(text[:start] + " " + text[end:]) == syllables(text[:start]) + syllables(
            text[end:]
        )


def test_fold_keeps_length() -> None:
    text = "Đảng ủy PHỔ CẬP hòa nhập"
    assert fold(text) == "dang uy pho cap hoa nhap"
    assert len(fold(text)) == len(text)


def test_cache_counts_repeated_paragraphs(tmp_path: Path) -> None:
    text = "Nơi nhận:\nphổ cập giáo dục\nNơi nhận:\n\n"
    with Segmenter(tmp_path) as seg:
        seg.segment(text)
        assert (seg.segmented_paragraphs, seg.cached_paragraphs) == (2, 1)
        seg.segment(text)
        assert (seg.segmented_paragraphs, seg.cached_paragraphs) == (2, 4)
    with Segmenter(tmp_path) as again:  # persisted beside the index
        result = again.segment(text)
        assert (again.segmented_paragraphs, again.cached_paragraphs) == (0, 3)
        assert compact(text, again) == "Nơi nhận phổ_cập giáo_dục Nơi nhận"
        assert len(result.groups) == 6 and len(result.syllables) == 8


def test_pathological_table_pipes_and_long_line(segmenter: Segmenter) -> None:
    text = "| " * 25_000 + "\n" + "giáo dục " * 2_000
    seg = segmenter.segment(text)
    assert len(seg.syllables) == 4_000
    assert sum(seg.groups) == 4_000


def test_read_only_cache_opens_with_a_relative_index_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Worker processes open the cache read-only through a file: URI, which needs an
    # absolute path; `vanban index` passes the relative default var/index.
    monkeypatch.chdir(tmp_path)
    writer = Segmenter(Path("var") / "index")
    text = normalize_text("Thực hiện công tác phổ cập giáo dục")
    writer.segment(text)
    writer.commit()
    reader = Segmenter(Path("var") / "index", read_only=True)
    reader.segment(text)
    assert (reader.segmented_paragraphs, reader.cached_paragraphs) == (0, 1)
