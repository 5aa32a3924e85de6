"""``vanban extract``: print the references found in files, as gold JSON or full extractions."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from indexer.extract.extractor import extract
from indexer.gold import to_gold
from indexer.load.corpus import doc_id_for, iter_corpus
from indexer.messages import vi
from indexer.models import FailedFile

HELP = "trích xuất tham chiếu (extract references) từ tệp văn bản"
DESCRIPTION = """\
Trích xuất số ký hiệu, quan hệ và chuỗi thực hiện từ các tệp văn bản.
Extract identity, references, relations and chains from every readable file
under the given paths, and print one JSON list on stdout.

  --format gold   the GOLD-SPEC shape (file = base name), as scored by
                  ../shared/eval/score.py
  --format json   full extractions: spans, evidence sentences, mentions,
                  plus file and doc_id

Files that cannot be read are reported on stderr with their reason; the
others are still extracted.
"""
FORMATS = ("gold", "json")


def register(subparsers: Any) -> None:
    """Add ``vanban extract``."""
    parser = subparsers.add_parser(
        "extract",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to read")
    parser.add_argument("--format", choices=FORMATS, default="gold", help="output shape (gold)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Extract every readable file under ``args.paths`` and print the JSON list."""
    out: list[dict[str, Any]] = []
    failed = 0
    for item in iter_corpus(args.paths):
        if isinstance(item, FailedFile):
            failed += 1
            print(vi("cli.extract_skipped", path=item.path, reason=item.reason), file=sys.stderr)
            continue
        extraction = extract(item.text)
        if args.format == "gold":
            out.append(to_gold(item.file, extraction))
        else:
            out.append(
                {"file": item.file, "doc_id": doc_id_for(item.rel_path), **extraction.to_dict()}
            )
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 1 if failed and not out else 0
