"""The index write lock: whoosh's OS-level lock plus a note of which process holds it.

whoosh locks ``MAIN_WRITELOCK`` with ``flock``, which the kernel releases when
the holder dies, so a SIGKILLed ``vanban index`` normally leaves no lock. It can
still leave one held by a process that inherited the descriptor (a forked child
that outlived it). To tell a live writer from such a leftover, the writer
records its PID in ``writer.lock.json`` while it holds the lock:

- lock taken, a note of another process left behind: the note is stale
  (its process was killed); it is replaced and the recovery logged;
- lock busy, the noted process alive: :class:`IndexLockedError` naming it;
- lock busy, the noted process gone: the lock is broken (the lock file is
  replaced, so the leftover holder no longer blocks anyone) and logged.

A lock busy without a note belongs to something else; it is never broken.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from pathlib import Path
from typing import Any

from whoosh.index import Index, LockError
from whoosh.writing import SegmentWriter

from indexer.errors import IndexLockedError
from indexer.messages import CATALOGUE, say

log = logging.getLogger(__name__)

LOCK_INFO_FILE = "writer.lock.json"
WHOOSH_LOCK_FILE = "MAIN_WRITELOCK"
STALE_MESSAGE = CATALOGUE["index.stale_lock_removed"].vi  # tests match the warning


def is_process_alive(pid: int) -> bool:
    """True when a process with this PID runs on this machine (zombies count as gone).

    >>> is_process_alive(os.getpid())
    True
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    except OSError:
        return False
    try:  # Linux: a killed but not yet reaped child is a zombie, not a writer
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def read_holder(index_dir: str | Path) -> dict[str, Any] | None:
    """The note left by the process that holds (or held) the write lock, if any."""
    try:
        data = json.loads((Path(index_dir) / LOCK_INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
        return None
    return data


def _is_ours(holder: dict[str, Any]) -> bool:
    """Same host (a PID means nothing on another machine sharing the folder)."""
    return holder.get("host") in (None, socket.gethostname())


def _is_stale(holder: dict[str, Any]) -> bool:
    """A note of another process that is gone (or of another machine)."""
    if holder["pid"] == os.getpid():
        return False
    return not _is_ours(holder) or not is_process_alive(holder["pid"])


def _write_note(index_dir: Path) -> None:
    note = {"pid": os.getpid(), "host": socket.gethostname(), "since": round(time.time())}
    tmp = index_dir / f".{LOCK_INFO_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(note), encoding="utf-8")
    os.replace(tmp, index_dir / LOCK_INFO_FILE)


def open_writer(ix: Index, index_dir: str | Path) -> SegmentWriter:
    """Take the write lock of ``ix`` and return its writer, recovering a stale lock.

    Raises:
        IndexLockedError: another live process is writing the index.
    """
    index_dir = Path(index_dir)
    holder = read_holder(index_dir)
    try:
        writer = ix.writer()
    except LockError as err:
        pid = holder["pid"] if holder else None
        if holder is None or not _is_ours(holder) or is_process_alive(holder["pid"]):
            if pid:
                raise IndexLockedError(
                    say("index.locked_by", index_dir=index_dir, pid=pid)
                ) from err
            raise IndexLockedError(say("index.locked", index_dir=index_dir)) from err
        if read_holder(index_dir) != holder:  # a new writer just wrote its note
            raise IndexLockedError(say("index.locked", index_dir=index_dir)) from err
        log.warning(say("index.stale_lock_removed", pid=pid))
        (index_dir / WHOOSH_LOCK_FILE).unlink(missing_ok=True)
        try:
            writer = ix.writer()
        except LockError as again:
            raise IndexLockedError(say("index.locked", index_dir=index_dir)) from again
    else:
        # Read again now that the lock is ours: a writer that just finished
        # removed its note, one that was killed left it.
        holder = read_holder(index_dir)
        if holder is not None and _is_stale(holder):
            log.warning(say("index.stale_lock_removed", pid=holder["pid"]))
    _write_note(index_dir)
    return writer


def release_note(index_dir: str | Path) -> None:
    """Remove this process's note, just before its writer commits or cancels.

    Before, not after: once the lock is released another writer may have
    written its own note.
    """
    holder = read_holder(index_dir)
    if holder is not None and holder["pid"] == os.getpid():
        (Path(index_dir) / LOCK_INFO_FILE).unlink(missing_ok=True)
