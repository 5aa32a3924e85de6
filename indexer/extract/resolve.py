"""Mentions -> one DocRef per distinct document, and the chains the text asserts.

- Repeated mentions of a symbol collapse to one :class:`DocRef` with the
  strongest relation, the sentence that states it and the mention count.
- Chains: "Kế hoạch số 232-KH/TU … thực hiện Chỉ thị số 29-CT/TW" links two
  *other* documents; a shared tail binds every coordinated head ("68/NQ-CP …
  và 40-CTr/TU … về thực hiện 42-NQ/TW" gives two links).
- Self-references are dropped: the document's own symbol ("Số: …" in the
  header), and "(Kèm theo Kế hoạch số …)" in its own annex.
- Abbreviations declared in parentheses ("sau đây viết tắt là Nghị quyết số
  29") resolve to the document they follow.
"""

from __future__ import annotations

from collections.abc import Sequence

from indexer.extract import patterns
from indexer.extract.classify import (
    Layout,
    classify_relation,
    evidence,
    find_cues,
    layout,
    opens_clause,
)
from indexer.extract.dates import date_at
from indexer.extract.find import Found, kind_named
from indexer.models import ChainLink, DocRef, Identity, Mention, Relation

MAX_CHAIN_GAP_CHARS = 300
MAX_COREFERENCE_CHARS = 200
HEADER_CHARS = 2000  # "Số: …" counts as the own number only near the top
ANNEX_WINDOW_CHARS = 80

Pair = tuple[int, int]


def _gap(text: str, left: Found, right: Found) -> str | None:
    """The text between two documents of one clause, or None when a sentence or clause ends."""
    start, end = left.tail_end, right.kind_start
    if start > end or end - start > MAX_CHAIN_GAP_CHARS:
        return None
    gap = text[start:end]
    if patterns.SENTENCE_END_RE.search(gap):
        return None
    for cue in patterns.CUE_RE.finditer(text, start, end):
        if opens_clause(text, cue.start()):
            return None
    return gap


def _coordinated(text: str, found: Sequence[Found], i: int, step: int, heads: bool) -> list[int]:
    """Indices coordinated with ``found[i]``, walking back (step -1) or forward (+1)."""
    out = []
    while 0 <= i + step < len(found):
        left, right = (found[i + step], found[i]) if step < 0 else (found[i], found[i + step])
        gap = _gap(text, left, right)
        match = patterns.COORD_GAP_RE.match(gap) if gap is not None else None
        if not match or (not heads and match.group("sep") == ";"):
            break
        i += step
        out.append(i)
    return out


def _named_by_kind_and_issuer(text: str, found: Sequence[Found], h: int) -> int | None:
    """The document a head carries out when the text names it by kind and issuer only.

    After the head, within ``MAX_COREFERENCE_CHARS`` and before the next mention,
    a chain link (``CHAIN_GAP_RE``) then "<kind> của <issuer>" with no symbol
    names the only other document of that kind, printed with its kind word and
    symbol anywhere in the text, whose issuer holds every word of <issuer>. No
    such document, or several, gives None. Examples: cues.toml ``[coreference]``.
    """
    head = found[h]
    stop = found[h + 1].kind_start if h + 1 < len(found) else len(text)
    window_end = min(stop, head.tail_end + MAX_COREFERENCE_CHARS)
    for kind_match in patterns.KIND_ANY_RE.finditer(text, head.tail_end, window_end):
        gap = text[head.tail_end : kind_match.start()]
        if not patterns.CHAIN_GAP_RE.match(gap):
            continue
        named = patterns.KIND_OF_ISSUER_RE.match(text, kind_match.start())
        if not named:
            return None
        kind = kind_named(named.group("kind"))
        words = set(named.group("issuer").lower().split())
        candidates = {
            i
            for i, f in enumerate(found)
            if f.kind_from_word
            and f.mention.kind == kind
            and f.mention.symbol != head.mention.symbol
            and f.mention.issuer
            and words <= set(f.mention.issuer.lower().split())
        }
        if len({found[i].mention.symbol for i in candidates}) == 1:
            return min(candidates)
        return None
    return None


