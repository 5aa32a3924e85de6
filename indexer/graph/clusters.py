"""Which printed references name the same document: node identity for the graph.

A symbol is not an identity: ``12/KH-UBND`` is issued by hundreds of committees
every year. A document is known by kind + symbol + year (from its date or its
symbol) + issuer. ``resolve`` groups the records that name one symbol into
clusters of compatible records; each cluster becomes one graph node.

Rules, in order:
- two corpus documents are never the same node;
- a symbol whose number is blank (``/KH-THNBK``) matches only an identical
  kind, year and issuer;
- kinds must agree when both are known ("Chương trình" is compatible with
  "Chương trình hành động");
- years must agree when both are known;
- issuers must agree (one's words within the other's) when both are known,
  unless the symbol's issuing code is central (``TW``, ``CP``, ``BGDĐT``…),
  which names the issuer already;
- a record compatible with exactly one cluster joins it; with none it starts a
  new one; with several it is ambiguous and joins the symbol's ambiguous node.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from indexer.extract.levels import level_of
from indexer.extract.symbols import is_blank_number, kind_from_symbol, symbol_key, symbol_year
from indexer.grammar import load_table
from indexer.models import Level
from indexer.normalize import fold_words, folded_words

log = logging.getLogger(__name__)

# Issuer vocabulary (abbreviations, organ words, generic words) is data:
# indexer/grammar/issuer_words.toml.
_ISSUER_WORDS = load_table("issuer_words")
ISSUER_ABBREVIATIONS: dict[str, str] = dict(_ISSUER_WORDS["abbreviations"])
ISSUER_STOP_WORDS = frozenset(_ISSUER_WORDS["stop_words"])
ISSUER_GENERIC_WORDS = frozenset(_ISSUER_WORDS["generic_words"])


def name_key(kind: str, name: str) -> str:
    """The lookup form of a document named without a symbol: folded words, kind first.

    The kind is added when the name does not start with it, so "Đề án" + "Xây
    dựng xã hội học tập giai đoạn 2021 - 2030" and "Đề án Xây dựng xã hội học
    tập giai đoạn 2021-2030" (seeds 002, 003) compare equal.

    >>> name_key("Đề án", "Xây dựng xã hội học tập giai đoạn 2021 - 2030")
    'de an xay dung xa hoi hoc tap giai doan 2021 2030'
    """
    words, head = folded_words(name), folded_words(kind)
    if words[: len(head)] != head:
        words = head + words
    return " ".join(words)


@lru_cache(maxsize=65536)
def is_central_symbol(symbol: str) -> bool:
    """True when the symbol's issuing code alone names a central issuer."""
    return level_of(None, symbol) == Level.CENTRAL


@lru_cache(maxsize=65536)
def issuer_words(issuer: str) -> frozenset[str]:
    """The words that identify an issuer, folded, abbreviations expanded.

    >>> sorted(issuer_words("Ban Thường vụ Tỉnh ủy"))
    ['tinh', 'uy']
    """
    words: list[str] = []
    for word in folded_words(issuer):
        words.extend(ISSUER_ABBREVIATIONS.get(word, word).split())
    return frozenset(w for w in words if w not in ISSUER_STOP_WORDS)


def issuers_compatible(a: str, b: str, same_day: bool = False) -> bool:
    """True when two printed issuers may be the same body.

    Either is unknown; or one's words are within the other's ("Ban Thường vụ
    Tỉnh ủy" / "Tỉnh ủy"); or, at the same level, one names no place, or one's
    place words are within the other's. Failing that, a reference printed with
    the same symbol on the same day (``same_day``) is still the same document:
    issuers are often printed with noise.
    """
    if not a or not b:
        return True
    wa, wb = issuer_words(a), issuer_words(b)
    if wa <= wb or wb <= wa:
        return True
    la, lb = _level(a, ""), _level(b, "")
    if la is not None and lb is not None and la != lb:
        return False
    pa, pb = wa - ISSUER_GENERIC_WORDS, wb - ISSUER_GENERIC_WORDS
    return not pa or not pb or pa <= pb or pb <= pa or same_day


def kinds_compatible(a: str, b: str) -> bool:
    """True when either kind is unknown, they agree, or one extends the other."""
    return not a or not b or a.startswith(b) or b.startswith(a)


@dataclass
class Record:
    """One printed naming of a document: a corpus identity or a reference."""

    symbol: str
    kind: str = ""
    date: str = ""
    issuer: str = ""
    doc_id: str = ""  # set only for a corpus document's own identity
    file: str = ""
    title: str = ""
    level: str = ""

    @cached_property
    def key(self) -> str:
        return symbol_key(self.symbol)

    @cached_property
    def year(self) -> str:
        return self.date[:4] if self.date else symbol_year(self.symbol)

    @property
    def specificity(self) -> int:
        return 2 * bool(self.year) + bool(self.issuer) + bool(self.kind)


