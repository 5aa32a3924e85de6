"""underthesea's word-segmentation CRF, decoded in Python with n-gram caches.

underthesea's ``word_tokenize`` spends most of its time building 43 feature
strings per token (``T[-1,0].lower=phổ cập``…) in its Rust featurizer and
looking each one up again in its Rust tagger. The model is a plain linear
chain CRF (CRFsuite format) with two labels, ``B-W`` (a word begins) and
``I-W`` (the word goes on), so a token's score is a sum of weights of
features that depend on at most three neighbouring tokens. This module reads
the same model file and precomputes, per distinct token, pair and triple of
tokens, the summed weight difference ``B-W − I-W`` those features contribute
at each relative position. After a few documents nearly every n-gram is in
the cache and scoring a token is a dozen float additions; Viterbi over two
labels then needs only those differences and the four transition weights.

The decisions are those of underthesea's tagger on the same tokens (checked
in tests against ``underthesea_core``); :func:`feature_strings` spells the
features out exactly as underthesea's featurizer does, for those checks.

>>> model = load_model()
>>> model.tag(["Phổ", "cập", "giáo", "dục"])
[True, False, True, False]
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from indexer.internals import underthesea_private

BEGIN_LABEL = "B-W"
INSIDE_LABEL = "I-W"

# The feature templates the model was trained with (underthesea's features.bin),
# as (first offset, last offset, property); property None is the tokens as printed.
UNIGRAM_PROPERTIES: dict[int, tuple[str | None, ...]] = {
    -2: (None, "lower", "istitle", "is_in_dict"),
    -1: (None, "lower", "isdigit", "istitle", "is_in_dict"),
    0: (None, "lower", "isdigit", "istitle", "is_in_dict"),
    1: (None, "lower", "isdigit", "istitle", "is_in_dict"),
    2: (None, "lower", "istitle", "is_in_dict"),
}
BIGRAM_PROPERTIES: dict[int, tuple[str | None, ...]] = {
    -2: (None, "lower", "is_in_dict"),
    -1: (None, "lower", "is_in_dict"),
    0: (None, "lower", "istitle", "is_in_dict"),
    1: (None, "lower", "is_in_dict"),
}
TRIGRAM_PROPERTIES: dict[int, tuple[str | None, ...]] = {
    -2: (None, "is_in_dict"),
    -1: (None, "is_in_dict"),
    0: (None, "istitle", "is_in_dict"),
}
# Caches are dropped when they grow past this many n-grams (bounded memory).
CACHE_LIMIT = 400_000


class _Edge:
    """A padding token beyond either end of the sentence, unequal to any real token."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


BOS = _Edge("BOS")
EOS = _Edge("EOS")
Token = str | _Edge
_PAD = 2  # tokens of padding on each side: the widest window reaches two away


class ModelFormatError(ValueError):
    """The model file is not a CRFsuite model this module can read."""


def _istitle(text: str) -> bool:
    # underthesea_core: no space-separated part starts with a lower-case letter.
    return not any(part[:1].islower() for part in text.split(" "))


