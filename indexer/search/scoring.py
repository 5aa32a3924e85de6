"""Score a whoosh query over the whole index at once: ``{docnum: score}``.

whoosh's collectors walk a tree of matchers one posting at a time, in Python:
for a phrase found in most documents that is most of the query time (issue 6).
Here each term's postings are read a block at a time and scored in one
comprehension, and And/Or/AndMaybe/Not combine plain dicts. The scores are
whoosh's own: BM25F with the searcher's global idf and average field length,
the quantised field lengths whoosh stores, and the matcher trees whoosh builds
(And and Or grouped by estimated size, as ``make_weighted_tree`` does), so sums
are added in the same order and results rank the same.

Only the query shapes :mod:`indexer.search.searcher` builds are understood
(Term, And, Or, AndMaybe, Not, Every, unboosted, under whoosh's default BM25F);
anything else raises :class:`UnsupportedQuery`. The searcher builds no other
shape and keeps the default weighting (tests/test_search_scoring.py checks
every query it builds), so it has no fallback to whoosh's collectors: a new
shape must be taught here, with its scores checked against whoosh's.

>>> from whoosh import query as wq
>>> scores = BulkScorer(whoosh_searcher).scores(wq.Term("body", "phổ"))  # doctest: +SKIP
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from whoosh import query as wq
from whoosh import scoring
from whoosh.util.numeric import byte_to_length

from indexer.internals import whoosh_private

Scores = dict[int, float]

# whoosh.query.Or preloads an array instead of building a tree of unions for
# more than two clauses in a segment of at most this many documents.
OR_TREE_MIN_DOCS = 5000
# Deleted documents (replaced since their segment was written) are removed from
# a posting list one by one up to this many, else by rebuilding the lists.
DELETE_IN_PLACE_MAX = 64


class UnsupportedQuery(Exception):
    """A query shape (or weighting) this module does not score: a programming error."""


def _weighted_tree(
    items: list[tuple[int, Scores]], join: Callable[[Scores, Scores], Scores]
) -> Scores:
    """``whoosh.util.make_weighted_tree``: repeatedly join the two lightest; ties stay in order."""
    items = sorted(items, key=lambda wi: wi[0])
    while len(items) > 1:
        (wa, a), (wb, b) = items[0], items[1]
        del items[:2]
        weight = wa + wb
        at = bisect_right([w for w, _ in items], weight)
        items.insert(at, (weight, join(a, b)))
    return items[0][1]


def _intersect(a: Scores, b: Scores) -> Scores:
    if len(b) < len(a):
        return {d: a[d] + s for d, s in b.items() if d in a}
    return {d: s + b[d] for d, s in a.items() if d in b}


def _union(a: Scores, b: Scores) -> Scores:
    out = dict(a)
    for d, s in b.items():
        out[d] = out[d] + s if d in out else s
    return out


class _Segment:
    """One leaf searcher: its postings, field lengths and deletions."""

    def __init__(self, top: Any, sub: Any) -> None:
        self.top, self.sub = top, sub
        self.reader = sub.reader()
        self.doccount = self.reader.doc_count_all()
        self.deleted: frozenset[int] = (
            self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()
        )
        self._lengths: dict[str, bytes] = {}

    def lengths(self, field: str) -> bytes:
        """The length byte whoosh stores for each document of the segment (0 = none)."""
        data = self._lengths.get(field)
        if data is None:
            data = whoosh_private.field_length_bytes(self.reader, field, self.doccount)
            self._lengths[field] = data
        return data

    def postings(self, field: str, text: bytes) -> tuple[list[int], list[float]]:
        """Docnums and weights of one term, deleted documents left out."""
        ids, weights = whoosh_private.term_postings(self.reader, field, text)
        if self.deleted and not self.deleted.isdisjoint(ids):
            gone = self._positions(ids, self.deleted)
            if len(gone) <= DELETE_IN_PLACE_MAX:
                for i in reversed(gone):
                    del ids[i], weights[i]
            else:
                dropped = set(gone)
                keep = [i for i in range(len(ids)) if i not in dropped]
                ids, weights = [ids[i] for i in keep], [weights[i] for i in keep]
        return ids, weights

    @staticmethod
    def _positions(ids: list[int], docnums: frozenset[int]) -> list[int]:
        """Ascending positions in ``ids`` (sorted) of the docnums present."""
        out = []
        for d in sorted(docnums):
            i = bisect_left(ids, d)
            if i < len(ids) and ids[i] == d:
                out.append(i)
        return out

    def term(self, q: wq.Term) -> Scores:
        schema = self.reader.schema
        if q.fieldname not in schema:
            return {}
        field = schema[q.fieldname]
        try:
            text = field.to_bytes(q.text)
        except ValueError:
            return {}
        if (q.fieldname, text) not in self.reader:
            return {}
        ids, weights = self.postings(q.fieldname, text)
        weighting = self.top.weighting
        if not field.scorable:
            scores = dict(zip(ids, weights, strict=True))
        elif type(weighting) is scoring.BM25F:
            scores = self._bm25(q.fieldname, text, ids, weights, weighting)
        else:
            raise UnsupportedQuery(f"weighting {type(weighting).__name__}")
        if q.boost != 1.0:
            scores = {d: s * q.boost for d, s in scores.items()}
        return scores

    def _bm25(
        self, fieldname: str, text: bytes, ids: list[int], tfs: list[float], w: scoring.BM25F
    ) -> Scores:
        """``scoring.bm25`` per posting, with the length part computed per length byte."""
        top = self.top
        idf = top.idf(fieldname, text)
        avgfl = top.avg_field_length(fieldname) or 1
        B = whoosh_private.bm25f_b(w, fieldname)
        K1 = w.K1
        k1p1 = K1 + 1
        norm = [K1 * ((1 - B) + B * byte_to_length(b) / avgfl) if b else 0.0 for b in range(256)]
        lengths = self.lengths(fieldname)
        return {
            d: idf * ((tf * k1p1) / (tf + norm[lengths[d]])) for d, tf in zip(ids, tfs, strict=True)
        }

    def every(self) -> Scores:
        return {d: 1.0 for d in range(self.doccount) if d not in self.deleted}

    def scores(self, q: wq.Query) -> Scores:
        """The documents of this segment matching ``q``, with whoosh's scores."""
        if isinstance(q, wq.Term):
            return self.term(q)
        if isinstance(q, wq.Every) and q.fieldname is None:
            return self.every()
        if isinstance(q, wq.Not):
            excluded = self.scores(q.query)
            return {d: 1.0 for d in self.every() if d not in excluded}
        if isinstance(q, wq.AndMaybe):
            a, b = self.scores(q.a), self.scores(q.b)
            return {d: s + b[d] if d in b else s for d, s in a.items()}
        if type(q) in (wq.And, wq.Or) and q.boost == 1.0:
            subs = q.subqueries
            if not subs:
                return {}
            if len(subs) == 1:
                return self.scores(subs[0])
            reader = self.reader
            if isinstance(q, wq.And):
                return _weighted_tree(
                    [(-s.estimate_size(reader), self.scores(s)) for s in subs], _intersect
                )
            if len(subs) == 2 or self.doccount > OR_TREE_MIN_DOCS:
                return _weighted_tree(
                    [(s.estimate_size(reader), self.scores(s)) for s in subs], _union
                )
            total: Scores = {}
            for s in subs:  # whoosh's ArrayUnionMatcher: added clause by clause
                for d, v in self.scores(s).items():
                    total[d] = total.get(d, 0.0) + v
            return total
        raise UnsupportedQuery(repr(q))


class BulkScorer:
    """Scores queries over every segment of one open whoosh searcher."""

    def __init__(self, searcher: Any) -> None:
        self._segments = [
            (_Segment(searcher, sub), offset) for sub, offset in searcher.leaf_searchers()
        ]

    def scores(self, q: wq.Query) -> Scores:
        """``{global docnum: score}`` of every document matching ``q``."""
        out: Scores = {}
        for segment, offset in self._segments:
            found = segment.scores(q)
            if offset:
                out.update((d + offset, s) for d, s in found.items())
            else:
                out.update(found)
        return out
