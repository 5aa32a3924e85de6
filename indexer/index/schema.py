"""The whoosh schema of the vanban index.

Searchable text goes in syllable and adjacent-pair fields, accented and
folded, and one folded words field (the vocabulary queries are grouped with;
see ``analysis.py``), none with positions: phrases are answered by the pair
fields. Character offsets of the syllables are stored
per document (``offsets``) with the normalised text, so snippets never need
the segmenter. Two columns hold each document's syllables as one
space-separated string (``stream``, ``stream_folded``): checking a long phrase
is then a substring test that reads nothing else. Facet fields are sortable columns; their ``*_key`` twins are
folded, lower-cased IDs that filters match.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

from whoosh.columns import CompressedBytesColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from indexer.models import Span
from indexer.segment.analysis import VietAnalyzer, pair_analyzer, syllable_analyzer, word_analyzer

# Bump when the schema or the analysis changes: an older index is rebuilt.
SCHEMA_VERSION = 6

FACETS = ("kind", "year", "level", "issuer")
FILTER_FIELDS = {"kind": "kind_key", "year": "year", "level": "level_key", "issuer": "issuer_key"}


class CountedFrequency(Frequency):
    """whoosh's Frequency format, fed by :meth:`VietAnalyzer.term_counts` when indexing."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if kwargs.get("mode", "index") != "index" or not isinstance(analyzer, VietAnalyzer):
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        counts = analyzer.term_counts(value)
        return ((term, n, n * boost, pack_uint(n)) for term, n in counts.items())


def _viet_text(analyzer: VietAnalyzer) -> TEXT:
    """A TEXT field without positions whose terms come from ``analyzer.term_counts``."""
    field = TEXT(analyzer=analyzer, phrase=False)
    field.format = CountedFrequency(field_boost=1.0)
    return field


def build_schema() -> Schema:
    """The schema every vanban index is created with."""
    return Schema(
        # Columns too, so listing documents never decompresses their text.
        doc_id=ID(unique=True, stored=True, sortable=True),
        file=ID(stored=True, sortable=True),
        rel_path=ID(stored=True, sortable=True),
        path=ID(stored=True, sortable=True),
        sha256=ID(stored=True, sortable=True),
        title=STORED(),
        symbol=ID(stored=True),
        date=ID(stored=True, sortable=True),
        kind=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        level=ID(stored=True, sortable=True),
        issuer=ID(stored=True, sortable=True),
        kind_key=ID(),
        level_key=ID(),
        issuer_key=ID(),
        issuer_terms=_viet_text(syllable_analyzer(folded=True)),
        body=_viet_text(syllable_analyzer()),
        body_folded=_viet_text(syllable_analyzer(folded=True)),
        words_folded=_viet_text(word_analyzer(folded=True)),
        pairs=_viet_text(pair_analyzer()),
        pairs_folded=_viet_text(pair_analyzer(folded=True)),
        stream=COLUMN(CompressedBytesColumn()),
        stream_folded=COLUMN(CompressedBytesColumn()),
        text=STORED(),
        offsets=STORED(),
        extraction=COLUMN(CompressedBytesColumn()),  # IndexedDocument JSON
    )


def syllable_stream(keys: list[str]) -> bytes:
    """Syllable keys as the ``stream`` column stores them (padded with spaces).

    >>> syllable_stream(["phổ", "cập"]).decode()
    ' phổ cập '
    """
    return (" " + " ".join(keys) + " ").encode("utf-8")


def pack_offsets(spans: tuple[Span, ...] | list[Span]) -> bytes:
    """Syllable spans as compact bytes for the stored ``offsets`` field."""
    flat = array("I")
    for start, end in spans:
        flat.append(start)
        flat.append(end)
    return flat.tobytes()


def unpack_offsets(data: bytes) -> list[Span]:
    """Inverse of :func:`pack_offsets`.

    >>> unpack_offsets(pack_offsets([(0, 3), (4, 7)]))
    [(0, 3), (4, 7)]
    """
    flat = array("I")
    flat.frombytes(data)
    return list(zip(flat[::2], flat[1::2], strict=True))
