"""Every use of underthesea's internals: its model files and its pipeline modules.

Written against underthesea 9.5 (the pin in setup.cfg); re-check on an
upgrade. :mod:`indexer.segment.crf` decodes the word-segmentation CRF itself
from the files :func:`read_word_model` returns (tests/test_crf.py checks its
decisions against underthesea's own tagger), and
:mod:`indexer.segment.segmenter` tokenizes with the regex and normalisers
:func:`tokenizer_parts` returns. :func:`load_tagger` and :func:`regex_tokenize`
are underthesea's own, for the tests that check the decoder against them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Where underthesea keeps its word-segmentation model, inside its package.
WORD_MODEL_DIR = Path("pipeline") / "word_tokenize" / "models" / "ws_crf_vlsp2013_20230727"


def word_model_dir() -> Path:
    """The folder of underthesea's word-segmentation model."""
    import underthesea

    return Path(underthesea.__file__).parent / WORD_MODEL_DIR


@dataclass(frozen=True)
class WordModelFiles:
    """The word-segmentation model as underthesea ships it."""

    dictionary: frozenset[str]  # dictionary.bin: the words the dictionary features look up
    features: list[Any]  # features.bin: the feature templates, in underthesea's order
    crf: bytes  # models.bin: the CRFsuite model


def read_word_model() -> WordModelFiles:
    """Read the model's three files; ``OSError`` (or joblib's errors) if they are not there."""
    import joblib

    folder = word_model_dir()
    return WordModelFiles(
        dictionary=frozenset(joblib.load(folder / "dictionary.bin")),
        features=list(joblib.load(folder / "features.bin")),
        crf=(folder / "models.bin").read_bytes(),
    )


@dataclass(frozen=True)
class TokenizerParts:
    """underthesea's own tokenization: its token regex and normalisation functions."""

    pattern: re.Pattern[str]
    normalize_characters: Callable[[str], str]
    normalize_token: Callable[[str], str]


def tokenizer_parts() -> TokenizerParts:
    """The token regex and normalisers ``word_tokenize`` uses (not cached: callers cache)."""
    from underthesea.pipeline.text_normalize import token_normalize
    from underthesea.pipeline.text_normalize.character_normalize import (
        normalize_characters_in_text,
    )
    from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

    return TokenizerParts(patterns, normalize_characters_in_text, token_normalize)


def load_tagger() -> Any:
    """underthesea's own CRF tagger on its word model (tests check :mod:`crf` against it)."""
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

    tagger = FastCRFSequenceTagger()
    tagger.load(str(word_model_dir()))
    return tagger


def regex_tokenize(text: str) -> list[str]:
    """underthesea's own regex tokenizer, as ``word_tokenize`` runs it first."""
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    return list(tokenize(text))
