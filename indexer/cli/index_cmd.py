"""``vanban index``: build or update the search index (incremental by content hash)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from indexer.cli import add_index_option, index_dir_of
from indexer.errors import IndexWriteError
from indexer.index.indexing import MAX_FILE_BYTES
from indexer.messages import say, vi

SIZE_UNITS = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}

HELP = "lập chỉ mục (index) các văn bản; mặc định: cập nhật các thư mục đã lập chỉ mục"
DESCRIPTION = """\
Lập chỉ mục tìm kiếm cho các tệp .txt .md .docx .pdf .html dưới các đường dẫn.
Add every readable file under PATH to the search index. Without PATH, refresh
every file and folder indexed before (a new index starts with the bundled corpus).

Add-only: documents indexed from other folders are kept. Unchanged files (same
SHA-256) are skipped without segmenting, changed files are re-indexed, and files
deleted from the folders being indexed are removed from the index. A PATH that
does not exist or cannot be read is an error and changes nothing. A file that
cannot be read is reported with its reason and skipped; the rest is indexed.
Files over --max-bytes (default 20 MB) are refused without being read.
The citation graph is rebuilt and saved next to the index at the end.

Safe to interrupt (Ctrl-C, kill -9): the index keeps its previous content and
the next run finishes the work. A lock left by a killed run is removed.

Exit status: 0 (also with skipped files, unless --strict), 1 on error or, with
--strict, when any file could not be indexed.
"""


def register(subparsers: Any) -> None:
    """Add ``vanban index``."""
    parser = subparsers.add_parser(
        "index",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to index")
    add_index_option(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if any file could not be indexed"
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="segmentation processes (default: $VANBAN_WORKERS or one per CPU core)",
    )
    parser.add_argument(
        "--max-bytes",
        type=parse_size,
        default=MAX_FILE_BYTES,
        metavar="SIZE",
        help="refuse larger files, e.g. 5MB, 500kB, 0 = no limit (default 20MB)",
    )
    parser.set_defaults(func=run)


def parse_size(text: str) -> int:
    """A size in bytes from ``20MB``, ``500kB``, ``1.5 GB`` or ``1000`` (decimal units).

    >>> parse_size("20MB"), parse_size("500kb"), parse_size("1000")
    (20000000, 500000, 1000)
    """
    cleaned = text.strip().lower().removesuffix("b").strip()
    unit = cleaned[-1:] if cleaned[-1:] in SIZE_UNITS else ""
    try:
        value = float(cleaned.removesuffix(unit) if unit else cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 20MB, 500kB)") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 20MB, 500kB)")
    return int(value * SIZE_UNITS.get(unit, 1))


def format_report(report: Any) -> str:
    """The human summary: one line of counts, then one line per failed file."""
    lines = [
        vi(
            "cli.index_summary",
            indexed=report.indexed,
            skipped=report.skipped,
            removed=report.removed,
            failed=len(report.failed),
            seconds=report.seconds,
            segmented=report.segmented_paragraphs,
            cached=report.cached_paragraphs,
        )
    ]
    lines += [vi("cli.index_failed", path=path, reason=reason) for path, reason in report.failed]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Index, print the summary, and return the exit status."""
    from indexer.index.indexing import build_index, refresh_index
    from indexer.load.corpus import default_corpus_dir

    index_dir = index_dir_of(args)
    options: dict[str, Any] = {
        "progress": not args.quiet,
        "workers": args.workers,
        "max_bytes": args.max_bytes or None,
    }
    try:
        if args.paths:
            report = build_index(args.paths, index_dir, **options)
        else:
            report = refresh_index(index_dir, first=[default_corpus_dir()], **options)
    except OSError as err:  # the index folder, not a corpus file (those are reported)
        where = err.filename or index_dir
        raise IndexWriteError(
            say("index.write_failed", where=where, detail=err.strerror or err)
        ) from err
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    for path, reason in report.failed:
        print(vi("cli.skipped", path=path, reason=reason), file=sys.stderr)
    return 1 if args.strict and report.failed else 0
