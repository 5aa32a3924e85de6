"""The ``vanban`` command line: one sub-command module per verb.

Each module under ``indexer.cli`` exposes ``register(subparsers)``, which adds
its parser and sets ``func`` to a handler ``(args) -> int``. ``main`` turns a
:class:`~indexer.errors.VanbanError` into one line on stderr and exit status 1
(``--debug`` shows the traceback instead).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from indexer.errors import VanbanError
from indexer.internals.versions import check_versions

# Sub-command modules, in the order `vanban --help` lists them.
COMMAND_MODULES = (
    "indexer.cli.index_cmd",
    "indexer.cli.remove_cmd",
    "indexer.cli.search_cmd",
    "indexer.cli.extract_cmd",
    "indexer.cli.graph_cmd",
    "indexer.cli.serve_cmd",
)

DESCRIPTION = """\
vanban: tìm kiếm và tra cứu liên kết văn bản chính sách giáo dục.
Search and cross-reference Vietnamese education-policy documents.

The index lives in var/index by default; set --index DIR or VANBAN_INDEX.
"""


def default_index_dir() -> str:
    """The index directory: $VANBAN_INDEX, else var/index under the working directory."""
    return os.environ.get("VANBAN_INDEX") or os.path.join("var", "index")


def add_index_option(parser: argparse.ArgumentParser) -> None:
    """The ``--index DIR`` option every command that reads or writes the index takes."""
    parser.add_argument(
        "--index", metavar="DIR", help="index directory (default: $VANBAN_INDEX or var/index)"
    )


def index_dir_of(args: argparse.Namespace) -> str:
    """The index directory chosen by ``--index``, else :func:`default_index_dir`."""
    return str(args.index or default_index_dir())


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="vanban",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR
        if quiet
        else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    )
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``vanban`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose, args.quiet)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        check_versions()  # the libraries whose internals vanban uses, as setup.cfg pins them
        return int(args.func(args) or 0)
    except VanbanError as err:
        if args.debug:
            raise
        print(f"vanban: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("vanban: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `vanban search … | head` closed the pipe: not an error.
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