def _isdigit(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _template(first: int, last: int, prop: str | None) -> str:
    """A feature template's name as underthesea spells it: ``T[-1,0].lower``.

    >>> _template(0, 0, None), _template(-1, 0, "lower")
    ('T[0]', 'T[-1,0].lower')
    """
    window = f"T[{first}]" if first == last else f"T[{first},{last}]"
    return f"{window}.{prop}" if prop else window


def _value(tokens: Sequence[Token], prop: str | None, dictionary: frozenset[str]) -> str:
    """One feature value of consecutive tokens, or BOS/EOS if they run past an end."""
    for edge in (BOS, EOS):
        if any(t is edge for t in tokens):
            return edge.name
    text = " ".join(t for t in tokens if isinstance(t, str))
    if prop is None:
        return text
    if prop == "lower":
        return text.lower()
    if prop == "istitle":
        return str(_istitle(text))
    if prop == "isdigit":
        return str(_isdigit(text))
    return str(text.lower() in dictionary)


@dataclass
class CrfModel:
    """Weights of a two-label word segmentation CRF and the caches that speed decoding.

    ``weights`` maps a feature string to its weight difference ``B-W − I-W``;
    ``transition[a][b]`` is the weight of label ``b`` after ``a`` (0 = B-W, 1 = I-W).
    """

    weights: dict[str, float]
    transition: tuple[tuple[float, float], tuple[float, float]]
    dictionary: frozenset[str]
    _unigrams: dict[Token, tuple[float, ...]] = field(default_factory=dict, repr=False)
    _bigrams: dict[tuple[Token, Token], tuple[float, ...]] = field(default_factory=dict, repr=False)
    _trigrams: dict[tuple[Token, Token, Token], tuple[float, ...]] = field(
        default_factory=dict, repr=False
    )

    def _contributions(
        self, tokens: tuple[Token, ...], table: dict[int, tuple[str | None, ...]]
    ) -> tuple[float, ...]:
        """Weight difference these tokens add when they start at each offset of ``table``."""
        out = []
        reach = len(tokens) - 1  # how far the window reaches past its first token
        for first, props in table.items():
            total = 0.0
            for prop in props:
                name = _template(first, first + reach, prop)
                total += self.weights.get(f"{name}={_value(tokens, prop, self.dictionary)}", 0.0)
            out.append(total)
        return tuple(out)

    def _cached(
        self, cache: dict[Any, tuple[float, ...]], key: Any, table: dict
    ) -> tuple[float, ...]:
        found = cache.get(key)
        if found is None:
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
            tokens = key if isinstance(key, tuple) else (key,)
            found = cache[key] = self._contributions(tokens, table)
        return found

    def scores(self, tokens: Sequence[str]) -> list[float]:
        """Per token, how much more the model favours ``B-W`` than ``I-W`` (state features)."""
        padded: list[Token] = [BOS, BOS, *tokens, EOS, EOS]
        n = len(tokens)
        uni, bi, tri = self._unigrams, self._bigrams, self._trigrams
        u = [uni.get(t) or self._cached(uni, t, UNIGRAM_PROPERTIES) for t in padded]
        pairs = list(zip(padded, padded[1:], strict=False))
        b = [bi.get(p) or self._cached(bi, p, BIGRAM_PROPERTIES) for p in pairs]
        triples = list(zip(padded, padded[1:], padded[2:], strict=False))
        t = [tri.get(p) or self._cached(tri, p, TRIGRAM_PROPERTIES) for p in triples]
        # Position i of the sentence is index i + 2 of the padded list; a window
        # starting at offset k from it starts at padded index i + 2 + k.
        return [
            u[i][0] + u[i + 1][1] + u[i + 2][2] + u[i + 3][3] + u[i + 4][4]
            + b[i][0] + b[i + 1][1] + b[i + 2][2] + b[i + 3][3]
            + t[i][0] + t[i + 1][1] + t[i + 2][2]
            for i in range(n)
        ]  # fmt: skip

    def tag(self, tokens: Sequence[str]) -> list[bool]:
        """For each token, whether it begins a word (Viterbi over the two labels)."""
        if not tokens:
            return []
        deltas = self.scores(tokens)
        (bb, bi), (ib, ii) = self.transition
        # Scores of the best paths ending in B (begin) and I (inside); I's state score is 0.
        best_b, best_i = deltas[0], 0.0
        back: list[tuple[bool, bool]] = []  # per step: is the best predecessor of B / I a B?
        for delta in deltas[1:]:
            b_from_b, b_from_i = best_b + bb, best_i + ib
            i_from_b, i_from_i = best_b + bi, best_i + ii
            back.append((b_from_b >= b_from_i, i_from_b >= i_from_i))
            best_b = (b_from_b if b_from_b >= b_from_i else b_from_i) + delta
            best_i = i_from_b if i_from_b >= i_from_i else i_from_i
        state = best_b >= best_i
        tags = [state]
        for from_b_to_b, from_b_to_i in reversed(back):
            state = from_b_to_b if state else from_b_to_i
            tags.append(state)
        tags.reverse()
        return tags


def feature_strings(tokens: Sequence[str], dictionary: frozenset[str]) -> list[list[str]]:
    """The features of each token, spelled as underthesea's featurizer spells them."""
    padded: list[Token] = [BOS] * _PAD + list(tokens) + [EOS] * _PAD
    out = []
    for i in range(_PAD, _PAD + len(tokens)):
        features = []
        for first, last, prop in _TEMPLATE_ORDER:
            window = padded[i + first : i + last + 1]
            features.append(f"{_template(first, last, prop)}={_value(window, prop, dictionary)}")
        out.append(features)
    return out


def _template_order() -> list[tuple[int, int, str | None]]:
    """Templates in underthesea's order: all plain ones, then per property."""
    order: list[tuple[int, int, str | None]] = []
    for prop in (None, "lower", "isdigit", "istitle", "is_in_dict"):
        for width, table in (
            (1, UNIGRAM_PROPERTIES),
            (2, BIGRAM_PROPERTIES),
            (3, TRIGRAM_PROPERTIES),
        ):
            for first, props in table.items():
                if prop in props:
                    order.append((first, first + width - 1, prop))
    return order


_TEMPLATE_ORDER = _template_order()


# --- CRFsuite model file -------------------------------------------------------

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_CQDB_HEADER = struct.Struct("<4sIIIII")
_FEATURE = struct.Struct("<IIId")
_STATE, _TRANSITION = 0, 1


def _cqdb_strings(data: bytes, offset: int) -> list[str]:
    """The strings of a CQDB chunk, indexed by id (its backward array)."""
    magic, _size, _flag, _order, count, backward = _CQDB_HEADER.unpack_from(data, offset)
    if magic != b"CQDB":
        raise ModelFormatError("no CQDB chunk where the header says")
    strings = []
    for i in range(count):
        (record,) = struct.unpack_from("<I", data, offset + backward + 4 * i)
        _id, length = struct.unpack_from("<iI", data, offset + record)
        start = offset + record + 8
        strings.append(data[start : start + length - 1].decode("utf-8"))
    return strings


def parse_model(data: bytes, dictionary: frozenset[str]) -> CrfModel:
    """Read a CRFsuite (``lCRF``/``FOMC``) model with the labels B-W and I-W."""
    if len(data) < _HEADER.size:
        raise ModelFormatError("file too short for a CRFsuite header")
    magic, _size, kind, _ver, _nf, _nl, _na, off_feat, off_labels, off_attrs, _, _ = (
        _HEADER.unpack_from(data)
    )
    if magic != b"lCRF" or kind != b"FOMC":
        raise ModelFormatError(f"not a CRFsuite CRF1d model ({magic!r}, {kind!r})")
    labels = _cqdb_strings(data, off_labels)
    if sorted(labels) != [BEGIN_LABEL, INSIDE_LABEL]:
        raise ModelFormatError(f"unexpected labels {labels}")
    attrs = _cqdb_strings(data, off_attrs)
    begin = labels.index(BEGIN_LABEL)
    chunk, _chunk_size, count = struct.unpack_from("<4sII", data, off_feat)
    if chunk != b"FEAT":
        raise ModelFormatError("no FEAT chunk where the header says")
    weights: dict[str, float] = {}
    transition = [[0.0, 0.0], [0.0, 0.0]]
    for kind_, src, dst, weight in _FEATURE.iter_unpack(
        data[off_feat + 12 : off_feat + 12 + count * _FEATURE.size]
    ):
        if kind_ == _STATE:
            sign = 1.0 if dst == begin else -1.0
            weights[attrs[src]] = weights.get(attrs[src], 0.0) + sign * weight
        elif kind_ == _TRANSITION:
            # Our label index: 0 = B-W, 1 = I-W.
            transition[0 if src == begin else 1][0 if dst == begin else 1] = weight
    return CrfModel(
        weights,
        ((transition[0][0], transition[0][1]), (transition[1][0], transition[1][1])),
        dictionary,
    )


@cache
def load_model() -> CrfModel:
    """underthesea's word-segmentation model, read once per process.

    Raises :class:`ModelFormatError` (or ``OSError``) if the installed
    underthesea ships a model this module cannot read.
    """
    files = underthesea_private.read_word_model()
    expected = [_template(first, last, prop) for first, last, prop in _TEMPLATE_ORDER]
    if files.features != expected:
        raise ModelFormatError("the model's feature templates are not the ones this decoder knows")
    return parse_model(files.crf, files.dictionary)
