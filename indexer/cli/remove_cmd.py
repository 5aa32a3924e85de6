"""``vanban remove``: take documents out of the index, by doc_id or by file or folder."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from indexer.cli import add_index_option, index_dir_of
from indexer.messages import vi

HELP = "xoá văn bản khỏi chỉ mục (remove), theo mã văn bản hoặc tệp/thư mục"
DESCRIPTION = """\
Xoá văn bản khỏi chỉ mục; các tệp trên đĩa không bị đụng tới.
Remove documents from the index by doc_id, or every document under a file or
folder; the files themselves are left alone. A folder the index remembers is
forgotten, so `vanban index` no longer refreshes it. If a target names nothing
in the index, nothing is removed and the exit status is 1.
"""


def register(subparsers: Any) -> None:
    """Add ``vanban remove``."""
    parser = subparsers.add_parser(
        "remove",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("targets", nargs="+", metavar="PATH|DOC_ID", help="what to remove")
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    add_index_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Remove, print what was removed, and return the exit status."""
    from indexer.index.indexing import remove_documents

    report = remove_documents(index_dir_of(args), args.targets)
    if args.json:
        data = {
            "removed": [{"doc_id": d, "path": p} for d, p in report.removed],
            "forgotten": list(report.forgotten),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    lines = [vi("cli.removed", doc_id=d, path=p) for d, p in report.removed]
    lines += [vi("cli.forgotten", path=p) for p in report.forgotten]
    lines.append(vi("cli.remove_summary", removed=len(report.removed)))
    print("\n".join(lines), file=sys.stdout)
    return 0
