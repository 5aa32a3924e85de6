"""Search the vanban index: ranked, filtered, faceted, paged, with highlighted snippets.

>>> searcher = Searcher("var/index")                      # doctest: +SKIP
>>> page = searcher.search("phổ cập giáo dục")             # doctest: +SKIP
>>> [h.doc_id for h in page.hits], page.facets["kind"]     # doctest: +SKIP

One :class:`Searcher` per process: it opens the whoosh searcher once and
reopens it only when the index generation changed (:meth:`Searcher.refresh`).
A query without diacritics searches the folded fields; one with diacritics the
accented fields (tone placements are unified by ``normalize_text`` on both
sides), falling back to the folded fields when it finds nothing.
"""

from __future__ import annotations

import heapq
import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query as wq

from indexer.errors import NotFoundError, QueryError
from indexer.index.schema import FACETS, FILTER_FIELDS, syllable_stream
from indexer.index.store import index_version, open_searcher, read_documents
from indexer.messages import say, vi
from indexer.models import Extraction, IndexedDocument
from indexer.normalize import fold, fold_words
from indexer.search.query import ParsedQuery, parse_query
from indexer.search.scoring import BulkScorer
from indexer.search.snippets import PackedSpans, make_snippet
from indexer.segment.analysis import pairs_of, query_syllables

log = logging.getLogger(__name__)

SORTS = ("relevance", "date")
# The vocabulary query syllables are grouped with; folded, so that one field
# serves accented and unaccented queries (the pairs then decide on accents).
WORDS_FIELD = "words_folded"
# Phrases of three syllables or more are checked exactly in at most this many documents.
MAX_VERIFIED_DOCS = 500
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Hit:
    """One search result."""

    doc_id: str
    file: str
    title: str
    kind: str | None
    symbol: str | None
    issuer: str | None
    date: str | None
    level: str | None
    score: float
    snippet: str  # escaped HTML, matches in <mark>


@dataclass(frozen=True)
class SearchPage:
    """One page of results with facet counts over the whole result set."""

    query: str  # as typed
    total: int
    page: int
    per_page: int
    sort: str
    folded: bool
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class StoredDocument:
    """A document as stored in the index, with its normalised full text."""

    doc_id: str
    file: str
    rel_path: str
    path: str
    text: str
    extraction: Extraction
    sha256: str


@dataclass
class _Plan:
    """A parsed query turned into whoosh terms for one field family."""

    query: wq.Query
    sequences: list[list[str]]  # positive syllable sequences, for snippets
    verify: list[list[str]]  # positive phrases of 3+ syllables to check exactly
    exclude: list[list[str]]  # negated phrases of 3+ syllables


@dataclass(frozen=True)
class _Columns:
    """Facet values and dates by docnum: facets are counted from these, not by whoosh."""

    values: dict[str, list[str]]

    @classmethod
    def read(cls, reader: Any) -> _Columns:
        values: dict[str, list[str]] = {name: [] for name in (*FACETS, "date")}
        distinct: dict[str, str] = {}  # one string object per distinct value
        for leaf, _ in reader.leaf_readers():  # a segment may lack a column: "" for each doc
            count = leaf.doc_count_all()
            if not count:  # an empty index has a reader without columns
                continue
            for name, out in values.items():
                column = leaf.column_reader(name)
                found = list(column)
                if len(found) != count:
                    found = [column[d] for d in range(count)]
                out.extend(distinct.setdefault(v, v) for v in found)
        return cls(values)

    def facets(self, docnums: Mapping[int, float]) -> dict[str, list[tuple[str, int]]]:
        """``[(value, count), …]`` per facet over ``docnums``, most frequent first."""
        out = {}
        for name in FACETS:
            column = self.values[name]
            counts = Counter(map(column.__getitem__, docnums))
            out[name] = sorted(
                ((str(v), n) for v, n in counts.items() if v), key=lambda vn: (-vn[1], vn[0])
            )
        return out


