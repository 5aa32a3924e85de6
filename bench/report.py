"""``BENCHMARKS.md`` from ``bench.run`` results: each figure next to its issue-6 target.

The report is rewritten by every ``make bench``; ``make load`` appends its own
section below it.
"""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("vanban", "whoosh-reloaded", "underthesea", "networkx", "flask", "waitress")
INDEX_RATIO_TARGET = 0.56
UNCHANGED_TARGET = 0.05
CHANGED_TARGET = 0.08
RSS_TARGET_MB = 500
EXPORT_TARGET_S = 5.0
BUDGET_S = 15 * 60
GREP_PHRASE = "phổ cập giáo dục"


def machine() -> dict[str, Any]:
    """nproc, memory, CPU model, OS and Python, read from /proc where there is one."""
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["memory_gb"] = round(int(mem) / 1024 / 1024, 1)
    except (OSError, IndexError, ValueError):
        pass
    return info


def versions() -> dict[str, str]:
    """Installed versions of the packages measured, and GNU grep's."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "?"
    try:
        done = subprocess.run(["grep", "--version"], capture_output=True, text=True, check=False)
        out["grep"] = done.stdout.splitlines()[0] if done.stdout else "?"
    except OSError:
        out["grep"] = "?"
    return out


def _mark(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def _phrase_row(n: int, q: dict[str, Any], g: dict[str, Any]) -> tuple[str, str, str, bool, str]:
    """The phrase query (10 snippets) p95 against grep's p50 for the same phrase."""
    return (
        f'Phrase `"{GREP_PHRASE}"`, 10 snippets, p95, N = {n}',
        f"{q['p95_ms']:.1f} ms ({q['hits']} hits)",
        f"< grep -rlF {g['p50_ms']:.1f} ms",
        q["p95_ms"] < g["p50_ms"],
        f"grep found {g['files']} files",
    )


def _rows(r: dict[str, Any]) -> list[tuple[str, str, str, bool | None, str]]:
    """(measure, measured, target, met, note) for every target of issue 6."""
    rows: list[tuple[str, str, str, bool | None, str]] = []
    n = r["docs"]
    idx = r["index"]
    full = idx["full"]["wall_s"]
    base = r.get("baseline")
    if base:
        rows.append(
            (
                f"Segmentation only, 1 process, N = {n}",
                f"{base['seconds']:.1f} s ({base['chars_per_s'] / 1000:.0f}k chars/s)",
                "baseline",
                None,
                "underthesea `word_tokenize` over every text",
            )
        )
        ratio = full / base["seconds"]
        rows.append(
            (
                f"Full index, N = {n}",
                f"{full:.1f} s = {ratio:.2f} × baseline",
                f"≤ {INDEX_RATIO_TARGET} × baseline",
                ratio <= INDEX_RATIO_TARGET,
                f"cache hit rate {idx['full'].get('cache_hit_rate')}",
            )
        )
    for key, label, target in (
        ("unchanged", "Re-index, unchanged", UNCHANGED_TARGET),
        (
            "changed_1pct",
            f"Re-index, {idx.get('changed_files')} files (1 %) changed",
            CHANGED_TARGET,
        ),
    ):
        seconds = idx[key]["wall_s"]
        share = seconds / full if full else 0.0
        rows.append(
            (
                label,
                f"{seconds:.2f} s = {share:.1%} of full",
                f"≤ {target:.0%}",
                share <= target,
                f"{idx[key]['indexed']} re-indexed",
            )
        )
    rows.append(_phrase_row(n, r["queries"]["grep_phrase"], r["grep"]))
    large = r.get("large")
    if large:
        rows.append(_phrase_row(large["docs"], large["queries"]["grep_phrase"], large["grep"]))
        rss = large["rss"].get("vmhwm_mb", 0.0)
        rows.append(
            (
                f"Serve RSS (peak), N = {large['docs']}",
                f"{rss:.0f} MB",
                f"≤ {RSS_TARGET_MB} MB",
                rss <= RSS_TARGET_MB,
                "",
            )
        )
    http = r["http"]
    rss = max(
        http.get("rss_after_load", {}).get("vmhwm_mb", 0.0),
        http.get("rss_after_queries", {}).get("vmhwm_mb", 0.0),
    )
    rows.append(
        (
            f"Serve RSS (peak), N = {n}",
            f"{rss:.0f} MB",
            f"≤ {RSS_TARGET_MB} MB (at 10,000)",
            rss <= RSS_TARGET_MB,
            "after the HTTP queries and the load run",
        )
    )
    graphs = [("", r["graph"])] + ([(f", N = {large['docs']}", large["graph"])] if large else [])
    for suffix, graph in graphs:
        for fmt in ("graphml", "gexf"):
            seconds = graph["export"][fmt]["seconds"]
            rows.append(
                (
                    f"Graph export {fmt}{suffix or f', N = {n}'}",
                    f"{seconds:.2f} s",
                    f"≤ {EXPORT_TARGET_S:.0f} s",
                    seconds <= EXPORT_TARGET_S,
                    f"{graph['nodes']} nodes, {graph['edges']} edges",
                )
            )
    c = r["correctness"]
    ok = c["precision"] >= 1.0 and c["recall"] >= 1.0
    rows.append(
        (
            f"Graph correctness, N = {n}",
            f"P {c['precision']:.3f} / R {c['recall']:.3f}",
            "1.00 / 1.00",
            ok,
            f"{c['correct']} of {c['truth_edges']} tree edges found, "
            f"{c['found_edges'] - c['correct']} wrong",
        )
    )
    total = r["total_s"]
    rows.append(
        (
            "`make bench` wall time",
            f"{total / 60:.1f} min",
            "< 15 min",
            total < BUDGET_S,
            "quick mode" if r.get("quick") else "",
        )
    )
    return rows


