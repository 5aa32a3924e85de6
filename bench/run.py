"""``make bench``: every figure of issue 6 measured in one run, side by side.

Generates a synthetic corpus (``bench.synth``), then measures: single-process
underthesea segmentation of the same texts (the baseline), full index time,
re-index unchanged and after 1 % of the files changed, query latency p50/p95
for five query types in-process and over HTTP (8 clients against ``vanban
serve`` on 127.0.0.1), ``grep -rlF`` for the same phrase, serve RSS, graph
build and export time per format, and the extracted graph against the known
tree (precision/recall). Writes ``bench/results.json`` and ``BENCHMARKS.md``.

    python -m bench.run              # N = 2000 (+ the large phrase part if it fits)
    python -m bench.run --quick      # N = 200
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import measure
from bench.graphs import graph_correctness, graph_phase
from bench.load import run_load
from bench.report import GREP_PHRASE, write_report
from bench.synth import SyntheticCorpus, generate_corpus
from bench.synth_text import Places, paragraph

log = logging.getLogger(__name__)

DEFAULT_DOCS = 2000
QUICK_DOCS = 200
LOAD_SECONDS = 20.0
QUICK_LOAD_SECONDS = 3.0
PHRASE_DOCS = 10_000
BUDGET_S = 15 * 60
CHANGED_SHARE = 0.01
# Texts whose every paragraph is segmented both ways and compared.
AGREEMENT_SAMPLE = 50
# Texts vanban's segmenter and the extraction are timed on, next to word_tokenize.
SAMPLE_TEXTS = 500
# Five query types (issue 6); the first phrase is the one compared with grep.
QUERIES: dict[str, list[tuple[str, dict[str, str]]]] = {
    "term": [("khuyến học", {}), ("ngoại ngữ", {}), ("bạo lực", {}), ("chuyển đổi", {})],
    "phrase": [(f'"{GREP_PHRASE}"', {}), ('"xã hội học tập"', {}), ('"trường chuẩn quốc gia"', {})],
    "accent_free": [("pho cap giao duc", {}), ("xa hoi hoc tap", {}), ("bao luc hoc duong", {})],
    "or": [
        ("khuyến học OR khuyến tài", {}),
        ("mầm non OR tiểu học", {}),
        ("STEM OR ngoại ngữ", {}),
    ],
    "filtered": [
        ("giáo dục", {"kind": "Kế hoạch", "level": "huyện"}),
        ("học sinh", {"level": "tỉnh"}),
        ("chuyển đổi số", {"kind": "Kế hoạch"}),
    ],
}


def segmentation_baseline(texts: Sequence[str]) -> dict[str, Any]:
    """underthesea ``word_tokenize`` over every text in this one process.

    vanban's own segmenter and the reference extraction are timed on the first
    :data:`SAMPLE_TEXTS` texts only and compared with word_tokenize's time on
    those same texts (they are reported figures, not targets; the bench must
    leave time for the N = 10,000 part).
    """
    load_s, word_tokenize = measure.timed(_load_underthesea)
    word_tokenize("Khởi động mô hình.")
    chars = sum(len(t) for t in texts)
    per_text = [measure.timed(word_tokenize, t)[0] for t in texts]
    seconds = sum(per_text)
    sample = texts[:SAMPLE_TEXTS]
    # Reference extraction of the same texts, also in one process: the other CPU
    # cost of indexing, which parallel indexing should hide behind segmentation.
    from indexer.extract.extractor import extract

    extract_s, _ = measure.timed(lambda: [extract(t) for t in sample])
    return {
        "docs": len(texts),
        "chars": chars,
        "seconds": round(seconds, 2),
        "chars_per_s": round(chars / seconds),
        "model_load_s": round(load_s, 2),
        "sample_docs": len(sample),
        "sample_s": round(sum(per_text[: len(sample)]), 2),
        "extract_sample_s": round(extract_s, 2),
        "vanban": vanban_segmentation(sample, word_tokenize),
    }


def vanban_segmentation(texts: Sequence[str], word_tokenize: Any) -> dict[str, Any]:
    """vanban's segmenter (underthesea's model, own decoder) over the same texts, 1 process.

    No persistent paragraph cache (a fresh in-memory one per text), so this is
    the decoder's speed; then its words are compared with underthesea's
    ``word_tokenize`` on every paragraph of the first texts.
    """
    from indexer.segment.segmenter import Segmenter, align_words, load_model, syllable_spans

    load_s, _ = measure.timed(load_model)
    seconds, _ = measure.timed(lambda: [Segmenter().segment(t) for t in texts])
    same = compared = 0
    for text in texts[:AGREEMENT_SAMPLE]:
        ours = Segmenter().segment  # paragraph by paragraph, as indexing does
        for line in text.split("\n"):
            spans = syllable_spans(line)
            if not spans:
                continue
            theirs = align_words([line[a:b] for a, b in spans], word_tokenize(line))
            same += list(ours(line).groups) == theirs
            compared += 1
    return {
        "docs": len(texts),
        "seconds": round(seconds, 2),
        "model_load_s": round(load_s, 2),
        "paragraphs_compared": compared,
        "paragraphs_identical": same,
    }


def _load_underthesea() -> Any:
    from underthesea import word_tokenize

    return word_tokenize


def index_phases(
    corpus: SyntheticCorpus, corpus_dir: Path, index_dir: Path, seed: int
) -> dict[str, Any]:
    """Full index, re-index unchanged, re-index after 1 % changed."""
    from indexer.index.indexing import build_index

    shutil.rmtree(index_dir, ignore_errors=True)
    out: dict[str, Any] = {}
    for phase in ("full", "unchanged", "changed_1pct"):
        if phase == "changed_1pct":
            out["changed_files"] = _change_files(corpus, corpus_dir, seed)
        own_before, workers_before = _cpu_seconds()
        seconds, report = measure.timed(
            lambda: build_index([corpus_dir], index_dir, progress=False)
        )
        own_after, workers_after = _cpu_seconds()
        data = report.to_dict()
        data["wall_s"] = round(seconds, 2)
        # CPU seconds of this process (reading, writing the index) and of the reaped
        # worker processes (segmentation): their sum per wall second is ~1 when one
        # core did the work and ~2 when both cores were busy.
        data["main_cpu_s"] = round(own_after - own_before, 1)
        data["workers_cpu_s"] = round(workers_after - workers_before, 1)
        data["cpu_per_wall"] = (
            round((data["main_cpu_s"] + data["workers_cpu_s"]) / seconds, 2) if seconds else None
        )
        data["failed"] = data["failed"][:5]
        looked_up = report.segmented_paragraphs + report.cached_paragraphs
        data["cache_hit_rate"] = (
            round(report.cached_paragraphs / looked_up, 3) if looked_up else None
        )
        out[phase] = data
        log.info("index %s: %.1f s (%d indexed)", phase, seconds, report.indexed)
    return out


def bundled_cache(work: Path) -> dict[str, Any]:
    """Segmentation cache hit rate when indexing the bundled corpus from scratch (issue 6.3)."""
    from indexer.index.indexing import build_index
    from indexer.load.corpus import default_corpus_dir

    index_dir = work / "index-bundled"
    shutil.rmtree(index_dir, ignore_errors=True)
    report = build_index([default_corpus_dir()], index_dir, progress=False)
    looked_up = report.segmented_paragraphs + report.cached_paragraphs
    return {
        "indexed": report.indexed,
        "seconds": report.seconds,
        "paragraphs": looked_up,
        "cache_hit_rate": round(report.cached_paragraphs / looked_up, 3) if looked_up else None,
    }


def _cpu_seconds() -> tuple[float, float]:
    """User + system CPU seconds of this process, and of its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _change_files(corpus: SyntheticCorpus, corpus_dir: Path, seed: int) -> int:
    """Append a new paragraph to 1 % of the files (relations unchanged)."""
    rng = random.Random(seed + 1)
    count = max(1, round(len(corpus.docs) * CHANGED_SHARE))
    places = Places("Quảng Nam", "Điện Bàn", "Điện Hòa", "Lê Lợi")
    for doc in rng.sample(list(corpus.docs), count):
        path = corpus_dir / doc.file
        path.write_text(doc.text + "\n" + paragraph(rng, places) + "\n", encoding="utf-8")
    return count


