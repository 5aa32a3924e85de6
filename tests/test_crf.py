"""The fast decoder of underthesea's CRF gives underthesea's own answers."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.internals import underthesea_private
from indexer.segment import segmenter as segment
from indexer.segment.segmenter import (
    align_words,
    crf,
    group_by_tokens,
    segment_paragraph,
    syllable_spans,
)

DATA = Path(__file__).parent / "data"


def _paragraphs() -> list[str]:
    texts = sorted((DATA / "corpus").glob("*.txt")) + sorted((DATA / "heldout").rglob("*.txt"))
    return [
        line
        for path in texts
        for line in path.read_text(encoding="utf-8", errors="replace").split("\n")
        if line.strip()
    ]


PARAGRAPHS = _paragraphs()
# Tokens at the edges of the windows, odd properties (digits that are not
# ASCII, title case of punctuation), and tokens spelled like the padding.
EDGE_CASES = [
    ["Phổ"],
    ["Phổ", "cập"],
    ["BOS", "EOS", "BOS"],
    ["²", "٣", "29", "Ⅻ", "½"],
    ["(", "UBND", "uBND", "Hà", "nội", ")"],
    ["xoá", "mù", "chữ", "-", "NĐ-CP", "05/01/2024"],
]


@pytest.fixture(scope="module")
def underthesea_tagger():  # type: ignore[no-untyped-def]
    return underthesea_private.load_tagger()


def _tokens(paragraph: str) -> list[str]:
    return underthesea_private.regex_tokenize(paragraph)


def test_the_bundled_paragraphs_are_enough_to_mean_something() -> None:
    assert len(PARAGRAPHS) > 500
    assert sum(len(_tokens(p)) for p in PARAGRAPHS[:50]) > 1000


@pytest.mark.parametrize("tokens", EDGE_CASES)
def test_features_spelled_as_underthesea_does_on_edge_cases(
    underthesea_tagger, tokens: list[str]
) -> None:
    model = crf.load_model()
    expected = underthesea_tagger.featurizer.process([[[t] for t in tokens]])[0]
    assert crf.feature_strings(tokens, model.dictionary) == expected


def test_features_spelled_as_underthesea_does_on_real_text(underthesea_tagger) -> None:
    model = crf.load_model()
    for paragraph in PARAGRAPHS[::3]:
        tokens = _tokens(paragraph)
        if tokens:
            expected = underthesea_tagger.featurizer.process([[[t] for t in tokens]])[0]
            assert crf.feature_strings(tokens, model.dictionary) == expected, paragraph


def test_tags_equal_underthesea_tagger(underthesea_tagger) -> None:
    model = crf.load_model()
    checked = 0
    for tokens in [*EDGE_CASES, *(_tokens(p) for p in PARAGRAPHS)]:
        if not tokens:
            continue
        expected = [
            tag == crf.BEGIN_LABEL for tag in underthesea_tagger.predict([[t] for t in tokens])
        ]
        assert model.tag(tokens) == expected, tokens
        checked += 1
    assert checked > 500


def test_segment_paragraph_equals_word_tokenize_aligned() -> None:
    from underthesea import word_tokenize

    for paragraph in PARAGRAPHS:
        spans = syllable_spans(paragraph)
        expected = align_words([paragraph[s:e] for s, e in spans], word_tokenize(paragraph))
        assert segment_paragraph(paragraph) == expected, paragraph


def test_falls_back_to_word_tokenize_when_the_model_cannot_be_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def fake_word_tokenize(text: str) -> list[str]:
        calls.append(text)
        return ["phổ cập giáo", "dục"]

    monkeypatch.setattr(segment, "_crf_tagger", lambda: None)
    monkeypatch.setattr(segment, "_word_tokenize", lambda: fake_word_tokenize)
    assert segment_paragraph("phổ cập giáo dục") == [3, 1]
    assert calls == ["phổ cập giáo dục"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "too short"),
        (b"XCRF" + bytes(44), "not a CRFsuite"),
        (b"lCRF\x00\x00\x00\x00FOMC" + bytes(36), "CQDB"),
    ],
)
def test_unreadable_models_are_refused_clearly(data: bytes, message: str) -> None:
    with pytest.raises(crf.ModelFormatError, match=message):
        crf.parse_model(data, frozenset())


def test_parses_the_installed_model() -> None:
    model = crf.load_model()
    data = underthesea_private.read_word_model().crf
    again = crf.parse_model(data, model.dictionary)
    assert again.weights == model.weights
    assert len(model.weights) > 10_000
    # Word-internal continuation is likelier after a beginning than after an inside.
    (bb, bi), (ib, ii) = model.transition
    assert bi > ii


@pytest.mark.parametrize(
    ("spans", "tokens", "begins", "groups"),
    [
        # "Phổ cập giáo dục": two words of two syllables.
        (
            [(0, 3), (4, 7), (8, 12), (13, 16)],
            [(0, 3), (4, 7), (8, 12), (13, 16)],
            [True, False, True, False],
            [2, 2],
        ),
        # "29-CT/TW": token "29-CT" holds two syllables; "/" begins a word with none.
        ([(0, 2), (3, 5), (6, 8)], [(0, 5), (5, 6), (6, 8)], [True, True, False], [2, 1]),
        # a syllable no token covers is a word alone; a leading I-W still begins a word.
        ([(0, 1), (2, 3), (4, 5)], [(0, 1), (4, 5)], [False, False], [1, 1, 1]),
        ([], [], [], []),
    ],
)
def test_group_by_tokens(
    spans: list[tuple[int, int]],
    tokens: list[tuple[int, int]],
    begins: list[bool],
    groups: list[int],
) -> None:
    assert group_by_tokens(spans, tokens, begins) == groups


def _slow_syllable_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = -1
    for i, ch in enumerate(text):
        if ch.isalnum() or unicodedata.category(ch)[0] == "M":
            if start < 0:
                start = i
        elif start >= 0:
            spans.append((start, i))
            start = -1
    if start >= 0:
        spans.append((start, len(text)))
    return spans


@settings(max_examples=300)
@given(st.text())
def test_syllable_spans_are_runs_of_letters_digits_and_marks(text: str) -> None:
    assert syllable_spans(text) == _slow_syllable_spans(text)
