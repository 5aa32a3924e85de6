"""The GOLD-SPEC shape of an extraction, and the scores the eval scorer computes.

``to_gold`` turns an :class:`~indexer.models.Extraction` into one object of
``gold.json``; ``score`` computes the same micro-averaged metrics as
``../shared/eval/score.py`` (reference detection, relation typing, chains,
self metadata), so tests and ``make gold`` can measure without it.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from typing import Any

from indexer.models import Extraction
from indexer.normalize import DASHES

METRICS = ("refs", "relations", "chains")
SELF_FIELDS = ("type", "symbol", "date")


def to_gold(file: str, extraction: Extraction) -> dict[str, Any]:
    """One document in the GOLD-SPEC shape (``file`` is the base name).

    >>> from indexer.models import Identity
    >>> to_gold("a/b.txt", Extraction(Identity(kind="Kế hoạch")))["self"]["type"]
    'Kế hoạch'
    """
    ident = extraction.identity
    return {
        "file": os.path.basename(file),
        "self": {
            "type": ident.kind,
            "symbol": ident.symbol,
            "issuer": ident.issuer,
            "place": ident.place,
            "date": ident.date,
            "title": ident.title,
        },
        "refs": [
            {
                "type": r.kind,
                "symbol": r.symbol,
                "date": r.date,
                "issuer": r.issuer,
                "relation": r.relation.value,
            }
            for r in extraction.refs
        ],
        "named_refs": [{"type": n.kind, "name": n.name} for n in extraction.named_refs],
        "chain": [
            {"from": c.source, "to": c.target, "relation": c.relation.value}
            for c in extraction.chains
        ],
    }


def canon(symbol: str | None) -> str | None:
    """The scorer's lenient matching form of a symbol (upper case, no spaces).

    A copy of ``canon`` in ``../shared/eval/score.py``, so that scores here are
    the scorer's: it must follow that file, not :func:`indexer.extract.symbols.symbol_key`.

    >>> canon("29-ct/ TW")
    '29-CT/TW'
    """
    if symbol is None:
        return None
    text = unicodedata.normalize("NFC", str(symbol))
    for dash in DASHES:
        text = text.replace(dash, "-")
    text = text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    return "".join(text.split()).upper()


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn}  # fmt: skip


def _sets(doc: dict[str, Any]) -> dict[str, set[Any]]:
    refs = [r for r in doc.get("refs", []) if r.get("symbol")]
    chains = [c for c in doc.get("chain", []) if c.get("from") and c.get("to")]
    return {
        "refs": {canon(r["symbol"]) for r in refs},
        "relations": {(canon(r["symbol"]), r.get("relation")) for r in refs},
        "chains": {(canon(c["from"]), canon(c["to"])) for c in chains},
    }


def _by_file(docs: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {os.path.basename(d["file"]): d for d in docs}


def score(
    gold_docs: Iterable[dict[str, Any]], pred_docs: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """Micro-averaged P/R/F1 of refs, relations and chains, self accuracy, and the errors.

    >>> g = [{"file": "a.txt", "self": {}, "refs": [{"symbol": "29-CT/TW", "relation": "cites"}]}]
    >>> score(g, g)["refs"]["f1"]
    1.0
    """
    gold, pred = _by_file(gold_docs), _by_file(pred_docs)
    counts = {k: [0, 0, 0] for k in METRICS}
    self_ok = dict.fromkeys(SELF_FIELDS, 0)
    errors: list[str] = []
    missing = []
    for name, g in sorted(gold.items()):
        p = pred.get(name)
        if p is None:
            missing.append(name)
            p = {"self": {}, "refs": [], "chain": []}
        gsets, psets = _sets(g), _sets(p)
        for k in METRICS:
            counts[k][0] += len(gsets[k] & psets[k])
            counts[k][1] += len(psets[k] - gsets[k])
            counts[k][2] += len(gsets[k] - psets[k])
            errors += [f"{name} {k} extra   {x}" for x in sorted(psets[k] - gsets[k], key=str)]
            errors += [f"{name} {k} missing {x}" for x in sorted(gsets[k] - psets[k], key=str)]
        gs, ps = g.get("self", {}) or {}, p.get("self", {}) or {}
        checks = {
            "type": (gs.get("type") or "").lower() == (ps.get("type") or "").lower(),
            "symbol": canon(gs.get("symbol")) == canon(ps.get("symbol")),
            "date": (str(gs.get("date"))[:10] if gs.get("date") else None)
            == (str(ps.get("date"))[:10] if ps.get("date") else None),
        }
        for field, ok in checks.items():
            self_ok[field] += ok
            if not ok:
                errors.append(f"{name} self.{field} {ps.get(field)!r} != {gs.get(field)!r}")
    n = len(gold)
    metrics: dict[str, Any] = {"documents": n, "missing_documents": missing}
    for k, (tp, fp, fn) in counts.items():
        metrics[k] = _prf(tp, fp, fn)
    for field, ok_count in self_ok.items():
        metrics[f"self_{field}_accuracy"] = round(ok_count / n, 4) if n else 0.0
    metrics["errors"] = errors
    return metrics


def metric_lines(metrics: dict[str, Any]) -> list[str]:
    """The metric lines in the eval scorer's format."""
    lines = [
        f"documents {metrics['documents']}, missing from predictions: "
        f"{len(metrics['missing_documents'])}"
    ]
    for k in METRICS:
        m = metrics[k]
        lines.append(
            f"{k:10s} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
            f"(tp={m['tp']} fp={m['fp']} fn={m['fn']})"
        )
    lines.append(
        "self       type={:.2f} symbol={:.2f} date={:.2f}".format(
            metrics["self_type_accuracy"],
            metrics["self_symbol_accuracy"],
            metrics["self_date_accuracy"],
        )
    )
    lines.append(f"refs F1 {metrics['refs']['f1']:.3f}")
    return lines