def query_latency(index_dir: Path, repeat: int) -> dict[str, Any]:
    """In-process p50/p95 per query type (first run of each query not counted)."""
    from indexer.search.searcher import Searcher

    rss_before = measure.proc_memory_mb(os.getpid()).get("vmrss_mb", 0.0)
    searcher = Searcher(index_dir)
    out: dict[str, Any] = {}
    for kind, queries in QUERIES.items():
        times: list[float] = []
        totals = []
        for query, filters in queries:
            page = searcher.search(query, filters=filters, per_page=10)
            totals.append(page.total)
            for _ in range(repeat):
                seconds, _ = measure.timed(searcher.search, query, filters=filters, per_page=10)
                times.append(seconds)
        out[kind] = {**measure.summary_ms(times), "hits": totals}
    main = f'"{GREP_PHRASE}"'
    times = [measure.timed(lambda: searcher.search(main, per_page=10))[0] for _ in range(repeat)]
    first = searcher.search(main, per_page=10)
    # The same query showing one hit: how much of the time the ten snippets take.
    one = [measure.timed(searcher.search, main, per_page=1)[0] for _ in range(repeat)]
    out["grep_phrase_1_hit"] = measure.summary_ms(one)
    out["grep_phrase"] = {
        **measure.summary_ms(times),
        "hits": first.total,
        "snippets": sum(1 for h in first.hits if "<mark>" in (h.snippet or "")),
    }
    # What one searcher holds once it has answered every query type (the server
    # keeps one per concurrently served request).
    rss_after = measure.proc_memory_mb(os.getpid()).get("vmrss_mb", 0.0)
    out["searcher_mb"] = round(rss_after - rss_before, 1)
    searcher.close()
    return out


