"""whoosh analysis: segmented, lower-cased after segmentation, folded, paired; offsets kept."""

from __future__ import annotations

import pytest

from indexer.normalize import fold
from indexer.segment.analysis import (
    SYLLABLES,
    WORDS,
    SegmentedText,
    VietTokenizer,
    pair_analyzer,
    pairs_of,
    query_syllables,
    syllable_analyzer,
    word_analyzer,
)
from indexer.segment.segmenter import Segmentation, syllable_spans, syllables

TERM_CASES = [
    # (analyzer, text, expected terms)
    ("syllables", "bảo đảm AN TOÀN trường học", ["bảo", "đảm", "an", "toàn", "trường", "học"]),
    ("syllables_folded", "Đảng ủy PHỔ CẬP", ["dang", "uy", "pho", "cap"]),
    ("words", "Công tác phổ cập giáo dục", ["công_tác", "phổ_cập", "giáo_dục"]),
    ("words_folded", "Công tác phổ cập giáo dục", ["cong_tac", "pho_cap", "giao_duc"]),
    ("pairs", "Xóa mù chữ, an toàn", ["xóa mù", "mù chữ", "chữ an", "an toàn"]),
    ("pairs_folded", "Chỉ thị 29-CT/TW", ["chi thi", "thi 29", "29 ct", "ct tw"]),
    # Stop words of English are Vietnamese syllables: nothing is dropped.
    ("syllables", "an toàn, to be or not", ["an", "toàn", "to", "be", "or", "not"]),
]

ANALYZERS = {
    "syllables": syllable_analyzer(),
    "syllables_folded": syllable_analyzer(folded=True),
    "words": word_analyzer(),
    "words_folded": word_analyzer(folded=True),
    "pairs": pair_analyzer(),
    "pairs_folded": pair_analyzer(folded=True),
}


@pytest.mark.parametrize(
    ("name", "text", "expected"), TERM_CASES, ids=[f"{c[0]}:{c[1]}" for c in TERM_CASES]
)
def test_terms(name: str, text: str, expected: list[str]) -> None:
    assert [t.text for t in ANALYZERS[name](text)] == expected


@pytest.mark.parametrize("name", sorted(ANALYZERS))
def test_offsets_point_at_source_characters(name: str) -> None:
    text = "Căn cứ Chỉ thị số 29-CT/TW về PHỔ CẬP giáo dục; hòa nhập <b>an toàn</b>"
    tokens = [(t.text, t.startchar, t.endchar) for t in ANALYZERS[name](text, chars=True)]
    assert tokens
    joiner = "_" if "words" in name else " "
    key = fold if "folded" in name else str.lower
    for term, start, end in tokens:
        assert joiner.join(key(piece) for piece in syllables(text[start:end])) == term


def test_uppercase_is_lowered_after_segmentation() -> None:
    # underthesea groups "Phổ cập" with its capital; the lower-cased term comes after.
    assert [t.text for t in word_analyzer()("Phổ cập giáo dục")] == ["phổ_cập", "giáo_dục"]


def test_presegmented_text_is_not_segmented_again() -> None:
    text = "ab cd ef"
    given = Segmentation(syllables=((0, 2), (3, 5), (6, 8)), groups=(3,))
    assert [t.text for t in word_analyzer()(SegmentedText(text, given))] == ["ab_cd_ef"]


def test_query_mode_never_segments() -> None:
    tokenizer = VietTokenizer(WORDS)
    assert [t.text for t in tokenizer("phổ cập giáo dục", mode="query")] == [
        "phổ",
        "cập",
        "giáo",
        "dục",
    ]


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unit must be"):
        VietTokenizer("letters")
    assert VietTokenizer(SYLLABLES) == VietTokenizer(SYLLABLES) != VietTokenizer(WORDS)


@pytest.mark.parametrize(
    ("query", "folded", "expected"),
    [
        ("PHỔ CẬP giáo dục", False, ["phổ", "cập", "giáo", "dục"]),
        ("PHỔ CẬP giáo dục", True, ["pho", "cap", "giao", "duc"]),
        ("Đảng ủy", True, ["dang", "uy"]),
        ("40-CTr/TU", False, ["40", "ctr", "tu"]),
    ],
)
def test_query_syllables(query: str, folded: bool, expected: list[str]) -> None:
    assert query_syllables(query, folded) == expected


def test_pairs_of() -> None:
    assert pairs_of(["phổ", "cập", "giáo", "dục"]) == ["phổ cập", "cập giáo", "giáo dục"]
    assert pairs_of(["một"]) == []


@pytest.mark.parametrize("name", sorted(ANALYZERS))
def test_term_counts_equal_the_token_stream(name: str) -> None:
    from collections import Counter
    from pathlib import Path

    from indexer.normalize import normalize_text
    from indexer.segment.segmenter import Segmenter

    path = Path(__file__).parent / "data" / "corpus" / "000_483593662cc2f1b9.txt"
    text = normalize_text(path.read_text(encoding="utf-8")) + "\nΣΑΣ İstanbul ǅ"
    given = SegmentedText(text, Segmenter().segment(text))
    analyzer = ANALYZERS[name]
    assert analyzer.term_counts(given) == Counter(t.text for t in analyzer(given))
    assert analyzer.term_counts(text) == Counter(t.text for t in analyzer(text))


@pytest.mark.parametrize(
    ("unit", "folded", "term", "count"),
    [
        ("syllables", False, "phổ", 2),
        ("syllables", True, "dang", 1),
        ("words", True, "pho", 2),
        ("pairs", False, "phổ cập", 2),
        ("pairs", True, "29 ct", 1),
    ],
)
def test_term_counts_of_presegmented_text_match_the_token_stream(
    unit: str, folded: bool, term: str, count: int
) -> None:
    # Indexing counts terms from keys cached on the SegmentedText, shared by all fields.
    text = "Thực hiện Chỉ thị số 29-CT/TW, Đảng ủy PHỔ CẬP giáo dục; phổ cập giáo dục"
    spans = tuple(syllable_spans(text))
    body = SegmentedText(text, Segmentation(syllables=spans, groups=(1,) * len(spans)))
    make = {"syllables": syllable_analyzer, "words": word_analyzer, "pairs": pair_analyzer}[unit]
    analyzer = make(folded)
    counts = analyzer.term_counts(body)
    assert sorted(counts.elements()) == sorted(t.text for t in analyzer(body))
    assert counts[term] == count
    assert analyzer.term_counts(body) == counts  # a second field reads the cached keys