class Searcher:
    """Query an index directory; cheap to keep for the life of a process."""

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._version = index_version(self.index_dir)
        self._ix, self._searcher = open_searcher(self.index_dir, mmap=False)
        self._scorer = BulkScorer(self._searcher)
        self._cols: _Columns | None = None
        self._column_readers: dict[str, Any] = {}

    def refresh(self) -> bool:
        """Reopen the searcher if the index changed since; True when it did."""
        version = index_version(self.index_dir)
        try:
            if self._searcher.up_to_date() and version == self._version:
                return False
        except OSError:  # the index folder was rebuilt under us: reopen
            log.debug("cannot check %s; reopening", self.index_dir, exc_info=True)
        # Reopen the index itself, not only the reader: a rebuild after a
        # schema change starts a new index with a new schema. Until the new
        # one opens, the old searcher keeps answering from its open files.
        self._ix, new = open_searcher(self.index_dir, mmap=False)
        old, self._searcher, self._version = self._searcher, new, version
        self._scorer, self._cols, self._column_readers = BulkScorer(new), None, {}
        old.close()
        return True

    def close(self) -> None:
        """Release the index files (again: no-op)."""
        if not self._searcher.is_closed:
            self._searcher.close()

    def __del__(self) -> None:
        # The segment files stay open (mmap=False): a searcher dropped
        # without close() still releases them, without a ResourceWarning.
        if hasattr(self, "_searcher"):
            self.close()

    # -- query construction ---------------------------------------------

    def _fields(self, folded: bool) -> tuple[str, str]:
        suffix = "_folded" if folded else ""
        return "body" + suffix, "pairs" + suffix

    def _atom_query(self, terms: list[str], folded: bool, compound: bool) -> wq.Query:
        body, pairs = self._fields(folded)
        if len(terms) == 1:
            return wq.Term(body, terms[0])
        required = wq.And([wq.Term(pairs, p) for p in pairs_of(terms)])
        if compound:
            return wq.AndMaybe(required, wq.Term(WORDS_FIELD, fold("_".join(terms))))
        return required

    def _parse(self, query: str) -> ParsedQuery:
        reader = self._searcher.reader()

        def is_word(term: str) -> bool:
            return bool(reader.doc_frequency(WORDS_FIELD, fold(term)))

        return parse_query(query, is_word)

    def _plan(self, parsed: ParsedQuery, folded: bool) -> _Plan:
        plan = _Plan(wq.Every(), [], [], [])
        positives: list[wq.Query] = []
        for clause in parsed.clauses:
            alts = [query_syllables(a.text, folded) for a in clause.alternatives]
            queries = [
                self._atom_query(terms, folded, compound=atom.compound)
                for terms, atom in zip(alts, clause.alternatives, strict=True)
            ]
            if clause.negated:
                plan.exclude.extend(t for t in alts if len(t) > 2)
                short = [q for t, q in zip(alts, queries, strict=True) if len(t) <= 2]
                if short:
                    positives.append(wq.Not(wq.Or(short)))
                continue
            plan.sequences.extend(alts)
            if len(alts) == 1 and len(alts[0]) > 2:
                plan.verify.append(alts[0])
            positives.append(wq.Or(queries) if len(queries) > 1 else queries[0])
        if positives:
            plan.query = wq.And(positives) if len(positives) > 1 else positives[0]
        return plan

    def _filter_query(self, filters: dict[str, str]) -> list[wq.Query]:
        out: list[wq.Query] = []
        for name, value in filters.items():
            if not value:
                continue
            if name not in FILTER_FIELDS:
                raise QueryError(say("search.bad_filter", name=name))
            if name == "issuer":
                terms = query_syllables(str(value), folded=True)
                out.append(wq.And([wq.Term("issuer_terms", t) for t in terms]))
            else:
                out.append(wq.Term(FILTER_FIELDS[name], fold_words(str(value))))
        return out

    def _phrase_docs(
        self, candidates: Iterable[int], phrases: list[list[str]], folded: bool
    ) -> set[int]:
        """The ``candidates`` (docnums) in which every phrase occurs exactly.

        Reads only the syllable-stream column of each candidate. Above
        ``MAX_VERIFIED_DOCS`` candidates they are all returned unchecked: the
        AND of the phrase's pairs stands for the phrase (a false
        match needs every pair of the phrase elsewhere in the document, which
        is rare, and checking thousands of documents costs more than the search).
        """
        candidates = set(candidates)
        if len(candidates) > MAX_VERIFIED_DOCS:
            return candidates
        column = self._column("stream_folded" if folded else "stream")
        needles = [syllable_stream(p) for p in phrases]
        return {d for d in candidates if all(needle in column[d] for needle in needles)}

    def _column(self, name: str) -> Any:
        """A column reader, kept: opening one reads the column's offset table."""
        reader = self._column_readers.get(name)
        if reader is None:
            reader = self._column_readers[name] = self._searcher.reader().column_reader(name)
        return reader

    def _columns(self) -> _Columns:
        """Facet and date values per docnum, read once per opened searcher."""
        if self._cols is None:
            self._cols = _Columns.read(self._searcher.reader())
        return self._cols

    # -- the public verbs -----------------------------------------------

    def search(
        self,
        query: str,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str = "relevance",
        filters: dict[str, Any] | None = None,
    ) -> SearchPage:
        """Run a query (syntax in :mod:`indexer.search.query`) and return one page of hits."""
        if sort not in SORTS:
            raise QueryError(say("search.bad_sort", sort=sort))
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise QueryError(say("search.bad_page", max_per_page=MAX_PER_PAGE))
        parsed = self._parse(query)
        merged = {**parsed.filters, **{k: str(v) for k, v in (filters or {}).items() if v}}
        if not parsed.clauses and not merged:
            raise QueryError(say("search.empty_query"), hint=vi("hint.empty_query"))
        folded = parsed.folded
        result = self._run(query, parsed, merged, folded, page, per_page, sort)
        if result.total == 0 and not folded and parsed.clauses:
            result = self._run(query, parsed, merged, True, page, per_page, sort)
        return result

    def _run(
        self,
        query: str,
        parsed: ParsedQuery,
        filters: dict[str, str],
        folded: bool,
        page: int,
        per_page: int,
        sort: str,
    ) -> SearchPage:
        plan = self._plan(parsed, folded)
        restrictions = self._filter_query(filters)
        final = wq.And([plan.query, *restrictions]) if restrictions else plan.query
        # Every match with whoosh's own score, computed in bulk (scoring.py):
        # counting, faceting and ranking then never walk whoosh's matchers.
        matched = self._scorer.scores(final)
        if plan.verify:
            kept = self._phrase_docs(matched, plan.verify, folded)
            if len(kept) < len(matched):
                matched = {d: s for d, s in matched.items() if d in kept}
        masked: set[int] = set()
        for phrase in plan.exclude:
            inside = self._scorer.scores(self._atom_query(phrase, folded, compound=False))
            masked |= self._phrase_docs((d for d in inside if d in matched), [phrase], folded)
        if masked:
            matched = {d: s for d, s in matched.items() if d not in masked}
        columns = self._columns()
        limit = page * per_page
        if sort == "date":
            dates = columns.values["date"]
            top = [
                (d, matched[d]) for d in heapq.nlargest(limit, matched, key=lambda d: (dates[d], d))
            ]
        else:  # whoosh's order: higher score first, then lower docnum
            top = heapq.nsmallest(limit, matched.items(), key=lambda ds: (-ds[1], ds[0]))
        hits = [
            self._hit(docnum, score, plan.sequences, folded, sort)
            for docnum, score in top[(page - 1) * per_page : limit]
        ]
        return SearchPage(
            query=query,
            total=len(matched),
            page=page,
            per_page=per_page,
            sort=sort,
            folded=folded,
            hits=hits,
            facets=columns.facets(matched),
        )

    def _hit(
        self, docnum: int, score: float, sequences: list[list[str]], folded: bool, sort: str
    ) -> Hit:
        fields = self._searcher.stored_fields(docnum)
        stream = self._column("stream_folded" if folded else "stream")
        return Hit(
            doc_id=fields["doc_id"],
            file=fields.get("file", ""),
            title=fields.get("title") or "",
            kind=fields.get("kind") or None,
            symbol=fields.get("symbol") or None,
            issuer=fields.get("issuer") or None,
            date=fields.get("date") or None,
            level=fields.get("level") or None,
            score=round(float(score), 4) if sort == "relevance" and score else 0.0,
            snippet=make_snippet(
                fields["text"], PackedSpans(fields["offsets"]), sequences, folded, stream[docnum]
            ),
        )

    def document(self, doc_id: str) -> StoredDocument:
        """The stored document, or :class:`NotFoundError`."""
        docnum = self._searcher.document_number(doc_id=doc_id)
        if docnum is None:
            raise NotFoundError(say("search.no_document", doc_id=doc_id))
        fields = self._searcher.stored_fields(docnum)
        data = self._column("extraction")[docnum]
        return StoredDocument(
            doc_id=fields["doc_id"],
            file=fields.get("file", ""),
            rel_path=fields.get("rel_path", ""),
            path=fields.get("path", ""),
            text=fields.get("text", ""),
            extraction=Extraction.from_dict(json.loads(data or b"{}")),
            sha256=fields.get("sha256", ""),
        )

    def newest(self, limit: int) -> tuple[list[IndexedDocument], int]:
        """The ``limit`` documents with the latest date (then doc_id), and how many there are.

        Only their extractions are read: holding every document's extraction
        for the home page cost ~20 MB per 1,000 documents (issue 6).
        """
        reader = self._searcher.reader()
        if reader.doc_count() == 0:  # whoosh's EmptyReader has no columns
            return [], 0
        dates, doc_ids = self._columns().values["date"], self._column("doc_id")
        chosen = heapq.nlargest(limit, reader.all_doc_ids(), key=lambda d: (dates[d], doc_ids[d]))
        columns = {
            name: self._column(name) for name in ("file", "rel_path", "sha256", "extraction")
        }
        docs = [
            IndexedDocument(
                doc_id=doc_ids[d],
                file=columns["file"][d],
                rel_path=columns["rel_path"][d],
                sha256=columns["sha256"][d],
                extraction=Extraction.from_dict(json.loads(columns["extraction"][d] or b"{}")),
            )
            for d in chosen
        ]
        return docs, reader.doc_count()

    def documents(self) -> list[IndexedDocument]:
        """Every indexed document with its extraction, by doc_id (read from columns)."""
        return read_documents(self._searcher)
