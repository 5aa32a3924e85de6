"""The index directory: open, create, check, repair and read it back; crash-test hooks.

A vanban index directory holds whoosh's files (``_MAIN_<generation>.toc`` and
segments), ``vanban-index.json`` (schema version and creation id), the graph
and its stamp, the write-lock note and the paragraph cache. Opening a damaged
index raises :class:`IndexCorruptError` naming the command that rebuilds it;
``vanban index`` itself rebuilds it (:func:`open_or_create`, :func:`wipe`).

``$VANBAN_TEST_KILL_AT`` makes ``vanban index`` SIGKILL itself at a named
point (:func:`kill_point`); tests/test_interrupted.py uses it.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import signal
import types
import uuid
import warnings
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.writing import SegmentWriter

from indexer.errors import IndexCorruptError, IndexMissingError
from indexer.index.schema import SCHEMA_VERSION, build_schema
from indexer.messages import say, vi
from indexer.models import Extraction, IndexedDocument
from indexer.segment.segmenter import CACHE_FILE

log = logging.getLogger(__name__)

VERSION_FILE = "vanban-index.json"
# whoosh's table of contents of each commit: _MAIN_<generation>.toc
TOC_PREFIX, TOC_SUFFIX = "_MAIN_", ".toc"
# Test hook: SIGKILL this process at a named point (see kill_point).
KILL_ENV = "VANBAN_TEST_KILL_AT"


def open_index(index_dir: str | Path) -> Index:
    """Open an existing index or raise :class:`IndexMissingError`."""
    index_dir = Path(index_dir)
    if not has_index(index_dir):
        raise IndexMissingError(say("index.missing", index_dir=index_dir))
    if index_version(index_dir)[0] != SCHEMA_VERSION:
        raise IndexCorruptError(
            say("index.other_version", index_dir=index_dir),
            hint=vi("hint.index_other_version"),
        )
    failure = "?"
    with closing_leaked_files():
        for _ in range(2):  # once more: a commit may have removed the files just listed
            try:
                return whoosh_index.open_dir(str(index_dir))
            except Exception as err:  # whoosh raises many kinds on a damaged index
                failure = type(err).__name__
    collect_leaked_files()
    raise _corrupt(index_dir, failure)


def open_searcher(index_dir: str | Path, *, mmap: bool = True) -> tuple[Index, WhooshSearcher]:
    """The index and a whoosh searcher on it; a damaged segment raises IndexCorruptError.

    With ``mmap=False`` segment files are read through file handles. whoosh
    memory-maps a segment and then copies every part of it it opens
    (postings, terms, stored text, columns) into a ``BytesIO``: ~140 MB of
    private memory per searcher at N = 2000, growing with N (issue 6). Read
    through a file handle, a searcher holds almost nothing; the OS page cache
    keeps the hot parts, shared by every searcher and process. The files then
    stay open until the searcher is closed.
    """
    ix = open_index(index_dir)
    if not mmap:
        ix.storage.supports_mmap = False
    with closing_leaked_files():
        try:
            return ix, ix.searcher()
        except Exception as err:  # EOFError, UnpicklingError, FileNotFoundError, struct.error…
            failure = type(err).__name__
    collect_leaked_files()
    raise _corrupt(Path(index_dir), failure)


@contextmanager
def closing_leaked_files() -> Iterator[None]:
    """whoosh leaves the file it failed to read open; close such files quietly.

    Wraps a try/except that keeps only the failure's name: the traceback, and
    the open file it holds, are released inside this block (collected at once
    by :func:`collect_leaked_files`), not at some later, noisy moment.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        yield


def collect_leaked_files() -> None:
    with closing_leaked_files():
        gc.collect()


def _corrupt(index_dir: Path, failure: str) -> IndexCorruptError:
    return IndexCorruptError(
        say("index.corrupt", index_dir=index_dir, failure=failure),
        hint=vi("hint.index_rebuild", index_dir=index_dir),
    )


def has_index(index_dir: str | Path) -> bool:
    """True when ``index_dir`` holds a whoosh table of contents (readable or not)."""
    try:
        names = os.listdir(index_dir)
    except OSError:
        return False
    for name in names:
        middle = name.removeprefix(TOC_PREFIX).removesuffix(TOC_SUFFIX)
        if name.startswith(TOC_PREFIX) and name.endswith(TOC_SUFFIX) and middle.isdigit():
            return True
    return False


def index_version(index_dir: str | Path) -> tuple[int | None, str | None]:
    """(schema version, creation id) of the index in ``index_dir``.

    The creation id changes when the index is rebuilt from scratch, which the
    whoosh generation number alone does not show.
    """
    try:
        data = json.loads((Path(index_dir) / VERSION_FILE).read_text(encoding="utf-8"))
        return data.get("schema_version"), data.get("created")
    except (OSError, ValueError, AttributeError):
        return None, None


