"""``vanban serve``: the web UI under waitress, indexing the bundled corpus first if needed.

This is what ``make serve`` runs: on a fresh clone there is no index yet, so
it is built (with a progress bar) before the server starts.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 4


def register(subparsers: Any) -> None:
    """Add ``serve`` to ``subparsers``."""
    from indexer.cli import default_index_dir

    parser = subparsers.add_parser(
        "serve",
        help="start the web UI (builds the index first if there is none)",
        description=(
            "Serve the web UI under waitress. If no index exists at --index, the corpus "
            "(--corpus, default: the bundled corpus) is indexed first."
        ),
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (%(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (%(default)s)")
    parser.add_argument(
        "--index", default=default_index_dir(), help="index directory (%(default)s; $VANBAN_INDEX)"
    )
    parser.add_argument(
        "--corpus",
        default=None,
        help="corpus directory (default: $VANBAN_CORPUS or the bundled corpus)",
    )
    parser.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS, help="worker threads (%(default)s)"
    )
    parser.set_defaults(func=run)


def _corpus_dir(option: str | None) -> Path:
    import os

    from indexer.corpus import default_corpus_dir

    chosen = option or os.environ.get("VANBAN_CORPUS")
    return Path(chosen) if chosen else default_corpus_dir()


def ensure_index(index_dir: Path, corpus_dir: Path, *, progress: bool = True) -> bool:
    """Build the index over ``corpus_dir`` when ``index_dir`` has none; True if built."""
    from indexer.errors import IndexMissingError
    from indexer.indexing import build_index, open_index

    try:
        open_index(index_dir)
        return False
    except IndexMissingError:
        pass
    print(
        f"vanban: chưa có chỉ mục tại {index_dir}; đang lập chỉ mục {corpus_dir} …", file=sys.stderr
    )
    report = build_index([corpus_dir], index_dir, progress=progress)
    print(
        f"vanban: đã lập chỉ mục {report.indexed} văn bản, lỗi {len(report.failed)}"
        f" ({report.seconds:.1f} s)",
        file=sys.stderr,
    )
    for path, reason in report.failed:
        print(f"vanban: bỏ qua {path}: {reason}", file=sys.stderr)
    return True


def run(args: argparse.Namespace) -> int:
    """Index if needed, then serve until interrupted."""
    import waitress

    from web import create_app

    index_dir = Path(args.index)
    corpus_dir = _corpus_dir(args.corpus)
    ensure_index(index_dir, corpus_dir, progress=not getattr(args, "quiet", False))
    app = create_app(
        {"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus_dir), "SEARCHERS": args.threads}
    )
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"vanban: giao diện web tại http://{host}:{args.port}/ (Ctrl+C để dừng)", file=sys.stderr)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="vanban")
    return 0
