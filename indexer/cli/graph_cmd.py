"""``vanban implementers``, ``vanban missing`` and ``vanban graph export``.

All three read the graph that ``vanban index`` saved next to the index.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from indexer.cli import add_index_option, index_dir_of
from indexer.errors import NotFoundError, VanbanError
from indexer.graph.cascade import (
    EdgeEntry,
    NodeInfo,
    find_nodes,
    implementers,
    missing_documents,
    neighbourhood,
    node_info,
)
from indexer.graph.citation_graph import load_graph
from indexer.graph.export import FORMATS, export_graph
from indexer.messages import say, vi

log = logging.getLogger(__name__)

NOT_IN_CORPUS = "[không có trong kho / not in corpus]"
INDENT = " "
TEXT_FORMATS = ("graphml", "gexf", "json")


def register(subparsers: Any) -> None:
    """Add ``implementers``, ``missing`` and ``graph export``."""
    p = subparsers.add_parser(
        "implementers",
        help="the plans that implement a document, down the cascade",
        description="Cây các văn bản triển khai thực hiện một văn bản (theo số ký hiệu).",
    )
    p.add_argument("symbol", metavar="SYMBOL", help="số ký hiệu, e.g. 29-CT/TW, or a node id")
    p.add_argument("--depth", type=int, default=None, metavar="N", help="levels to show")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_index_option(p)
    p.set_defaults(func=run_implementers)

    p = subparsers.add_parser(
        "missing",
        help="documents most cited by the corpus but not in it",
        description="Văn bản được trích dẫn nhiều nhất nhưng chưa có trong kho.",
    )
    p.add_argument("--limit", type=int, default=20, metavar="N", help="how many (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_index_option(p)
    p.set_defaults(func=run_missing)

    graph = subparsers.add_parser("graph", help="export the citation graph")
    verbs = graph.add_subparsers(dest="graph_command", metavar="ACTION", required=True)
    p = verbs.add_parser(
        "export",
        help="write the graph as GraphML, GEXF, node-link JSON or CSV (zip)",
        description="Xuất đồ thị liên kết (toàn bộ, hoặc lân cận một văn bản).",
    )
    p.add_argument("--format", choices=list(FORMATS), default="graphml", dest="fmt")
    p.add_argument("--around", metavar="SYMBOL", help="only the neighbourhood of this document")
    p.add_argument("--depth", type=int, default=1, metavar="N", help="with --around (default 1)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    add_index_option(p)
    p.set_defaults(func=run_export)


def resolve_node(G: nx.DiGraph, key: str) -> str:
    """The best node for a symbol or node id; NotFoundError when there is none."""
    found = find_nodes(G, key)
    if not found:
        raise NotFoundError(
            say("graph.no_node", key=key),
            vi("hint.graph_no_node"),
        )
    if len(found) > 1:
        others = "; ".join(found[1:6])
        log.warning(
            "%s names %d documents; showing %s (others, by node id: %s)",
            key,
            len(found),
            found[0],
            others,
        )
    return found[0]


def describe(node: NodeInfo) -> str:
    """One line: kind symbol, issuer, date, level, and where it is."""
    # Named without a symbol: the name is the id.
    head = node.id if node.named else " ".join(x for x in (node.kind, node.symbol) if x) or node.id
    parts = [head] + [value for value in (node.issuer, node.date) if value]
    parts.append(f"[{node.level or '?'}]")
    parts.append(node.file if node.in_corpus else NOT_IN_CORPUS)
    if node.ambiguous:
        parts.append("(?)")
    return " · ".join(parts)


def print_tree(entries: Sequence[EdgeEntry], out: TextIO, prefix: str = INDENT) -> None:
    """The cascade, one document per line, drawn as a tree below its root."""
    for i, entry in enumerate(entries):
        last = i == len(entries) - 1
        relation = "" if entry.relation == "implements" else f"({entry.relation}) "
        out.write(f"{prefix}{'└─' if last else '├─'} {relation}{describe(entry.node)}\n")
        print_tree(entry.implementers or (), out, prefix + ("   " if last else "│  "))


def run_implementers(args: argparse.Namespace) -> int:
    """``vanban implementers SYMBOL``."""
    G = load_graph(index_dir_of(args))
    n = resolve_node(G, args.symbol)
    tree = implementers(G, n, depth=args.depth)
    if args.json:
        data = {
            "symbol": args.symbol,
            "node": node_info(G, n).to_json(),
            "implementers": [entry.to_json() for entry in tree],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(describe(node_info(G, n, descriptions=False)) + "\n")
    if not tree:
        sys.stdout.write(f"{INDENT}{vi('cli.no_implementers')}\n")
    print_tree(tree, sys.stdout)
    return 0


def run_missing(args: argparse.Namespace) -> int:
    """``vanban missing``."""
    G = load_graph(index_dir_of(args))
    rows = missing_documents(G, limit=args.limit)
    if args.json:
        data = {"missing": [row.to_json() for row in rows]}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    for rank, row in enumerate(rows, 1):
        sys.stdout.write(f"{rank:3d}. {row.count:3d} × {describe(row.node)}\n")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """``vanban graph export``."""
    if args.fmt not in TEXT_FORMATS and not args.output and sys.stdout.isatty():
        raise VanbanError(
            say("graph.zip_to_terminal", fmt=args.fmt),
            vi("hint.graph_output"),
        )
    G = load_graph(index_dir_of(args))
    if args.around:
        G = neighbourhood(G, resolve_node(G, args.around), args.depth)
    data = export_graph(G, args.fmt)
    if args.output:
        Path(args.output).write_bytes(data)
        log.info("wrote %s (%d nodes, %d edges)", args.output, len(G), G.number_of_edges())
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
