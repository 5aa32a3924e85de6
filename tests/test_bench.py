"""The benchmark harness: the synthetic corpus generator, the timing helpers, a smoke run."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bench import measure
from bench.load import MIX, request_mix
from bench.synth import LEVELS, SyntheticCorpus, _allocate, generate_corpus, main
from bench.synth_render import noisy_symbol
from bench.synth_text import is_symbol_token, scrub_symbols, vocabulary
from indexer.extract.dates import parse_date

MIN_BYTES, MAX_BYTES = 12_000, 19_000  # "about 15 KB each"


@cache
def corpus(n: int = 120, seed: int = 5) -> SyntheticCorpus:
    return generate_corpus(n, seed)


def symbols_in(text: str) -> set[str]:
    tokens = text.split()
    return {
        t.strip(".,;:()“”\"'")
        for prev, t in zip([""] + tokens, tokens, strict=False)
        if is_symbol_token(t, prev) and not prev.isdigit()
    }


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    assert generate_corpus(40, 3) == generate_corpus(40, 3)
    assert generate_corpus(40, 3).documents != generate_corpus(40, 4).documents


def test_every_implemented_symbol_is_a_corpus_document_above_or_beside() -> None:
    c = corpus()
    by_symbol = {d.symbol: d for d in c.docs}
    assert len(by_symbol) == len(c.docs), "symbols must be unique"
    for child, parent in c.edges:
        assert parent in by_symbol
        assert LEVELS.index(by_symbol[parent].level) <= LEVELS.index(by_symbol[child].level)
        assert by_symbol[parent].date < by_symbol[child].date
        assert by_symbol[parent].file < by_symbol[child].file  # no cycles: parents come first


def test_every_level_and_issuer_family_is_generated() -> None:
    c = corpus()
    assert set(Counter(d.level for d in c.docs)) == set(LEVELS)
    codes = {d.symbol.split("/", 1)[-1].split("-")[0] for d in c.docs}
    assert {"KH", "NQ", "QĐ"} <= codes
    roots = [d for d in c.docs if not d.implements]
    assert roots and all(d.symbol.endswith("/TW") for d in roots)
    assert all(1 <= len(d.implements) <= 2 for d in c.docs if d not in roots)


def test_documents_are_about_15_kb() -> None:
    sizes = [len(text.encode()) for _, text in corpus().documents]
    assert min(sizes) >= MIN_BYTES and max(sizes) <= MAX_BYTES, (min(sizes), max(sizes))


def test_header_has_the_real_layout() -> None:
    for doc in corpus().docs:
        head = doc.text[:1500]
        assert f"Số: {doc.symbol}\n" in head
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head or "ĐẢNG CỘNG SẢN VIỆT NAM" in head
        assert f"\n{doc.kind.upper()}\n" in head
        date_line = next(line for line in head.splitlines() if ", ngày " in line)
        assert date_line.startswith(doc.place + ", ")
        assert parse_date(date_line) == doc.date


def test_every_stated_relation_appears_in_the_text() -> None:
    for doc in corpus().docs:
        for symbol, relation in doc.relations:
            assert symbol in doc.text, (doc.file, symbol)
            assert relation in ("implements", "basis", "cites")
        implemented = {s for s, r in doc.relations if r == "implements"}
        assert implemented == set(doc.implements)
        for parent in doc.implements:
            assert parent in doc.title  # "Triển khai thực hiện Kế hoạch số …"
        if doc.implements:
            assert "thực hiện" in doc.title.lower() or doc.title.startswith("Triển khai ")
        for source, target in doc.chains:
            assert f"{source}" in doc.text and target in doc.text
            assert (source, target) in corpus().edges  # a chain only states true edges


def test_no_seed_symbol_leaks_into_the_generated_text() -> None:
    allowed = {d.symbol for d in corpus().docs}
    allowed |= {t for d in corpus().docs for t in symbols_in(noisy_symbol(d.symbol))}
    for ref in vocabulary()["external_refs"]:
        allowed |= symbols_in(ref)
    for doc in corpus().docs:
        assert symbols_in(doc.text) <= allowed, doc.file


def test_repeated_mentions_sometimes_carry_real_spacing_noise() -> None:
    noisy = [
        (d.file, s)
        for d in corpus().docs
        for s, _ in d.relations
        if noisy_symbol(s) != s and noisy_symbol(s) in d.text
    ]
    assert len(noisy) >= 10
    for file, symbol in noisy:  # the clean form is printed first
        text = dict(corpus().documents)[file]
        assert text.index(symbol) < text.index(noisy_symbol(symbol))


def test_body_paragraphs_rarely_repeat() -> None:
    paragraphs = Counter(
        p for _, text in corpus().documents for p in text.split("\n\n") if len(p) > 300
    )
    repeated = sum(n for n in paragraphs.values() if n > 1)
    assert repeated / sum(paragraphs.values()) < 0.02


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        (
            "thực hiện Chỉ thị số 29-CT/TW, Kế hoạch số 232-KH/TU và Kế hoạch này",
            "thực hiện Chỉ thị, Kế hoạch và Kế hoạch này",
        ),
        ("tổ chức thực hiện Chỉ thị số 29 CT/TW, Kế hoạch", "tổ chức thực hiện Chỉ thị, Kế hoạch"),
        ("Nghị quyết số 98/2023/QH15 ngày 24/6/2023", "Nghị quyết ngày 24/6/2023"),
        ("T/M BAN THƯỜNG VỤ, ngày 05/01/2024", "T/M BAN THƯỜNG VỤ, ngày 05/01/2024"),
    ],
    ids=["list", "space-in-symbol", "year-symbol", "not-a-symbol"],
)
def test_scrub_symbols(snippet: str, expected: str) -> None:
    assert scrub_symbols(snippet) == expected


@pytest.mark.parametrize("n", [1, 2, 5, 17, 2000])
def test_allocate_sums_to_n_with_a_root(n: int) -> None:
    shares = {t["key"]: t["share"] for t in vocabulary()["doc_type"]}
    counts = _allocate(n, shares)
    assert sum(counts.values()) == n and counts["tw_nq"] >= 1


def test_tiny_corpora_still_form_a_tree() -> None:
    for n in (1, 3, 8):
        c = generate_corpus(n, 2)
        assert len(c.docs) == n
        assert {p for _, p in c.edges} <= {d.symbol for d in c.docs}


def test_cli_writes_texts_and_tree(tmp_path: Path) -> None:
    out, tree = tmp_path / "corpus", tmp_path / "tree.json"
    assert main(["--docs", "6", "--seed", "1", "--out", str(out), "--tree", str(tree)]) == 0
    files = sorted(p.name for p in out.glob("*.txt"))
    data = json.loads(tree.read_text("utf-8"))
    assert files == sorted(d["file"] for d in data["documents"])
    assert [tuple(e) for e in data["edges"]] == sorted(generate_corpus(6, 1).edges)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([5.0, 1.0, 3.0, 2.0, 4.0], 50, 3.0), ([1.0, 2.0], 95, 2.0), ([7.0], 99, 7.0), ([], 50, 0.0)],
)
def test_percentile(values: list[float], q: float, expected: float) -> None:
    assert measure.percentile(values, q) == expected


@pytest.mark.parametrize(
    "url",
    ["http://example.com/search", "http://10.0.0.1:8000/", "http://127.0.0.2/", "file:///etc"],
)
def test_only_loopback_targets(url: str) -> None:
    with pytest.raises(ValueError, match="127.0.0.1"):
        measure.check_loopback(url)
    with pytest.raises(ValueError):
        measure.run_clients([("x", url)], 1)


def test_request_mix_covers_every_kind_in_proportion() -> None:
    mix = request_mix("http://127.0.0.1:1", ["000_a"], ["29-CT/TW"], size=1600)
    counts = Counter(kind for kind, _ in mix)
    total = sum(MIX.values())
    for kind, weight in MIX.items():
        assert abs(counts[kind] / len(mix) - weight / total) < 0.05
    assert all(url.startswith("http://127.0.0.1:1/") for _, url in mix)
    assert any("/ref.json?symbol=29-CT%2FTW" in url for _, url in mix)


@pytest.mark.slow
def test_quick_bench_run_measures_every_phase(tmp_path: Path) -> None:
    """``bench.run --quick`` (N = 200) end to end, not timed: every phase reports, nothing errors."""
    from bench.run import main as bench_main

    results, report = tmp_path / "results.json", tmp_path / "BENCHMARKS.md"
    argv = [
        "--quick",
        "--seed",
        "3",
        "--work",
        str(tmp_path / "work"),
        "--results",
        str(results),
        "--report",
        str(report),
    ]
    assert bench_main(argv) == 0
    r = json.loads(results.read_text("utf-8"))
    corpus = generate_corpus(200, 3)
    assert (r["docs"], r["quick"], "large" in r) == (200, True, False)
    assert [r["index"][p]["indexed"] for p in ("full", "unchanged", "changed_1pct")] == [200, 0, 2]
    assert r["baseline"]["chars"] == sum(len(t) for _, t in corpus.documents)
    ours = r["baseline"]["vanban"]
    assert ours["paragraphs_compared"] > 100
    assert ours["paragraphs_identical"] == ours["paragraphs_compared"]
    assert all(
        r["http"][k]["errors"] == 0 for k in ("term", "phrase", "accent_free", "or", "filtered")
    )
    assert r["http"]["load"]["requests"] > 0 and r["http"]["load"]["errors"] == 0
    assert r["http"]["rss_idle"]["vmrss_mb"] > 0
    assert r["bundled"]["indexed"] == 5 and 0 < r["bundled"]["cache_hit_rate"] < 1
    assert set(r["graph"]["export"]) == {"graphml", "gexf", "json", "csv"}
    c = r["correctness"]
    assert c["truth_edges"] == len(corpus.edges)
    assert (c["precision"], c["recall"]) == (1.0, 1.0)
    text = report.read_text("utf-8")
    for row in (
        "Full index, N = 200",
        "vanban segmenter only, 1 process, first 200 texts",
        "Re-index, unchanged",
        "Graph correctness, N = 200",
        "Graph export graphml",
        "make load appends",
    ):
        assert row in text


def _results(full_s: float, phrase_p95: float, precision: float) -> dict[str, Any]:
    """A minimal ``bench.run`` result with the given figures (baseline 100 s, grep 10 ms)."""
    lat = {"n": 5, "p50_ms": 5.0, "p95_ms": 6.0, "p99_ms": 7.0, "mean_ms": 5.0, "hits": [3]}
    http = {"n": 5, "p50_ms": 9.0, "p95_ms": 12.0, "p99_ms": 13.0, "mean_ms": 9.0, "errors": 0}
    export = {f: {"seconds": 0.5, "mb": 1.0} for f in ("graphml", "gexf", "json", "csv")}
    index = {
        "wall_s": full_s,
        "indexed": 100,
        "cpu_per_wall": 1.02,
        "cache_hit_rate": 0.3,
        "main_cpu_s": 70.0,
        "workers_cpu_s": 11.6,
    }
    return {
        "docs": 100,
        "seed": 7,
        "quick": False,
        "command": "python -m bench.run --docs 100",
        "loadavg_start": [2.0, 1.0, 0.5],
        "loadavg_end": [3.0, 2.0, 1.0],
        "total_s": 400.0,
        "phase_s": {"baseline": 100.0, "index": 250.0},
        "corpus": {"mb": 1.5, "mean_kb": 15.0, "edges": 120},
        "baseline": {"seconds": 100.0, "chars_per_s": 120_000},
        "index": {
            "full": index,
            "unchanged": {**index, "wall_s": 1.0, "indexed": 0},
            "changed_1pct": {**index, "wall_s": 2.0, "indexed": 1},
            "changed_files": 1,
        },
        "queries": {
            **{k: lat for k in ("term", "phrase", "accent_free", "or", "filtered")},
            "grep_phrase": {**lat, "p95_ms": phrase_p95, "hits": 90},
            "grep_phrase_1_hit": {**lat, "p95_ms": phrase_p95 / 5},
        },
        "grep": {**lat, "p50_ms": 10.0, "files": 90},
        "http": {
            **{k: http for k in ("term", "phrase", "accent_free", "or", "filtered")},
            "rss_after_queries": {"vmrss_mb": 120.0, "vmhwm_mb": 130.0},
        },
        "graph": {"nodes": 150, "edges": 900, "build_s": 0.1, "export": export},
        "correctness": {
            "truth_edges": 120,
            "found_edges": 120,
            "correct": int(120 * precision),
            "precision": precision,
            "recall": 1.0,
            "false_positives": [["1/KH-UBND", "2-KH/TU"]],
            "missed": [],
        },
        "large_skipped": {"docs": 10000, "reason": "it would take ~40 min"},
    }


def test_report_names_each_missed_target_with_its_reason(tmp_path: Path) -> None:
    from bench.report import write_report

    path = tmp_path / "BENCHMARKS.md"
    write_report(_results(full_s=80.0, phrase_p95=40.0, precision=0.95), path)
    text = path.read_text("utf-8")
    assert "| Full index, N = 100 | 80.0 s = 0.80 × baseline | ≤ 0.56 × baseline | **no** |" in text
    assert "| Re-index, unchanged | 1.00 s = 1.2% of full | ≤ 5% | yes |" in text
    missed = text.split("## Targets not met, and why", 1)[1]
    assert (
        "Full index, N = 100: indexing kept 1.02 cores busy on average (both cores = 2.0): main process 70 CPU s, worker processes 12 CPU s in 80 s; the main process"
        in missed
    )
    assert "snippets dominate" in missed  # 1 hit: 8 ms, 10 hits: 40 ms
    assert "Graph correctness, N = 100: wrong edges e.g. [['1/KH-UBND', '2-KH/TU']]" in missed
    assert "python -m bench.run --phrase-docs 10000" in missed
    assert "Re-index" not in missed


def test_report_with_every_target_met_says_none(tmp_path: Path) -> None:
    from bench.report import write_report

    results = _results(full_s=50.0, phrase_p95=8.0, precision=1.0)
    del results["large_skipped"]
    path = tmp_path / "BENCHMARKS.md"
    write_report(results, path)
    assert "**no**" not in path.read_text("utf-8")
    assert path.read_text("utf-8").split("## Targets not met, and why", 1)[1].split()[:2] == [
        "-",
        "none",
    ]


def test_load_run_is_appended_below_the_report(tmp_path: Path) -> None:
    from bench.report import append_load

    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# vanban benchmarks\n", "utf-8")
    row = {"n": 10, "p50_ms": 12.0, "p95_ms": 20.0, "p99_ms": 30.0, "mean_ms": 13.0, "errors": 0}
    result = {
        "clients": 32,
        "seconds": 20.0,
        "requests": 640,
        "throughput_rps": 32.0,
        "p50_ms": 12.0,
        "p99_ms": 30.0,
        "errors": 0,
        "server": "http://127.0.0.1:8000",
        "by_kind": {k: row for k in MIX},
    }
    append_load(result, path, command="python -m bench.load")
    text = path.read_text("utf-8")
    assert text.startswith("# vanban benchmarks\n")
    assert "**640 requests, 32.0 req/s, p50 12.0 ms, p99 30.0 ms, 0 errors**" in text
    assert "| cascade | 10 | 12.0 | 30.0 | 0 |" in text


def test_report_shows_the_large_part_with_its_index_time_and_memory(tmp_path: Path) -> None:
    from bench.report import write_report

    results = _results(full_s=50.0, phrase_p95=8.0, precision=1.0)
    del results["large_skipped"]
    slow = {f: {"seconds": 6.4, "mb": 60.0} for f in ("graphml", "gexf", "json", "csv")}
    results["large"] = {
        "docs": 10000,
        "index_s": 400.0,
        "indexed": 10000,
        "index_peak_rss_mb": 900,
        "queries": results["queries"],
        "grep": {**results["grep"], "p50_ms": 100.0},
        "rss": {"vmhwm_mb": 150.0},
        "graph": {"nodes": 10000, "edges": 96000, "build_s": 5.0, "export": slow},
    }
    path = tmp_path / "BENCHMARKS.md"
    write_report(results, path)
    text = path.read_text("utf-8")
    assert "| Full index, N = 10000 | 400 s (25.0 docs/s) | reported |" in text
    assert "peak RSS of the process writing the index: 900 MB" in text
    assert "| Serve RSS (peak), N = 10000 | 150 MB | ≤ 500 MB | yes |" in text
    missed = text.split("## Targets not met, and why", 1)[1]
    assert "Graph export gexf, N = 10000: 60 MB written in 6.4 s" in missed
