"""Every use of whoosh's private attributes and every patch of its classes.

Written against Whoosh-Reloaded 2.7.x (the pin in setup.cfg); re-check each
function here on a whoosh upgrade. Two parts:

Writing (issue 6: the writer was the bottleneck of indexing):
  :func:`speed_up_writer` swaps a fresh writer's posting pool for
  :class:`MemoryPostingPool` and its private ``_flush_segment`` for one that
  reads field lengths once per field, and installs :func:`accept_analysed_values`.
  :func:`call_before_toc_write` is the crash-test hook on ``TOC.write``.
  tests/test_internals.py checks the index written is the same, posting for
  posting, as whoosh's own writer's.

Reading (bulk scoring, :mod:`indexer.search.scoring`):
  :func:`field_length_bytes`, :func:`term_postings` and :func:`bm25f_b` read
  the codec's length column, posting blocks and BM25F's per-field ``B``.
  tests/test_search_scoring.py checks the scores against whoosh's collectors,
  and with :func:`reads_through_file` that segments are not memory-mapped.
"""

from __future__ import annotations

import logging
import types
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.writing import SegmentWriter

log = logging.getLogger(__name__)

# Marks the functions installed on whoosh classes, so each is installed once.
_MARK = "_vanban_installed"

Posting = tuple[bytes, int, float, bytes]  # (term, frequency, weight, encoded value)


@dataclass(frozen=True)
class Analysed:
    """A field value already turned into its postings, as ``field.index`` returns them.

    Built in worker processes (:func:`indexer.index.docfields.analysed`); the
    writer that :func:`speed_up_writer` prepared copies its postings as they are.
    """

    postings: tuple[Posting, ...]


# --- writing ------------------------------------------------------------------


class MemoryPostingPool:
    """An in-memory stand-in for whoosh's ``PostingPool``, installed on a new writer.

    whoosh's pool pickles every posting to a temporary run file once its
    estimate passes ``limitmb``, then reads them all back through a heap merge
    at commit: with about 4,000 postings per document that was a third of the
    indexing process's time. Here each term keeps its documents, weights and
    value-bytes ids in arrays (each distinct value bytes stored once), 16 bytes
    a posting, and :meth:`iter_postings` yields them in whoosh's order (field,
    term, docnum).
    """

    def __init__(self) -> None:
        self.fieldnames: set[str] = set()
        self._fields: dict[str, dict[bytes, tuple[array[int], array[float], array[int]]]] = {}
        self._value_ids: dict[Any, int] = {}
        self._values: list[Any] = []

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Add one posting ``(fieldname, tbytes, docnum, weight, vbytes)``."""
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        entry = terms.get(tbytes)
        if entry is None:
            entry = terms[tbytes] = (array("I"), array("d"), array("I"))
        entry[0].append(docnum)
        entry[1].append(weight)
        value_id = self._value_ids.get(vbytes)
        if value_id is None:
            value_id = self._value_ids[vbytes] = len(self._values)
            self._values.append(vbytes)
        entry[2].append(value_id)

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        """Every posting, sorted as whoosh's field writer requires."""
        values = self._values
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for tbytes in sorted(terms):
                docs, weights, value_ids = terms[tbytes]
                rows: Iterable[tuple[int, float, int]] = zip(docs, weights, value_ids, strict=True)
                if docs != array("I", sorted(docs)):  # postings merged from older segments
                    rows = sorted(rows, key=lambda row: row[0])
                for docnum, weight, value_id in rows:
                    yield fieldname, tbytes, docnum, weight, values[value_id]

    items = iter_postings

    def cleanup(self) -> None:
        """Drop everything (whoosh calls this once the segment is written)."""
        self._fields.clear()
        self._value_ids.clear()
        self._values.clear()


