"""Deterministic synthetic corpus with a known implementation tree.

``generate_corpus(n, seed)`` builds ``n`` documents at every level (Trung ương,
tỉnh, huyện, xã, trường). Each non-root document implements one or two
documents of a level above it, in the same province/district/commune, and
says so in the real textual forms (``Triển khai thực hiện …`` in the title,
``Thực hiện …`` in the opening, chains ``Kế hoạch số … thực hiện Chỉ thị số …``),
cites others (``Căn cứ …`` as basis, ``phù hợp với …`` as cites) and fills its
body with text recombined from the bundled seeds. The tree is returned next to
the texts, so extraction can be scored against it at any scale.

    python -m bench.synth --docs 2000 --seed 7 --out var/bench/corpus
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from hashlib import sha1
from pathlib import Path
from typing import Any

from bench.synth_render import render_document
from bench.synth_text import vocabulary

log = logging.getLogger(__name__)

LEVELS = ("Trung ương", "tỉnh", "huyện", "xã", "trường")
NEW_UNIT_PROBABILITY = 0.35  # chance a child goes to a new district/commune/school
SECOND_PARENT_PROBABILITY = 0.3
ROOT_DATE_RANGE = (date(2012, 1, 1), date(2022, 12, 31))
CHILD_DELAY_DAYS = (6, 120)


@dataclass
class Unit:
    """A place in the administrative tree: the province … school an issuer belongs to."""

    level: int  # index into LEVELS
    province: str = ""
    district: str = ""
    commune: str = ""
    school: str = ""
    school_kind: str = ""
    school_code: str = ""
    children: list[Unit] = field(default_factory=list)

    def placeholders(self) -> dict[str, str]:
        """Values for the ``{province}``… placeholders of ``synth_data.toml``."""
        values = {
            "province": self.province,
            "district": self.district,
            "commune": self.commune,
            "school": self.school,
            "school_kind": self.school_kind,
            "school_code": self.school_code,
        }
        return values | {k.upper(): v.upper() for k, v in values.items()}

    def is_within(self, other: Unit) -> bool:
        """Whether ``other`` is this unit or one of its ancestors."""
        names = ("province", "district", "commune", "school")
        return other.level <= self.level and all(
            getattr(other, n) in ("", getattr(self, n)) for n in names[: other.level]
        )


@dataclass
class PlannedDoc:
    """A document being generated: its place in the tree and its identity."""

    index: int
    spec: dict[str, Any]
    unit: Unit
    symbol: str
    issued: date
    topic: str
    parents: list[PlannedDoc]
    issuer: str = ""
    ref_names: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return str(self.spec["kind"])

    def ancestors(self) -> list[PlannedDoc]:
        """Every document above this one in the tree, nearest first."""
        seen: dict[str, PlannedDoc] = {}
        frontier = list(self.parents)
        while frontier:
            doc = frontier.pop(0)
            if doc.symbol not in seen:
                seen[doc.symbol] = doc
                frontier.extend(doc.parents)
        return list(seen.values())


@dataclass(frozen=True)
class SyntheticDoc:
    """One generated document and what it states."""

    file: str
    text: str
    symbol: str
    kind: str
    issuer: str
    level: str
    date: str  # ISO
    place: str
    title: str
    implements: tuple[str, ...]  # symbols of the documents it implements
    relations: tuple[tuple[str, str], ...]  # (symbol, strongest relation) of every corpus ref
    chains: tuple[tuple[str, str], ...]  # (from, to) implements links it asserts


@dataclass(frozen=True)
class SyntheticCorpus:
    """The generated texts plus the known tree (edges: implementing -> implemented symbol)."""

    n: int
    seed: int
    docs: tuple[SyntheticDoc, ...]

    @property
    def documents(self) -> tuple[tuple[str, str], ...]:
        """(file name, text) of every document."""
        return tuple((d.file, d.text) for d in self.docs)

    @property
    def edges(self) -> frozenset[tuple[str, str]]:
        """The known implementation tree: (implementing symbol, implemented symbol)."""
        return frozenset((d.symbol, p) for d in self.docs for p in d.implements)

    @property
    def relations(self) -> frozenset[tuple[str, str, str]]:
        """(source symbol, target symbol, relation) for every stated corpus reference."""
        return frozenset((d.symbol, s, r) for d in self.docs for s, r in d.relations)

    def tree_json(self) -> dict[str, Any]:
        """The tree and identities as JSON (written beside the texts by the CLI)."""
        return {
            "n": self.n,
            "seed": self.seed,
            "documents": [{k: v for k, v in d.__dict__.items() if k != "text"} for d in self.docs],
            "edges": sorted(self.edges),
        }

    def write(self, out_dir: Path) -> list[Path]:
        """Write every document as UTF-8 text under ``out_dir``; returns the paths."""
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for doc in self.docs:
            path = out_dir / doc.file
            path.write_text(doc.text, encoding="utf-8")
            paths.append(path)
        return paths


class _Planner:
    """Draws the tree: types, units, parents, symbols and dates, top-down."""

    def __init__(self, n: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = vocabulary()
        self.types = {t["key"]: t for t in self.vocab["doc_type"]}
        self.root = Unit(level=0)
        self.used_symbols = set(self.vocab["reserved_symbols"])
        self.by_type: dict[str, list[PlannedDoc]] = {k: [] for k in self.types}
        self.counts = _allocate(n, {k: float(t["share"]) for k, t in self.types.items()})

    def plan(self) -> list[PlannedDoc]:
        docs: list[PlannedDoc] = []
        for key, spec in self.types.items():
            for _ in range(self.counts[key]):
                doc = self._plan_one(len(docs), spec)
                self.by_type[key].append(doc)
                docs.append(doc)
        return docs

    def _plan_one(self, index: int, spec: dict[str, Any]) -> PlannedDoc:
        rng = self.rng
        level = LEVELS.index(spec["level"])
        candidates = [d for k in spec["parents"] for d in self.by_type[k]]
        if spec["parents"] and not candidates:  # a thin corpus: fall back to any document above
            candidates = [d for ds in self.by_type.values() for d in ds if d.unit.level <= level]
        parents: list[PlannedDoc] = []
        if candidates:
            first = rng.choice(candidates)
            unit = self._descend(first.unit, level)
            parents.append(first)
            others = [
                d
                for d in candidates
                if d is not first
                and unit.is_within(d.unit)
                and d not in first.ancestors()
                and first not in d.ancestors()
            ]
            if others and rng.random() < SECOND_PARENT_PROBABILITY:
                parents.append(rng.choice(others))
            start = max(p.issued for p in parents)
            issued = start + timedelta(days=rng.randint(*CHILD_DELAY_DAYS))
            topic = first.topic
        else:
            unit = self._descend(self.root, level)
            lo, hi = ROOT_DATE_RANGE
            issued = lo + timedelta(days=rng.randint(0, (hi - lo).days))
            topic = rng.choice(self.vocab["topics"])
        values = unit.placeholders()
        doc = PlannedDoc(index, spec, unit, self._symbol(spec, values), issued, topic, parents)
        doc.issuer = spec["issuer"].format(**values)
        doc.ref_names = tuple(r.format(**values) for r in spec["refs"])
        return doc

    def _symbol(self, spec: dict[str, Any], values: dict[str, str]) -> str:
        """A symbol no other document of the corpus (or the reserved list) carries."""
        top = 60
        while True:
            for _ in range(20):
                symbol = spec["symbol"].format(n=self.rng.randint(1, top), **values)
                if symbol not in self.used_symbols:
                    self.used_symbols.add(symbol)
                    return symbol
            top *= 2

    def _descend(self, unit: Unit, level: int) -> Unit:
        """A unit at ``level`` inside ``unit``: an existing one or a new one."""
        while unit.level < level:
            fresh = not unit.children or self.rng.random() < NEW_UNIT_PROBABILITY
            unit = self._new_child(unit) if fresh else self.rng.choice(unit.children)
        return unit

    def _new_child(self, unit: Unit) -> Unit:
        rng, vocab = self.rng, self.vocab
        child = Unit(
            level=unit.level + 1,
            province=unit.province,
            district=unit.district,
            commune=unit.commune,
        )
        pool = vocab[("provinces", "districts", "communes", "school_names")[unit.level]]
        taken = {
            getattr(c, ("province", "district", "commune", "school")[unit.level])
            for c in unit.children
        }
        name = rng.choice([p for p in pool if p not in taken] or pool)
        if child.level == 1:
            child.province = name
        elif child.level == 2:
            child.district = name
        elif child.level == 3:
            child.commune = name
        else:
            kind = rng.choice(vocab["school_kind"])
            child.school = name
            child.school_kind = kind["name"]
            child.school_code = kind["code"] + "".join(w[0] for w in child.school.split()).upper()
        unit.children.append(child)
        return child


def _allocate(n: int, shares: dict[str, float]) -> dict[str, int]:
    """Split ``n`` by ``shares`` (largest remainder); at least one root document.

    >>> _allocate(10, {"a": 0.5, "b": 0.3, "c": 0.2})
    {'a': 5, 'b': 3, 'c': 2}
    """
    total = sum(shares.values())
    exact = {k: n * s / total for k, s in shares.items()}
    counts = {k: int(v) for k, v in exact.items()}
    first = next(iter(shares))
    if n and counts[first] == 0:
        counts[first] = 1
    by_remainder = sorted(exact, key=lambda k: exact[k] - int(exact[k]), reverse=True)
    for key in by_remainder:
        if sum(counts.values()) >= n:
            break
        counts[key] += 1
    while sum(counts.values()) > n:  # the forced root overshot: take from the largest
        counts[max(counts, key=lambda k: counts[k])] -= 1
    return counts


def generate_corpus(n: int, seed: int = 0) -> SyntheticCorpus:
    """``n`` synthetic documents and their known implementation tree.

    >>> corpus = generate_corpus(30, seed=1)
    >>> len(corpus.docs), all(p in {d.symbol for d in corpus.docs} for _, p in corpus.edges)
    (30, True)
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    planned = _Planner(n, seed).plan()
    rng = random.Random(seed * 7919 + n)
    docs = []
    central: list[PlannedDoc] = []
    for doc in planned:
        rendered = render_document(doc, rng, central)
        if doc.unit.level == 0:
            central.append(doc)
        digest = sha1(f"{seed}:{doc.symbol}".encode()).hexdigest()[:16]
        docs.append(
            SyntheticDoc(
                file=f"{doc.index:05d}_{digest}.txt",
                text=rendered.text,
                symbol=doc.symbol,
                kind=doc.kind,
                issuer=doc.issuer,
                level=str(doc.spec["level"]),
                date=doc.issued.isoformat(),
                place=rendered.place,
                title=rendered.title,
                implements=tuple(p.symbol for p in doc.parents),
                relations=rendered.relations,
                chains=rendered.chains,
            )
        )
    return SyntheticCorpus(n=n, seed=seed, docs=tuple(docs))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.synth --docs N --seed S --out DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--docs", type=int, default=200, help="number of documents (200)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument("--out", type=Path, required=True, help="directory for the .txt files")
    parser.add_argument("--tree", type=Path, help="also write the known tree as JSON here")
    args = parser.parse_args(argv)
    corpus = generate_corpus(args.docs, args.seed)
    corpus.write(args.out)
    if args.tree:
        args.tree.write_text(json.dumps(corpus.tree_json(), ensure_ascii=False, indent=1), "utf-8")
    size = sum(len(d.text.encode()) for d in corpus.docs)
    print(
        f"{len(corpus.docs)} documents, {size / 1e6:.1f} MB, {len(corpus.edges)} implements "
        f"edges -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