def open_or_create(index_dir: Path) -> Index:
    if has_index(index_dir):
        if index_version(index_dir)[0] == SCHEMA_VERSION:
            try:
                return open_index(index_dir)
            except IndexCorruptError as err:
                log.warning("%s; rebuilding it from the files", err.message)
        else:
            log.warning("index at %s has an older schema; rebuilding it", index_dir)
        wipe(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    # The version file first: killed before whoosh's first commit, the folder
    # holds no index (has_index is False) and the next run starts again.
    version = {"schema_version": SCHEMA_VERSION, "created": uuid.uuid4().hex}
    write_json(index_dir / VERSION_FILE, version)
    return whoosh_index.create_in(str(index_dir), build_schema())


def wipe(index_dir: Path) -> None:
    """Delete the index files; the segmentation cache stays valid and is kept."""
    for old in index_dir.iterdir():
        if not old.name.startswith(CACHE_FILE):
            shutil.rmtree(old) if old.is_dir() else old.unlink()


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write a small JSON file atomically (temp file + rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def kill_point(point: str) -> None:
    """Test hook: SIGKILL this process when ``$VANBAN_TEST_KILL_AT`` names ``point``.

    Points: ``doc:N`` (after the N-th document went to the writer), ``toc``
    (segments written, the commit's table of contents not yet), ``commit``
    (committed, graph not yet saved), ``graph`` (graph saved, stamp not yet).
    tests/test_interrupted.py kills ``vanban index`` at each of them.
    """
    if os.environ.get(KILL_ENV) == point:
        log.warning("%s=%s: killing this process", KILL_ENV, point)
        os.kill(os.getpid(), signal.SIGKILL)


def arm_toc_kill() -> None:
    """Test hook ``toc``: die just before whoosh writes a commit's table of contents."""
    from whoosh.index import TOC

    if os.environ.get(KILL_ENV) != "toc" or getattr(TOC.write, "_vanban_kill", False):
        return
    write = TOC.write

    def killing_write(self: TOC, storage: Any, indexname: str) -> None:
        if self.generation > 0:  # not the empty index create_in commits
            kill_point("toc")
        write(self, storage, indexname)

    killing_write._vanban_kill = True  # type: ignore[attr-defined]
    TOC.write = killing_write


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


def _accept_analysed_values() -> None:
    """Let every whoosh field take a value analysed ahead (:class:`indexer.index.docfields.Analysed`).

    Patched on the class, once, so schemas still pickle as plain whoosh
    fields; any other value is indexed exactly as before.
    """
    from whoosh.fields import FieldType

    from indexer.index.docfields import Analysed

    index = FieldType.index
    if getattr(index, "_vanban_analysed", False):
        return

    def index_or_copy(self: FieldType, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, Analysed):
            return value.postings
        return index(self, value, **kwargs)

    index_or_copy._vanban_analysed = True  # type: ignore[attr-defined]
    FieldType.index = index_or_copy


def speed_up_writer(writer: SegmentWriter) -> SegmentWriter:
    """Give a fresh whoosh writer vanban's in-memory posting pool and cached field lengths.

    The writer also accepts field values analysed in a worker process
    (:func:`indexer.index.docfields.analysed`). The index written is the same,
    posting for posting; only the writing process's work changes (issue 6:
    the writer was the bottleneck).
    """
    _accept_analysed_values()
    writer.pool = MemoryPostingPool()
    writer._flush_segment = types.MethodType(_flush_segment, writer)
    return writer


def read_documents(searcher: WhooshSearcher, *, extraction: bool = True) -> list[IndexedDocument]:
    """Every live document of the index, from columns only, by doc_id."""
    return [doc for doc, _ in read_columns(searcher, extraction=extraction)]


def read_columns(
    searcher: WhooshSearcher, *, extraction: bool, paths: bool = False
) -> list[tuple[IndexedDocument, str]]:
    """(document, absolute path) of every live document; whoosh columns only."""
    reader = searcher.reader()
    if reader.doc_count() == 0:  # whoosh's EmptyReader has no columns
        return []
    names = ["doc_id", "file", "rel_path", "sha256"]
    names += ["extraction"] if extraction else []
    names += ["path"] if paths else []
    columns = {name: reader.column_reader(name) for name in names}
    out = []
    for docnum in reader.all_doc_ids():
        data = columns["extraction"][docnum] if extraction else b""
        doc = IndexedDocument(
            doc_id=columns["doc_id"][docnum],
            file=columns["file"][docnum],
            rel_path=columns["rel_path"][docnum],
            sha256=columns["sha256"][docnum],
            extraction=Extraction.from_dict(json.loads(data or b"{}")),
        )
        out.append((doc, columns["path"][docnum] if paths else ""))
    return sorted(out, key=lambda dp: dp[0].doc_id)


def load_documents(index_dir: str | Path) -> list[IndexedDocument]:
    """Every indexed document with its stored extraction, by doc_id."""
    with open_index(index_dir).searcher() as searcher:
        return read_documents(searcher)
