"""Interrupted and concurrent indexing (issue 7): SIGKILL at any point, stale locks,
searches during a re-index, a damaged index or graph.

`vanban index` runs in a subprocess that kills itself with a real SIGKILL at a
named point (the test hook ``$VANBAN_TEST_KILL_AT``, see ``indexing._kill_point``).
Every case re-indexes, most in one or two subprocesses (seconds each): the module
is ``slow``, run by ``make test`` and CI but not by ``make test-fast``.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from whoosh.index import LockError

from indexer.cli import main
from indexer.errors import IndexLockedError
from indexer.graph import citation_graph as graphlib
from indexer.index.indexing import build_index
from indexer.index.store import KILL_ENV, load_documents, open_index
from indexer.index.writelock import LOCK_INFO_FILE, STALE_MESSAGE, open_writer, read_holder
from indexer.search.searcher import Searcher
from tests.conftest import copy_seed_corpus

pytestmark = pytest.mark.slow

QUERIES = ("phổ cập giáo dục", '"xóa mù chữ"', "an toan", "hòa nhập OR 29-CT/TW", "thủ thư")
EXTRA = {
    "ke-hoach-thu-vien.txt": "KẾ HOẠCH\nPhát triển văn hóa đọc và bồi dưỡng thủ thư trường học\n"
    "Thực hiện Chỉ thị số 29-CT/TW ngày 05/01/2024 của Bộ Chính trị\n",
    "bao-cao.txt": "BÁO CÁO\nKết quả phổ cập giáo dục mầm non năm 2024\n",
    "cong-van.txt": "CÔNG VĂN\nVề việc tuyên truyền xóa mù chữ cho người lớn\n",
}


def edit_corpus(corpus: Path) -> None:
    """The second version of a corpus: two files changed, three added, one removed."""
    for name in ("000_483593662cc2f1b9.txt", "004_8af12c4f00c65269.txt"):
        path = corpus / name
        path.write_text(path.read_text(encoding="utf-8") + "\nBồi dưỡng thủ thư\n", "utf-8")
    for name, text in EXTRA.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "001_390e6e42b23c01ee.txt").unlink()


def state(index_dir: Path) -> dict[str, Any]:
    """What a user can observe: documents and hashes, search results, the graph."""
    searcher = Searcher(index_dir)
    try:
        found = {
            q: sorted(h.doc_id for h in searcher.search(q, per_page=100).hits) for q in QUERIES
        }
        docs = sorted((d.doc_id, d.sha256) for d in searcher.documents())
    finally:
        searcher.close()
    graph = graphlib.load_graph(index_dir)
    return {
        "docs": docs,
        "found": found,
        "nodes": sorted(graph.nodes(data=True)),
        "edges": sorted((u, v, sorted(d.items())) for u, v, d in graph.edges(data=True)),
    }


def run_index(corpus: Path, index_dir: Path, *, kill_at: str | None, workers: int = 1) -> int:
    env = {**os.environ, "VANBAN_WORKERS": str(workers)}
    env.pop(KILL_ENV, None)
    if kill_at:
        env[KILL_ENV] = kill_at
    command = [sys.executable, "-m", "indexer.cli", "-q", "index", str(corpus)]
    done = subprocess.run(
        [*command, "--index", str(index_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in done.stderr
    return done.returncode


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Corpus v1 and v2, and the states of uninterrupted runs: v1, then v1 -> v2."""
    root = tmp_path_factory.mktemp("versions")
    v1, v2 = copy_seed_corpus(root / "v1"), copy_seed_corpus(root / "v2")
    edit_corpus(v2)
    index_dir = root / "index"
    build_index([v1], index_dir, progress=False)
    old = state(index_dir)
    # The same folder indexed again with v2's files: what an uninterrupted re-index gives.
    corpus = copy_seed_corpus(root / "corpus")
    build_index([corpus], root / "index2", progress=False)
    edit_corpus(corpus)
    build_index([corpus], root / "index2", progress=False)
    return {"v1": v1, "v2": v2, "old": old, "new": state(root / "index2"), "root": root}


def _reindex_setup(tmp_path: Path, versions: dict[str, Any]) -> tuple[Path, Path]:
    """A corpus folder indexed at v1, then edited to v2 (not yet re-indexed)."""
    corpus = copy_seed_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, progress=False)
    edit_corpus(corpus)
    return corpus, index_dir


