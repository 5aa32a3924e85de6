"""``vanban search``: full-text search of the index from the command line."""

from __future__ import annotations

import argparse
import html
import json
import sys
from typing import Any

from indexer.cli import add_index_option, index_dir_of
from indexer.messages import vi

HELP = "tìm kiếm (search) trong chỉ mục"
DESCRIPTION = """\
Tìm kiếm văn bản trong chỉ mục. Search the index; hits are ranked, with a snippet.

Query syntax / cú pháp:
  phổ cập giáo dục            every word must match (các từ đều phải có)
  "xóa mù chữ"                a phrase, syllables adjacent (cụm từ chính xác)
  hòa nhập OR khuyết tật      either side (một trong hai); OR joins the words
                              next to it: (hòa nhập) OR (khuyết tật)
  giáo dục -"phổ cập"         exclude (loại trừ); put `--` before a query that
                              starts with - : vanban search -- -x y
  kind:"Kế hoạch" year:2024   filters: kind, year, level, issuer
  level:tỉnh issuer:"Củ Chi"  (filter values ignore case and diacritics)

A query typed without diacritics (pho cap giao duc) searches without diacritics;
one with diacritics matches them exactly (hoà and hòa are the same), and falls
back to matching without diacritics when nothing is found. Case never matters.
"""

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
MAX_TITLE_CHARS = 160
BOLD, RESET = "\033[1;33m", "\033[0m"


def register(subparsers: Any) -> None:
    """Add ``vanban search``."""
    parser = subparsers.add_parser(
        "search",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("query", nargs="+", metavar="QUERY", help="the query (words are joined)")
    add_index_option(parser)
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="hits per page (10)")
    parser.add_argument("--page", type=int, default=1, metavar="N", help="page number (1)")
    parser.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    parser.add_argument("--json", action="store_true", help="print the hits as JSON")
    parser.set_defaults(func=run)


def terminal_snippet(snippet: str, colour: bool) -> str:
    """Snippet HTML as terminal text: matches in bold colour, or between « and ».

    >>> terminal_snippet("công tác <mark>phổ cập</mark> &lt;b&gt;", colour=False)
    'công tác «phổ cập» <b>'
    """
    opening, closing = (BOLD, RESET) if colour else ("«", "»")
    return html.unescape(snippet.replace(MARK_OPEN, opening).replace(MARK_CLOSE, closing))


def run(args: argparse.Namespace) -> int:
    """Search and print the hits."""
    from indexer.search.searcher import Searcher

    query = " ".join(args.query)
    searcher = Searcher(index_dir_of(args))
    page = searcher.search(query, page=args.page, per_page=args.limit, sort=args.sort)
    if args.json:
        hits = [
            {
                "doc_id": h.doc_id,
                "file": h.file,
                "title": h.title,
                "kind": h.kind,
                "symbol": h.symbol,
                "issuer": h.issuer,
                "date": h.date,
                "score": h.score,
                "snippet": h.snippet,
            }
            for h in page.hits
        ]
        doc = {"query": query, "total": page.total, "hits": hits}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    colour = sys.stdout.isatty()
    folded = vi("cli.search_folded") if page.folded else ""
    print(
        vi(
            "cli.search_header",
            total=page.total,
            query=query,
            folded=folded,
            page=page.page,
            pages=page.pages,
        )
    )
    for n, hit in enumerate(page.hits, start=(page.page - 1) * page.per_page + 1):
        meta = " · ".join(x for x in (hit.kind, hit.symbol, hit.date, hit.issuer) if x)
        title = hit.title or hit.file
        if len(title) > MAX_TITLE_CHARS:
            title = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + " …"
        print(f"\n{n}. {title}")
        print(f"   {meta} · {hit.file}" if meta else f"   {hit.file}")
        print(f"   {terminal_snippet(hit.snippet, colour)}")
    return 0
