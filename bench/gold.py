"""``make gold``: extraction accuracy on the seeds, dev set and held-out set, with gains and losses.

Runs ``vanban extract`` on ``<shared>/seeds`` and, when present,
``<shared>/devset/docs``, and on the held-out set shipped in
``tests/data/heldout``; scores against their ``gold.json`` with
:func:`indexer.gold.score` (the same metrics as ``eval/score.py``), prints the
metric lines, then what changed since the last saved run
(``bench/gold-last.json``, eyecite's benchmark report) and saves this run.

usage: python -m bench.gold [--shared ../shared] [--no-save] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from indexer.extract.extractor import extract
from indexer.gold import METRICS, metric_lines, score, to_gold
from indexer.load.corpus import iter_corpus
from indexer.models import FailedFile

LAST_RUN = Path(__file__).with_name("gold-last.json")
# The held-out set ships with the repository, so it is scored even without shared/.
HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "heldout"


def corpora(shared: Path) -> dict[str, tuple[Path, Path]]:
    """Name -> (documents folder, gold file) for every corpus present (shared/ and the held-out set)."""
    candidates = {
        "seeds": (shared / "seeds", shared / "seeds" / "gold.json"),
        "devset": (shared / "devset" / "docs", shared / "devset" / "gold.json"),
        "heldout": (HELDOUT / "docs", HELDOUT / "gold.json"),
    }
    return {
        name: pair for name, pair in candidates.items() if pair[0].is_dir() and pair[1].is_file()
    }


def run_corpus(docs: Path, gold_file: Path) -> tuple[dict[str, Any], float]:
    """Extract every document of one corpus and score it; also the seconds spent extracting."""
    predictions = []
    spent = 0.0
    for item in iter_corpus([docs]):
        if isinstance(item, FailedFile):
            print(f"  unreadable: {item.path}: {item.reason}", file=sys.stderr)
            continue
        started = time.perf_counter()
        extraction = extract(item.text)
        spent += time.perf_counter() - started
        predictions.append(to_gold(item.file, extraction))
    gold = json.loads(gold_file.read_text("utf-8"))
    return score(gold, predictions), spent


def report_changes(name: str, now: dict[str, Any], last: dict[str, Any] | None) -> list[str]:
    """Metric deltas and the errors gained or lost since the last saved run."""
    if not last:
        return [f"  (no saved run of {name} to compare with)"]
    lines = []
    for k in METRICS:
        delta = now[k]["f1"] - last[k]["f1"]
        if abs(delta) >= 0.0005:
            lines.append(f"  {k} F1 {last[k]['f1']:.3f} -> {now[k]['f1']:.3f} ({delta:+.3f})")
    fixed = sorted(set(last["errors"]) - set(now["errors"]))
    broken = sorted(set(now["errors"]) - set(last["errors"]))
    lines += [f"  gained (error gone): {e}" for e in fixed]
    lines += [f"  lost (new error):    {e}" for e in broken]
    return lines or ["  no change since the last saved run"]


def main(argv: Sequence[str] | None = None) -> int:
    """Score every corpus found under ``--shared``; print metrics and changes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", default="../shared", help="folder holding seeds/ and devset/")
    parser.add_argument("--no-save", action="store_true", help="do not update bench/gold-last.json")
    parser.add_argument("--show-errors", action="store_true", help="list every error")
    args = parser.parse_args(argv)
    found = corpora(Path(args.shared))
    if not found:
        print(
            f"make gold: no seeds/ or devset/ with gold.json under {args.shared!r}; "
            "nothing to score (set SHARED=… to point at the shared folder)."
        )
        return 0
    last = json.loads(LAST_RUN.read_text("utf-8")) if LAST_RUN.is_file() else {}
    saved: dict[str, Any] = {}
    for name, (docs, gold_file) in found.items():
        metrics, spent = run_corpus(docs, gold_file)
        print(f"== {name} ({docs}) extracted in {spent * 1000:.0f} ms")
        for line in metric_lines(metrics):
            print(line)
        if args.show_errors:
            for error in metrics["errors"]:
                print(f"  {error}")
        for line in report_changes(name, metrics, last.get(name)):
            print(line)
        saved[name] = {k: metrics[k] for k in (*METRICS, "errors")}
    if not args.no_save:
        LAST_RUN.write_text(json.dumps(saved, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