def grep_time(corpus_dir: Path, repeat: int = 7) -> dict[str, Any]:
    """``grep -rlF`` of the phrase over the raw files (warm cache: first run not counted)."""
    cmd = ["grep", "-rlF", GREP_PHRASE, str(corpus_dir)]
    subprocess.run(cmd, capture_output=True, check=False)  # noqa: S603
    times, files = [], 0
    for _ in range(repeat):
        seconds, done = measure.timed(lambda: subprocess.run(cmd, capture_output=True, check=False))
        times.append(seconds)
        files = len(done.stdout.splitlines())
    return {**measure.summary_ms(times), "files": files}


def http_phase(
    index_dir: Path,
    corpus_dir: Path,
    *,
    per_type: int,
    clients: int,
    load_seconds: float,
    work: Path,
) -> dict[str, Any]:
    """HTTP latency per query type with ``clients`` clients, serve RSS, then the load run."""
    out: dict[str, Any] = {"clients": clients}
    with measure.serve(index_dir, corpus_dir, log_path=work / "serve.log") as server:
        out["rss_idle"] = server.memory()
        requests = []
        for kind, queries in QUERIES.items():
            for i in range(per_type):
                query, filters = queries[i % len(queries)]
                params = urllib.parse.urlencode({"q": query, **filters})
                requests.append((kind, f"{server.url}/search.json?{params}"))
        random.Random(0).shuffle(requests)
        samples, wall = measure.run_clients(requests, clients)
        for kind in QUERIES:
            mine = [s for s in samples if s.label == kind]
            out[kind] = {
                **measure.summary_ms([s.seconds for s in mine]),
                "errors": sum(1 for s in mine if s.status != 200),
            }
        out["wall_s"] = round(wall, 2)
        out["rss_after_queries"] = server.memory()
        if load_seconds > 0:
            out["load"] = run_load(server.url, clients=32, seconds=load_seconds)
        out["rss_after_load"] = server.memory()
    return out