@pytest.mark.parametrize(
    ("kill_at", "sees"),
    [
        ("doc:1", "old"),
        ("doc:4", "old"),
        ("toc", "old"),  # segments written, commit not
        ("commit", "new-docs"),  # index committed, graph still the old one
        ("graph", "new"),  # graph saved, its stamp not
    ],
)
def test_killed_reindex_leaves_a_working_index_and_the_next_run_finishes(
    kill_at: str, sees: str, tmp_path: Path, versions: dict[str, Any]
) -> None:
    corpus, index_dir = _reindex_setup(tmp_path, versions)
    assert run_index(corpus, index_dir, kill_at=kill_at) == -signal.SIGKILL
    after_kill = state(index_dir)  # opens and answers queries
    expected = versions["new" if sees == "new" else "old"]
    if sees == "new-docs":
        assert (after_kill["docs"], after_kill["found"]) == (
            versions["new"]["docs"],
            versions["new"]["found"],
        )
        assert after_kill["nodes"] == versions["old"]["nodes"]
    else:
        assert after_kill == expected
    assert run_index(corpus, index_dir, kill_at=None) == 0
    assert state(index_dir) == versions["new"]


@pytest.mark.parametrize("kill_at", ["doc:2", "toc", "commit", "graph"])
def test_killed_first_run_then_a_full_run(
    kill_at: str, tmp_path: Path, versions: dict[str, Any]
) -> None:
    corpus = copy_seed_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    assert run_index(corpus, index_dir, kill_at=kill_at) == -signal.SIGKILL
    searcher = Searcher(index_dir)  # the empty index (or the new one) answers
    try:
        total = searcher.search("phổ cập giáo dục").total
    finally:
        searcher.close()
    assert total == (
        len(versions["old"]["found"]["phổ cập giáo dục"]) if kill_at in ("commit", "graph") else 0
    )
    assert run_index(corpus, index_dir, kill_at=None) == 0
    assert state(index_dir) == versions["old"]


def _processes_mentioning(text: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if text in cmdline:
                pids.append(int(entry.name))
    return pids


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="waits on pidfds (Linux)")
def test_workers_of_a_killed_run_exit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = copy_seed_corpus(tmp_path / "corpus")
    for n in range(12):  # enough documents to start the worker pool
        (corpus / f"them-{n}.txt").write_text(f"KẾ HOẠCH {n}\nPhổ cập giáo dục {n}\n", "utf-8")
    index_dir = tmp_path / "index"
    assert run_index(corpus, index_dir, kill_at="doc:10", workers=2) == -signal.SIGKILL
    for pid in _processes_mentioning(str(index_dir)):
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:  # readable once the process has exited
            assert select.select([fd], [], [], 10)[0], f"worker {pid} outlived its parent"
        finally:
            os.close(fd)
    assert run_index(corpus, index_dir, kill_at=None, workers=2) == 0
    assert len(load_documents(index_dir)) == 17


# -- the write lock -------------------------------------------------------------


