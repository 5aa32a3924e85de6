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
import uuid
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.searching import Searcher as WhooshSearcher

from indexer.errors import IndexCorruptError, IndexMissingError
from indexer.index.schema import SCHEMA_VERSION, build_schema
from indexer.internals import whoosh_private
from indexer.messages import say, vi
from indexer.models import Extraction, IndexedDocument
from indexer.segment.segmenter import CACHE_FILE

log = logging.getLogger(__name__)

VERSION_FILE = "vanban-index.json"
# whoosh's table of contents of each commit: _MAIN_<generation>.toc
TOC_PREFIX, TOC_SUFFIX = "_MAIN_", ".toc"
# Test hook: SIGKILL this process at a named point (see kill_point).
KILL_ENV = "VANBAN_TEST_KILL_AT"
# The files and folders the index was built from, refreshed by `vanban index` with no path.
FOLDERS_FILE = "folders.json"


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
    if os.environ.get(KILL_ENV) == "toc":
        whoosh_private.call_before_toc_write(lambda: kill_point("toc"))


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


def remembered_folders(index_dir: str | Path) -> list[Path]:
    """The files and folders earlier runs indexed, in the order first given."""
    try:
        data = json.loads((Path(index_dir) / FOLDERS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    folders = data.get("folders") if isinstance(data, dict) else None
    return [Path(f) for f in folders if isinstance(f, str)] if isinstance(folders, list) else []


def _write_folders(index_dir: str | Path, folders: Iterable[Path]) -> None:
    write_json(Path(index_dir) / FOLDERS_FILE, {"folders": [str(f) for f in folders]})


def remember_folders(index_dir: str | Path, roots: Iterable[Path]) -> None:
    """Add ``roots`` to the remembered files and folders (atomically)."""
    folders = remembered_folders(index_dir)
    _write_folders(index_dir, folders + [r for r in roots if r not in folders])


def forget_folders(index_dir: str | Path, roots: Sequence[Path]) -> list[Path]:
    """Stop remembering every file and folder that is one of ``roots`` or inside one; those."""
    folders = remembered_folders(index_dir)
    gone = [f for f in folders if any(f.is_relative_to(root) for root in roots)]
    if gone:
        _write_folders(index_dir, [f for f in folders if f not in gone])
    return gone
