"""One document as the whoosh writer takes it, analysed where the CPU is free.

:func:`document_fields` turns a decoded, extracted and segmented document into
the field values of :func:`indexer.index.schema.build_schema`. :func:`analysed`
then runs the analysers of the full-text fields (syllables, words, pairs) and
keeps their postings, so a worker process can do that work and the one
process that writes the index only copies postings into its pool: the writer
was the bottleneck of indexing once segmentation got fast (issue 6). A writer
prepared by :func:`indexer.internals.whoosh_private.speed_up_writer` accepts those values.
"""

from __future__ import annotations

import json
from typing import Any

from whoosh.fields import Schema

from indexer.index.schema import pack_offsets, syllable_stream
from indexer.internals.whoosh_private import Analysed
from indexer.models import Extraction, SourceFile
from indexer.normalize import fold_words
from indexer.segment.analysis import SegmentedText
from indexer.segment.segmenter import Segmentation

# The fields analysed from the body text (a SegmentedText).
BODY_FIELDS = ("body", "body_folded", "words_folded", "pairs", "pairs_folded")


def document_fields(
    doc_id: str, source: SourceFile, extraction: Extraction, segmentation: Segmentation
) -> dict[str, Any]:
    """The whoosh field values of one document (body fields as a SegmentedText)."""
    identity = extraction.identity
    body = SegmentedText(source.text, segmentation)
    year = (identity.date or "")[:4]
    fields: dict[str, Any] = {
        "doc_id": doc_id,
        "file": source.file,
        "rel_path": source.rel_path,
        "path": source.path,
        "sha256": source.sha256,
        "title": identity.title or "",
        "symbol": identity.symbol or "",
        "date": identity.date or "",
        "year": year if year.isdigit() else "",
        "kind": identity.kind or "",
        "level": identity.level or "",
        "issuer": identity.issuer or "",
        "kind_key": fold_words(identity.kind or ""),
        "level_key": fold_words(identity.level or ""),
        "issuer_key": fold_words(identity.issuer or ""),
        "issuer_terms": identity.issuer or "",
        "text": source.text,
        "offsets": pack_offsets(segmentation.syllables),
        "stream": syllable_stream(body.keys(folded=False)),
        "stream_folded": syllable_stream(body.keys(folded=True)),
        "extraction": json.dumps(extraction.to_dict(), ensure_ascii=False).encode("utf-8"),
    }
    for name in BODY_FIELDS:
        fields[name] = body
    return {k: v for k, v in fields.items() if v != "" or k in ("title", "text")}


def analysed(schema: Schema, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with every indexed, unstored text field replaced by its postings.

    Only fields whose value is used for nothing but postings are analysed
    ahead (not stored, no column, no term vector), so the document written
    is the same.
    """
    out = dict(fields)
    for name, value in fields.items():
        field = schema[name]
        if field.indexed and not field.stored and not field.column_type and not field.vector:
            out[name] = Analysed(tuple(field.index(value)))
    return out
