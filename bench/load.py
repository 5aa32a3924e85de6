"""``make load``: drive a running vanban server with concurrent clients (issue 7).

32 clients for 20 s by default, mixing search (plain, accent-free, phrase),
document, cascade (``/ref?symbol=…``) and export requests. The loop is bounded
by time and by a request count and stops by itself. Targets are 127.0.0.1 only:
without ``--url`` a ``vanban serve`` is started on a free loopback port and
stopped afterwards. Reports throughput, p50/p99 and errors, and appends them to
``BENCHMARKS.md``.

    python -m bench.load                       # own server over var/index
    python -m bench.load --url http://127.0.0.1:8000 --seconds 5 --clients 8
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import measure

log = logging.getLogger(__name__)

DEFAULT_CLIENTS = 32
DEFAULT_SECONDS = 20.0
MAX_REQUESTS = 200_000
SEARCHES = [
    "giáo dục",
    '"phổ cập giáo dục"',
    "pho cap giao duc",
    "khuyến học OR khuyến tài",
    "xa hoi hoc tap",
    '"chuyển đổi số"',
    "trường chuẩn quốc gia",
    "học sinh",
]
# Share of each request kind in the mix (search dominates, as for real users).
MIX = {"search": 8, "document": 4, "cascade": 3, "export": 1}


def discover(url: str) -> tuple[list[str], list[str]]:
    """Document ids and symbols to request, read from the server's own search results."""
    doc_ids: dict[str, None] = {}
    symbols: dict[str, None] = {}
    for query in ("kế hoạch", "giáo dục", "học sinh"):
        for page in (1, 2, 3):
            target = f"{url}/search.json?" + urllib.parse.urlencode({"q": query, "page": page})
            status, body = _get_json(target)
            if status != 200:
                continue
            for hit in body.get("hits", []):
                doc_ids[str(hit["doc_id"])] = None
                if hit.get("symbol"):
                    symbols[str(hit["symbol"])] = None
    return list(doc_ids), list(symbols)


def _get_json(url: str) -> tuple[int, dict[str, Any]]:
    import urllib.request

    measure.check_loopback(url)
    try:
        with urllib.request.urlopen(url, timeout=measure.REQUEST_TIMEOUT_S) as resp:  # noqa: S310
            return int(resp.status), json.loads(resp.read())
    except (OSError, ValueError) as err:
        log.debug("GET %s: %s", url, err)
        return 0, {}


def request_mix(
    url: str, doc_ids: list[str], symbols: list[str], seed: int = 0, size: int = 2000
) -> list[tuple[str, str]]:
    """A shuffled list of ``(kind, url)`` requests in the proportions of ``MIX``."""
    rng = random.Random(seed)
    kinds = [k for k, weight in MIX.items() for _ in range(weight)]
    out = []
    for _ in range(size):
        kind = rng.choice(kinds)
        if kind == "document" and doc_ids:
            target = f"{url}/doc/{urllib.parse.quote(rng.choice(doc_ids))}.json"
        elif kind == "cascade" and symbols:
            target = f"{url}/ref.json?" + urllib.parse.urlencode({"symbol": rng.choice(symbols)})
        elif kind == "export" and symbols:
            fmt = rng.choice(["json", "graphml", "gexf", "csv"])
            params = urllib.parse.urlencode({"symbol": rng.choice(symbols), "depth": 1})
            target = f"{url}/export/graph.{fmt}?{params}"
        else:
            kind = "search"
            target = f"{url}/search.json?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
        out.append((kind, target))
    return out


def run_load(
    url: str,
    *,
    clients: int = DEFAULT_CLIENTS,
    seconds: float = DEFAULT_SECONDS,
    max_requests: int = MAX_REQUESTS,
) -> dict[str, Any]:
    """Drive ``url`` for ``seconds`` with ``clients`` threads; the summary as a dict."""
    measure.check_loopback(url)
    doc_ids, symbols = discover(url)
    requests = request_mix(url, doc_ids, symbols)
    samples, wall = measure.run_clients(
        requests, clients, seconds=seconds, cycle=True, max_requests=max_requests
    )
    errors = [s for s in samples if s.status != 200]
    by_kind = {}
    for kind in MIX:
        mine = [s.seconds for s in samples if s.label == kind]
        by_kind[kind] = {
            **measure.summary_ms(mine),
            "errors": sum(1 for s in errors if s.label == kind),
        }
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(samples),
        "throughput_rps": round(len(samples) / wall, 1) if wall else 0.0,
        **{k: v for k, v in measure.summary_ms([s.seconds for s in samples]).items() if k != "n"},
        "errors": len(errors),
        "error_statuses": sorted({s.status for s in errors}),
        "by_kind": by_kind,
        "targets": {"documents": len(doc_ids), "symbols": len(symbols)},
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.load``: print the summary and append it to the report."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", help="a running server on 127.0.0.1 (default: start one)")
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS)
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS)
    parser.add_argument("--max-requests", type=int, default=MAX_REQUESTS)
    parser.add_argument("--index", default="var/index", help="index for the own server")
    parser.add_argument("--corpus", default="corpus", help="corpus for the own server")
    parser.add_argument("--report", default="BENCHMARKS.md", help="append here ('' for none)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="load: %(message)s")
    if args.url:
        result = run_load(
            args.url.rstrip("/"),
            clients=args.clients,
            seconds=args.seconds,
            max_requests=args.max_requests,
        )
        result["server"] = args.url
    else:
        with measure.serve(Path(args.index), Path(args.corpus)) as server:
            result = run_load(
                server.url,
                clients=args.clients,
                seconds=args.seconds,
                max_requests=args.max_requests,
            )
            result["server"] = f"own vanban serve over {args.index}"
            result["rss"] = server.memory()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.report:
        from bench.report import append_load

        command = "python -m bench.load " + " ".join(sys.argv[1:] if argv is None else argv)
        append_load(result, Path(args.report), command=command.strip())
    return 1 if result["errors"] else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