class _CachedLengths:
    """A per-document reader whose field lengths are read once per field.

    whoosh's field writer asks for the length of the document of every posting
    (for block statistics); reading it from the lengths column each time cost
    a tenth of the indexing process's time.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            count = self._reader.doc_count_all()
            lengths = self._lengths[fieldname] = [read(d, fieldname) for d in range(count)]
        if 0 <= docnum < len(lengths):
            return lengths[docnum]
        return int(self._reader.doc_field_length(docnum, fieldname, default))


def _flush_segment(writer: SegmentWriter) -> None:
    """``SegmentWriter._flush_segment``, with field lengths read once per field."""
    writer.perdocwriter.close()
    reader = writer.per_document_reader() if writer.codec.length_stats else None
    lengths = _CachedLengths(reader) if reader is not None else None
    writer.fieldwriter.add_postings(writer.schema, lengths, writer.pool.iter_postings())
    writer.fieldwriter.close()
    if reader is not None:
        reader.close()


def accept_analysed_values() -> None:
    """Let every whoosh field take a value analysed ahead (:class:`Analysed`).

    Installed once per process on the ``FieldType`` class, not on a schema's
    fields: the schema is pickled into each commit's table of contents, and
    must stay plain whoosh fields there. The patched ``index`` returns an
    ``Analysed`` value's postings as they are and hands any other value to
    whoosh's own ``index`` unchanged, so nothing else in the process indexes
    differently (tests/test_internals.py writes an index both ways).
    """
    from whoosh.fields import FieldType

    index = FieldType.index
    if getattr(index, _MARK, False):
        return

    def index_or_copy(self: FieldType, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, Analysed):
            return value.postings
        return index(self, value, **kwargs)

    setattr(index_or_copy, _MARK, True)
    index_or_copy.__wrapped__ = index  # type: ignore[attr-defined]  # whoosh's own, for tests
    FieldType.index = index_or_copy


def speed_up_writer(writer: SegmentWriter) -> SegmentWriter:
    """Give a fresh whoosh writer vanban's in-memory posting pool and cached field lengths.

    The writer also accepts field values analysed in a worker process
    (:func:`indexer.index.docfields.analysed`). The index written is the same,
    posting for posting (tests/test_internals.py); only the writing process's
    work changes (issue 6: the writer was the bottleneck).
    """
    accept_analysed_values()
    writer.pool = MemoryPostingPool()
    writer._flush_segment = types.MethodType(_flush_segment, writer)
    return writer


def call_before_toc_write(hook: Callable[[], None]) -> None:
    """Call ``hook`` just before whoosh writes a commit's table of contents.

    Not before the empty index's first one (``create_in``). Installed once per
    process on whoosh's ``TOC`` class; later calls do nothing. A test hook:
    :func:`indexer.index.store.arm_toc_kill`.
    """
    from whoosh.index import TOC

    if getattr(TOC.write, _MARK, False):
        return
    write = TOC.write

    def hooked_write(self: TOC, storage: Any, indexname: str) -> None:
        if self.generation > 0:  # not the empty index create_in commits
            hook()
        write(self, storage, indexname)

    setattr(hooked_write, _MARK, True)
    TOC.write = hooked_write


# --- reading ------------------------------------------------------------------


def field_length_bytes(reader: Any, fieldname: str, doccount: int) -> bytes:
    """The length byte whoosh stores for each document of a segment (0 = none)."""
    column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if column is None:
        return bytes(doccount)
    return bytes(column[d] for d in range(doccount))


def term_postings(reader: Any, fieldname: str, text: bytes) -> tuple[list[int], list[float]]:
    """Docnums and weights of one term in one segment (deleted documents included).

    whoosh's own codec is read a whole block at a time; any other matcher one
    posting at a time through its public methods.
    """
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    ids: list[int] = []
    weights: list[float] = []
    if isinstance(matcher, W3LeafMatcher):
        while not matcher._atend:
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return ids, weights


def bm25f_b(weighting: scoring.BM25F, fieldname: str) -> float:
    """BM25F's length normalisation ``B`` for one field (``field_B``, else ``B``)."""
    B: float = weighting._field_B.get(fieldname, weighting.B)
    return B


def reads_through_file(reader: Any) -> bool:
    """Whether a segment reader reads its compound file through a handle, not a memory map."""
    compound = reader._storage.a
    return compound._source is None and compound._file is not None