def _attached_plan_target(text: str, found: Sequence[Found], a: int) -> int | None:
    """The document an attached plan carries out, from the sentence that approves it.

    When mention ``a`` follows an annex phrase ("(Kèm <kind> số …", ``ANNEX_BEFORE_RE``)
    within ``MAX_COREFERENCE_CHARS`` of the mention before it, and that one ends an
    approving phrase ("<verb> <kind> … <link>", ``APPROVED_BEFORE_RE``) of the same
    kind, the attached plan carries out that previous document. Examples: cues.toml
    ``[approval] chain_examples``.
    """
    annex, previous = found[a], found[a - 1]
    window_start = max(0, annex.mention.start - ANNEX_WINDOW_CHARS)
    attached = patterns.ANNEX_BEFORE_RE.search(text, window_start, annex.mention.start)
    if not attached or attached.start() - previous.tail_end > MAX_COREFERENCE_CHARS:
        return None
    approved = patterns.APPROVED_BEFORE_RE.search(
        text, max(0, previous.kind_start - MAX_CHAIN_GAP_CHARS - 100), previous.kind_start
    )
    if not approved:
        return None
    same_kind = kind_named(approved.group("kind")) == kind_named(attached.group("kind"))
    return a - 1 if same_kind else None


def link_chains(text: str, found: Sequence[Found]) -> tuple[list[Pair], set[int]]:
    """(head, target) index pairs the text asserts, and the indices that are chain targets."""
    pairs: list[Pair] = []
    targets: set[int] = set()
    for j in range(1, len(found)):
        gap = _gap(text, found[j - 1], found[j])
        if gap is None or not patterns.CHAIN_GAP_RE.match(gap):
            continue
        heads = [j - 1, *_coordinated(text, found, j - 1, -1, heads=True)]
        tails = [j, *_coordinated(text, found, j, +1, heads=False)]
        pairs.extend((h, t) for h in heads for t in tails)
        targets.update(tails)
    for h in range(len(found)):
        t = _named_by_kind_and_issuer(text, found, h)
        if t is not None:
            pairs.append((h, t))
        t = _attached_plan_target(text, found, h) if h else None
        if t is not None:
            pairs.append((h, t))
    return pairs, targets


def alias_mentions(text: str, found: Sequence[Found]) -> list[Found]:
    """Mentions by a declared abbreviation: "(sau đây viết tắt là Nghị quyết số 29, …)"."""
    aliases: dict[tuple[str | None, str], str] = {}
    first_use = len(text)
    for abbreviation in patterns.ABBREVIATION_RE.finditer(text):
        before = [f for f in found if f.mention.end <= abbreviation.start()]
        for item in patterns.ALIAS_ITEM_RE.finditer(abbreviation.group("body")):
            kind = kind_named(item.group("kind"))
            number = item.group("number")
            for f in reversed(before):
                if (
                    f.mention.symbol.split("/")[0].split("-")[0] == number
                    and f.mention.kind == kind
                ):
                    aliases[(kind, number)] = f.mention.symbol
                    first_use = min(first_use, abbreviation.end())
                    break
    if not aliases:
        return []
    out = []
    for item in patterns.ALIAS_ITEM_RE.finditer(text, first_use):
        kind = kind_named(item.group("kind"))
        symbol = aliases.get((kind, item.group("number")))
        if symbol is None:
            continue
        date = date_at(text, item.end())
        mention = Mention(
            item.start(), item.end(), item.group(), symbol, kind, date.iso if date else None
        )
        out.append(Found(mention, item.start(), date.end if date else item.end(), True, False))
    return out