def large_phrase_phase(n: int, seed: int, work: Path, repeat: int) -> dict[str, Any]:
    """Index ``n`` documents, then phrase p95 vs grep and serve RSS at that size."""
    from indexer.index.indexing import build_index

    corpus = generate_corpus(n, seed)
    corpus_dir, index_dir = work / f"corpus-{n}", work / f"index-{n}"
    shutil.rmtree(corpus_dir, ignore_errors=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    corpus.write(corpus_dir)
    seconds, report = measure.timed(lambda: build_index([corpus_dir], index_dir, progress=False))
    out: dict[str, Any] = {"docs": n, "index_s": round(seconds, 1), "indexed": report.indexed}
    # Peak resident memory of this process, which wrote the index (ru_maxrss is in kB).
    out["index_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["queries"] = query_latency(index_dir, repeat)
    out["grep"] = grep_time(corpus_dir)
    with measure.serve(index_dir, corpus_dir, log_path=work / f"serve-{n}.log") as server:
        url = f"{server.url}/search.json?" + urllib.parse.urlencode({"q": f'"{GREP_PHRASE}"'})
        samples, _ = measure.run_clients([("phrase", url)] * 40, 8)
        out["http_phrase"] = measure.summary_ms([s.seconds for s in samples])
        out["rss"] = server.memory()
    out["graph"] = graph_phase(index_dir)
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    n = QUICK_DOCS if args.quick and not args.docs else (args.docs or DEFAULT_DOCS)
    work = Path(args.work).resolve()
    corpus_dir, index_dir = work / f"corpus-{n}", work / f"index-{n}"
    results: dict[str, Any] = {
        "docs": n,
        "seed": args.seed,
        "quick": bool(args.quick),
        "command": "python -m bench.run " + " ".join(args.argv),
    }
    results["loadavg_start"] = [round(x, 2) for x in os.getloadavg()]
    seconds, corpus = measure.timed(lambda: generate_corpus(n, args.seed))
    shutil.rmtree(corpus_dir, ignore_errors=True)
    corpus.write(corpus_dir)
    sizes = [len(d.text.encode()) for d in corpus.docs]
    results["corpus"] = {
        "generate_s": round(seconds, 2),
        "mb": round(sum(sizes) / 1e6, 1),
        "mean_kb": round(sum(sizes) / len(sizes) / 1000, 1),
        "edges": len(corpus.edges),
    }
    phases: dict[str, float] = {}

    def step(name: str, fn: Any, *fn_args: Any, **kwargs: Any) -> None:
        seconds, results[name] = measure.timed(fn, *fn_args, **kwargs)
        phases[name] = round(seconds, 1)
        log.info("%s done in %.1f s", name, seconds)

    results["phase_s"] = phases
    if not args.no_baseline:
        step("baseline", segmentation_baseline, [d.text for d in corpus.docs])
    step("bundled", bundled_cache, work)
    step("index", index_phases, corpus, corpus_dir, index_dir, args.seed)
    step("queries", query_latency, index_dir, args.repeat)
    step("grep", grep_time, corpus_dir)
    step(
        "http",
        http_phase,
        index_dir,
        corpus_dir,
        per_type=args.http_requests,
        clients=8,
        load_seconds=(
            args.load_seconds
            if args.load_seconds is not None
            else (QUICK_LOAD_SECONDS if args.quick else LOAD_SECONDS)
        ),
        work=work,
    )
    step("graph", graph_phase, index_dir)
    step("correctness", graph_correctness, index_dir, corpus)
    elapsed = time.monotonic() - started
    large = args.phrase_docs if args.phrase_docs is not None else (0 if args.quick else PHRASE_DOCS)
    if large > n:
        rate = n / max(results["index"]["full"]["wall_s"], 1e-3)
        estimate = large / rate * 1.3 + 60
        if args.phrase_docs is not None or elapsed + estimate < args.budget:
            step("large", large_phrase_phase, large, args.seed, work, args.repeat)
        else:
            results["large_skipped"] = {
                "docs": large,
                "estimate_s": round(estimate),
                "reason": f"indexing {large} documents would take ~{estimate / 60:.0f} min at "
                f"the measured {rate:.1f} docs/s; with {elapsed / 60:.1f} min spent it "
                f"does not fit in the {args.budget / 60:.0f}-minute budget",
            }
    results["total_s"] = round(time.monotonic() - started, 1)
    results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--docs", type=int, help=f"corpus size (default {DEFAULT_DOCS})")
    parser.add_argument("--quick", action="store_true", help=f"N = {QUICK_DOCS}, no large part")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--phrase-docs",
        type=int,
        default=None,
        help=f"size of the phrase/RSS part (default {PHRASE_DOCS} if it fits)",
    )
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds (900)")
    parser.add_argument("--repeat", type=int, default=10, help="runs per in-process query")
    parser.add_argument("--http-requests", type=int, default=40, help="HTTP requests per type")
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=None,
        help=f"load run (0: none; default {LOAD_SECONDS:g}, {QUICK_LOAD_SECONDS:g} with --quick)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the segmentation baseline")
    parser.add_argument("--work", default="var/bench", help="scratch directory (var/bench)")
    parser.add_argument("--results", default="bench/results.json")
    parser.add_argument("--report", default="BENCHMARKS.md", help="Markdown report ('' for none)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write its results."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s")
    results = run(args)
    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    Path(args.results).write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    if args.report:
        write_report(results, Path(args.report))
    print(json.dumps({k: results[k] for k in ("docs", "total_s")}), file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