def _latency_table(r: dict[str, Any]) -> list[str]:
    lines = [
        "| query type | in-process p50 / p95 (ms) | HTTP, 8 clients p50 / p95 (ms) | HTTP errors | hits |",
        "|---|---|---|---|---|",
    ]
    for kind in ("term", "phrase", "accent_free", "or", "filtered"):
        q, h = r["queries"][kind], r["http"][kind]
        lines.append(
            f"| {kind} | {q['p50_ms']:.1f} / {q['p95_ms']:.1f} | {h['p50_ms']:.1f} / "
            f"{h['p95_ms']:.1f} | {h['errors']} | {', '.join(map(str, q['hits']))} |"
        )
    return lines


def _load_lines(load: dict[str, Any]) -> list[str]:
    lines = [
        f"{load['clients']} clients for {load['seconds']} s: **{load['requests']} requests, "
        f"{load['throughput_rps']} req/s, p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms, "
        f"{load['errors']} errors**.",
        "",
        "| request kind | n | p50 (ms) | p99 (ms) | errors |",
        "|---|---|---|---|---|",
    ]
    for kind, row in load["by_kind"].items():
        lines.append(
            f"| {kind} | {row['n']} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']} |"
        )
    return lines


def write_report(r: dict[str, Any], path: Path) -> None:
    """Write ``BENCHMARKS.md`` for the results of one ``bench.run``."""
    m, v = machine(), versions()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# vanban benchmarks",
        "",
        f"Measured {now} by `{r['command']}` (`make bench`; `make bench` with "
        "`--quick` for N = 200). Raw figures: `bench/results.json`.",
        "",
        f"- Machine: {m.get('nproc')} CPUs ({m.get('cpu', '?')}), {m.get('memory_gb', '?')} GB, "
        f"{m['system']}, Python {m['python']}; shared and noisy — ratios measured in one run count.",
        "- Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()),
        f"- Corpus: N = {r['docs']} synthetic documents (`python -m bench.synth --docs {r['docs']} "
        f"--seed {r['seed']}`), {r['corpus']['mb']} MB, mean {r['corpus']['mean_kb']} KB, "
        f"{r['corpus']['edges']} implements edges in the known tree.",
        "",
        "## Targets (issue 6)",
        "",
        "| measure | measured | target | met | note |",
        "|---|---|---|---|---|",
    ]
    rows = _rows(r)
    lines += [f"| {a} | {b} | {c} | {_mark(d)} | {e} |" for a, b, c, d, e in rows]
    missed = [a for a, _, _, d, _ in rows if d is False]
    lines += ["", "## Query latency", ""] + _latency_table(r)
    lines += [
        "",
        f'`grep -rlF "phổ cập giáo dục"` over the raw files: p50 {r["grep"]["p50_ms"]:.1f} ms '
        f"(warm cache, {r['grep']['files']} files).",
        "",
    ]
    g = r["graph"]
    lines += [
        "## Graph",
        "",
        f"Build from stored extractions: {g['build_s']:.2f} s "
        f"({g['nodes']} nodes, {g['edges']} edges). Export: "
        + ", ".join(f"{fmt} {e['seconds']:.2f} s ({e['mb']} MB)" for fmt, e in g["export"].items())
        + ".",
        "",
    ]
    if r["http"].get("load"):
        lines += (
            ["## Load (issue 7), during `make bench`", ""] + _load_lines(r["http"]["load"]) + [""]
        )
    lines += ["## Targets not met, and why", ""]
    if r.get("large_skipped"):
        lines.append(
            f"- The N = {r['large_skipped']['docs']} phrase/RSS part was not run: "
            f"{r['large_skipped']['reason']}. Run it with "
            f"`python -m bench.run --phrase-docs {r['large_skipped']['docs']}`."
        )
    lines += [f"- {name}: see the note in its row and `bench/results.json`." for name in missed]
    if not missed and not r.get("large_skipped"):
        lines.append("- none")
    lines += ["", "<!-- make load appends below -->", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def append_load(result: dict[str, Any], path: Path, *, command: str) -> None:
    """Append one ``make load`` run to ``path``."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "",
        f"## Load run {now}",
        "",
        f"`{command}` against {result.get('server')}"
        + (f"; server RSS {result['rss']}" if result.get("rss") else "")
        + ".",
        "",
    ]
    lines += _load_lines(result) + [""]
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