def self_symbols(text: str, found: Sequence[Found], identity: Identity) -> set[str]:
    """Symbols that name this very document: its own number and its annex line."""
    own = identity.symbol  # canonical already: identity reads it with canonical_symbol
    symbols = {own} if own and own[:1].isdigit() else set()
    own_suffix = patterns.NUMBER_PREFIX_RE.sub("", own) if own else None
    header = next((f for f in found if f.header), None)  # only the first: an annexed
    if header and header.mention.start < HEADER_CHARS:  # document prints its own "Số:"
        symbols.add(header.mention.symbol)
    for f in found:
        annex = patterns.ANNEX_BEFORE_RE.search(
            text, max(0, f.mention.start - ANNEX_WINDOW_CHARS), f.mention.start
        )
        if not annex or not identity.kind:
            continue
        kind = kind_named(annex.group("kind"))
        suffix = patterns.NUMBER_PREFIX_RE.sub("", f.mention.symbol)
        if kind == identity.kind and (own_suffix is None or own_suffix == suffix):
            symbols.add(f.mention.symbol)
    return symbols


def _first(values: Sequence[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _doc_ref(text: str, group: list[tuple[Found, Relation]], lay: Layout) -> DocRef:
    relation = Relation.strongest([r for _, r in group])
    strongest = next(f for f, r in group if r is relation)
    sentence, span = evidence(text, strongest.mention.start, lay)
    worded = [f.mention.kind for f, _ in group if f.kind_from_word]
    issuers: list[str | None] = [f.mention.issuer for f, _ in group if f.mention.issuer]
    return DocRef(
        symbol=group[0][0].mention.symbol,
        kind=_first(worded) or _first([f.mention.kind for f, _ in group]),
        date=_first([f.mention.date for f, _ in group]),
        issuer=_first(sorted(issuers, key=lambda i: bool(i and i.isupper()))),  # not "THỦ TƯỚNG"
        relation=relation,
        evidence=sentence,
        evidence_span=span,
        mentions=len(group),
        spans=tuple((f.mention.start, f.mention.end) for f, _ in group),
    )


def resolve_refs(
    text: str, found: Sequence[Found], identity: Identity
) -> tuple[tuple[DocRef, ...], tuple[ChainLink, ...], tuple[Found, ...]]:
    """Refs (one per distinct other document), chains, and the mentions kept, all in text order.

    >>> from indexer.extract.find import scan
    >>> text = "Kế hoạch số 232-KH/TU của Tỉnh ủy thực hiện Chỉ thị số 29-CT/TW"
    >>> refs, chains, _ = resolve_refs(text, scan(text), Identity())
    >>> [(r.symbol, r.relation.value) for r in refs], [(c.source, c.target) for c in chains]
    ([('232-KH/TU', 'cites'), ('29-CT/TW', 'cites')], [('232-KH/TU', '29-CT/TW')])
    """
    found = sorted([*found, *alias_mentions(text, found)], key=lambda f: f.mention.start)
    lay = layout(text)
    pairs, targets = link_chains(text, found)
    cues = find_cues(text, found, targets, lay)
    own = self_symbols(text, found, identity)
    groups: dict[str, list[tuple[Found, Relation]]] = {}
    for i, f in enumerate(found):
        if f.mention.symbol in own:
            continue
        relation = classify_relation(text, found, i, cues, targets, lay)
        groups.setdefault(f.mention.symbol, []).append((f, relation))
    refs = tuple(_doc_ref(text, group, lay) for group in groups.values())
    chains: dict[tuple[str, str], ChainLink] = {}
    for h, t in sorted(pairs, key=lambda p: (found[p[1]].mention.start, p[0])):
        source, target = found[h].mention.symbol, found[t].mention.symbol
        if source == target or source in own or target in own or (source, target) in chains:
            continue
        sentence, span = evidence(text, found[t].mention.start, lay)
        chains[(source, target)] = ChainLink(source, target, Relation.IMPLEMENTS, sentence, span)
    kept = tuple(f for f in found if f.mention.symbol not in own)
    return refs, tuple(chains.values()), kept
