"""``vanban serve``: the web UI under waitress, indexing the corpus first if needed.

This is what ``make serve`` runs: on a fresh clone there is no index yet, so
it is built (with a progress bar) before the server starts.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from indexer.cli import add_index_option, index_dir_of
from indexer.messages import vi

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 4
# Searchers per process: a whoosh search runs Python code under the interpreter lock,
# so more open searchers than cores buy no throughput (each holds about 1 MB and
# one open file per index segment since they stopped memory-mapping segments).
DEFAULT_SEARCHERS = 2
BACKLOG = 1024


def default_processes() -> int:
    """Server processes: ``$VANBAN_PROCESSES``, else 1."""
    env = os.environ.get("VANBAN_PROCESSES", "")
    return int(env) if env.isdigit() and int(env) > 0 else 1


def register(subparsers: Any) -> None:
    """Add ``serve`` to ``subparsers``."""
    parser = subparsers.add_parser(
        "serve",
        help="start the web UI (indexes the corpus first if the index lacks it)",
        description=(
            "Serve the web UI under waitress. If no index exists at --index, the corpus "
            "(--corpus, default: the bundled corpus) is indexed first; a corpus chosen "
            "with --corpus or $VANBAN_CORPUS is added to an existing index that lacks it."
        ),
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (%(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (%(default)s)")
    add_index_option(parser)
    parser.add_argument(
        "--corpus",
        default=None,
        help="corpus directory (default: $VANBAN_CORPUS or the bundled corpus)",
    )
    parser.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS, help="worker threads (%(default)s)"
    )
    parser.add_argument(
        "--searchers",
        type=int,
        default=DEFAULT_SEARCHERS,
        help=(
            "open index searchers per process (%(default)s, at most --threads); a search "
            "holds Python's lock, so more than the cores buys little speed"
        ),
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=default_processes(),
        help=(
            "server processes sharing the port, to use several cores (%(default)s; "
            "$VANBAN_PROCESSES); each holds its own copy of the graph"
        ),
    )
    parser.set_defaults(func=run)


def _corpus_dir(option: str | None) -> tuple[Path, bool]:
    """The corpus folder, and whether the user chose it (``--corpus``, ``$VANBAN_CORPUS``)."""
    import os

    from indexer.load.corpus import default_corpus_dir

    chosen = option or os.environ.get("VANBAN_CORPUS")
    return (Path(chosen), True) if chosen else (default_corpus_dir(), False)


def ensure_index(
    index_dir: Path, corpus_dir: Path, *, progress: bool = True, chosen: bool = False
) -> bool:
    """Index ``corpus_dir`` when ``index_dir`` has no index, or when the folder was
    ``chosen`` (``--corpus``, ``$VANBAN_CORPUS``) and the index does not hold it yet;
    True if it indexed."""
    from indexer.errors import IndexMissingError
    from indexer.index.indexing import build_index
    from indexer.index.store import open_index, remembered_folders

    try:
        open_index(index_dir)
        if not chosen or corpus_dir.resolve() in remembered_folders(index_dir):
            return False
    except IndexMissingError:
        pass
    print(vi("cli.serve_indexing", index_dir=index_dir, corpus_dir=corpus_dir), file=sys.stderr)
    report = build_index([corpus_dir], index_dir, progress=progress)
    indexed = vi(
        "cli.serve_indexed",
        indexed=report.indexed,
        failed=len(report.failed),
        seconds=report.seconds,
    )
    print(indexed, file=sys.stderr)
    for path, reason in report.failed:
        print(vi("cli.skipped", path=path, reason=reason), file=sys.stderr)
    return True


def run(args: argparse.Namespace) -> int:
    """Index if needed, then serve until interrupted."""
    import waitress

    from web import create_app

    index_dir = Path(index_dir_of(args))
    corpus_dir, chosen = _corpus_dir(args.corpus)
    ensure_index(index_dir, corpus_dir, progress=not getattr(args, "quiet", False), chosen=chosen)
    config = {
        "INDEX_DIR": str(index_dir),
        "CORPUS_DIR": str(corpus_dir),
        "SEARCHERS": max(1, min(args.searchers, args.threads)),
    }
    if args.processes > 1:
        return serve_forked(config, args.host, args.port, args.threads, args.processes)
    app = create_app(config)
    _announce(args.host, args.port)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="vanban")
    return 0


def _announce(host: str, port: int) -> None:
    shown = f"[{host}]" if ":" in host else host
    print(vi("cli.serve_ready", host=shown, port=port), file=sys.stderr)


def serve_forked(config: dict[str, Any], host: str, port: int, threads: int, processes: int) -> int:
    """``processes`` waitress servers forked over one listening socket (POSIX).

    One Python process uses one core at a time; the kernel spreads connections
    over the children. Each child opens the index and graph itself, after the
    fork, so no whoosh file is shared. SIGTERM or SIGINT to the parent stops
    every child.
    """
    import waitress

    from web import create_app

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=BACKLOG)
    bound_port = int(listener.getsockname()[1])
    children: list[int] = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                app = create_app(config)
                waitress.serve(app, sockets=[listener], threads=threads, ident="vanban")
            except KeyboardInterrupt:
                pass
            except BaseException:
                log.exception("server process %d failed", os.getpid())
                code = 1
            finally:
                os._exit(code)  # never return into the parent's loop
        children.append(pid)
    listener.close()

    def stop(signum: int, frame: Any) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _announce(host, bound_port)
    failed = 0
    for child in children:
        _, status = os.waitpid(child, 0)
        failed += os.waitstatus_to_exitcode(status) > 0
    return 1 if failed else 0