def test_note_of_a_killed_writer_is_cleared_with_a_message(
    tmp_path: Path, versions: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    corpus, index_dir = _reindex_setup(tmp_path, versions)
    assert run_index(corpus, index_dir, kill_at="doc:1") == -signal.SIGKILL
    holder = read_holder(index_dir)
    assert holder is not None
    with caplog.at_level(logging.WARNING, logger="indexer.index.writelock"):
        build_index([corpus], index_dir, progress=False)
    assert STALE_MESSAGE.format(pid=holder["pid"]) in caplog.messages
    assert not (index_dir / LOCK_INFO_FILE).exists()
    assert state(index_dir) == versions["new"]


def test_note_of_a_live_process_without_the_lock_is_replaced_silently(
    tmp_path: Path, versions: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A writer between releasing the lock and removing its note is not "stale"."""
    corpus, index_dir = _reindex_setup(tmp_path, versions)
    note = {"pid": os.getppid(), "since": 0}  # alive, but not holding the lock
    (index_dir / LOCK_INFO_FILE).write_text(json.dumps(note), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="indexer.index.writelock"):
        build_index([corpus], index_dir, progress=False)
    assert caplog.messages == []
    assert not (index_dir / LOCK_INFO_FILE).exists()


# A writer that forks a child inheriting the locked descriptor, then dies: the
# lock stays held by the child, as by a pool worker that outlived its parent.
ORPHAN_HOLDER = textwrap.dedent(
    """
    import os, signal, sys
    from indexer.index.store import open_index
    from indexer.index.writelock import open_writer
    writer = open_writer(open_index(sys.argv[1]), sys.argv[1])
    if os.fork() == 0:
        sys.stdin.read()  # hold the lock until the test closes our stdin
        os._exit(0)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_lock_held_for_a_dead_writer_is_broken(
    tmp_path: Path, versions: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    corpus, index_dir = _reindex_setup(tmp_path, versions)
    holder = subprocess.Popen(
        [sys.executable, "-c", ORPHAN_HOLDER, str(index_dir)], stdin=subprocess.PIPE
    )
    try:
        assert holder.wait(timeout=60) == -signal.SIGKILL
        with pytest.raises(LockError):  # the lock is really held
            open_index(index_dir).writer().cancel()
        with caplog.at_level(logging.WARNING, logger="indexer.index.writelock"):
            report = build_index([corpus], index_dir, progress=False)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()  # the orphaned child exits
    assert STALE_MESSAGE.format(pid=holder.pid) in caplog.messages
    assert report.indexed == 5
    assert state(index_dir) == versions["new"]


def test_lock_of_a_live_writer_is_respected(tmp_path: Path, versions: dict[str, Any]) -> None:
    corpus, index_dir = _reindex_setup(tmp_path, versions)
    writer = open_writer(open_index(index_dir), index_dir)  # this (live) process holds it
    try:
        with pytest.raises(IndexLockedError, match=f"tiến trình {os.getpid()}"):
            build_index([corpus], index_dir, progress=False)
    finally:
        writer.cancel()
    assert state(index_dir) == versions["old"]


# -- searching while indexing -----------------------------------------------------


def test_searches_during_a_reindex_succeed_and_refresh_sees_it(
    tmp_path: Path, versions: dict[str, Any]
) -> None:
    corpus, index_dir = _reindex_setup(tmp_path, versions)
    searcher = Searcher(index_dir)
    old, new = versions["old"]["found"], versions["new"]["found"]
    seen: list[list[str]] = []
    indexer_thread = threading.Thread(
        target=build_index, args=([corpus], index_dir), kwargs={"progress": False}
    )
    try:
        indexer_thread.start()
        while indexer_thread.is_alive() or not seen:
            fresh = Searcher(index_dir)  # opened at any moment of the re-index
            try:
                ids = sorted(h.doc_id for h in fresh.search("thủ thư", per_page=100).hits)
            finally:
                fresh.close()
            assert ids in (old["thủ thư"], new["thủ thư"])
            seen.append(ids)
            kept = sorted(h.doc_id for h in searcher.search("thủ thư", per_page=100).hits)
            assert kept == old["thủ thư"]  # the searcher opened before keeps its view
        indexer_thread.join()
        assert searcher.refresh() is True
        assert sorted(h.doc_id for h in searcher.search("thủ thư").hits) == new["thủ thư"]
        assert searcher.refresh() is False
    finally:
        searcher.close()


# -- damaged files ----------------------------------------------------------------


def _garble_toc(index_dir: Path) -> None:
    toc = max(index_dir.glob("_MAIN_*.toc"))
    toc.write_bytes(toc.read_bytes()[:20])


def _truncate_segment(index_dir: Path) -> None:
    for segment in index_dir.glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:1000])


def _delete_segment(index_dir: Path) -> None:
    for segment in index_dir.glob("*.seg"):
        segment.unlink()


@pytest.mark.parametrize("damage", [_garble_toc, _truncate_segment, _delete_segment])
def test_damaged_index_gives_one_line_and_vanban_index_repairs_it(
    damage: Any, tmp_path: Path, versions: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = copy_seed_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, progress=False)
    damage(index_dir)
    capsys.readouterr()
    assert main(["search", "phổ cập", "--index", str(index_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert f"`vanban index --index {index_dir}`" in err
    assert main(["-q", "index", str(corpus), "--index", str(index_dir)]) == 0
    assert state(index_dir) == versions["old"]


def test_damaged_graph_gives_one_line_and_vanban_index_repairs_it(
    tmp_path: Path, versions: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = copy_seed_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, progress=False)
    pickle_file = index_dir / graphlib.GRAPH_FILE
    pickle_file.write_bytes(pickle_file.read_bytes()[:100])
    capsys.readouterr()
    assert main(["implementers", "29-CT/TW", "--index", str(index_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert f"`vanban index --index {index_dir}`" in err
    report = build_index([corpus], index_dir, progress=False)
    assert report.indexed == 0  # the documents were fine; only the graph is rebuilt
    assert state(index_dir) == versions["old"]