@dataclass
class Cluster:
    """Records that name one document; becomes one graph node.

    Add records with :meth:`add` only: it keeps the running kinds, years and
    most specific issuer that :meth:`accepts` compares against.
    """

    key: str
    ambiguous: bool = False
    records: list[Record] = field(default_factory=list)
    corpus: Record | None = None
    kinds: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    days: set[str] = field(default_factory=set)  # full dates, "2024-04-17"
    best_issuer: str = ""

    @classmethod
    def of(cls, key: str, *records: Record) -> Cluster:
        """A cluster holding ``records``."""
        cluster = cls(key)
        for rec in records:
            cluster.add(rec)
        return cluster

    def add(self, rec: Record) -> None:
        self.records.append(rec)
        if rec.doc_id and self.corpus is None:
            self.corpus = rec
        if rec.kind:
            self.kinds.add(rec.kind)
        if rec.year:
            self.years.add(rec.year)
        if len(rec.date) == len("2024-04-17"):
            self.days.add(rec.date)
        # The most specific issuer seen: the one with most identifying words.
        if rec.issuer and (len(issuer_words(rec.issuer)), rec.issuer) > (
            len(issuer_words(self.best_issuer)),
            self.best_issuer,
        ):
            self.best_issuer = rec.issuer

    def _known(self, attr: str) -> str:
        corpus = self.corpus
        if corpus is not None and getattr(corpus, attr):
            return str(getattr(corpus, attr))
        printed = [v for v in (getattr(r, attr) for r in self.records) if v]
        if len(set(printed)) <= 1:
            return printed[0] if printed else ""
        # The most frequent spelling; on a tie the longest (most informative).
        values = Counter(printed)
        return max(values, key=lambda v: (values[v], len(v), v))

    @cached_property
    def summary(self) -> dict[str, str]:
        """Kind, symbol, date and year of the document; read once resolution is over."""
        return {
            "kind": self._known("kind") or kind_from_symbol(self.records[0].symbol) or "",
            "symbol": self._known("symbol"),
            "date": self._known("date"),
            "year": self._known("year"),
        }

    @property
    def kind(self) -> str:
        return self.summary["kind"]

    @property
    def symbol(self) -> str:
        return self.summary["symbol"]

    @property
    def date(self) -> str:
        return self.summary["date"]

    @property
    def year(self) -> str:
        return self.summary["year"]

    @property
    def issuer(self) -> str:
        """The corpus document's own issuer, else the most specific one seen."""
        corpus = self.corpus
        return corpus.issuer if corpus is not None and corpus.issuer else self.best_issuer

    def accepts(self, rec: Record) -> bool:
        """True when ``rec`` may name the same document as this cluster."""
        if self.ambiguous or (rec.doc_id and self.corpus is not None):
            return False
        if is_blank_number(rec.symbol):
            head = self.records[0]
            return (head.kind, head.year, fold_words(head.issuer)) == (
                rec.kind,
                rec.year,
                fold_words(rec.issuer),
            )
        if rec.kind and not all(kinds_compatible(rec.kind, k) for k in self.kinds):
            return False
        if rec.year and self.years and rec.year not in self.years:
            return False
        if rec.issuer and not is_central_symbol(rec.symbol):
            return issuers_compatible(rec.issuer, self.issuer, rec.date in self.days)
        return True

    def level(self) -> str:
        """The administrative level: printed by the document, else derived."""
        corpus = self.corpus
        if corpus is not None and corpus.level:
            return corpus.level
        found = _level(self.issuer, self.symbol)
        return found.value if found is not None else ""


@lru_cache(maxsize=65536)
def _level(issuer: str, symbol: str) -> Level | None:
    return level_of(issuer or None, symbol or None)


def resolve(records: Iterable[Record]) -> dict[int, Cluster]:
    """Cluster records naming the same document; maps ``id(record)`` to its cluster.

    Corpus identities are placed first, then references from the most to the
    least specific, so a vague reference ("Kế hoạch số 12/KH-UBND", no year)
    meets every candidate before it decides.
    """
    groups: dict[str, list[Record]] = {}
    for rec in records:
        groups.setdefault(rec.key, []).append(rec)
    placed: dict[int, Cluster] = {}
    for key, group in groups.items():
        group.sort(key=lambda r: (not r.doc_id, -r.specificity, r.doc_id))
        clusters: list[Cluster] = []
        ambiguous: Cluster | None = None
        for rec in group:
            fits = [c for c in clusters if c.accepts(rec)]
            if len(fits) == 1:
                target = fits[0]
            elif not fits:
                target = Cluster(key)
                clusters.append(target)
            else:
                if ambiguous is None:
                    ambiguous = Cluster(key, ambiguous=True)
                    clusters.append(ambiguous)
                target = ambiguous
                log.debug("ambiguous reference %s: %d candidates", rec.symbol, len(fits))
            target.add(rec)
            placed[id(rec)] = target
    return placed
