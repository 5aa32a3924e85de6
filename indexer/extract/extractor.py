"""One document's text -> Extraction: identity, refs, named refs, chains, mentions.

The indexer calls :func:`extract` on every document, so it is pure and fast
(well under 100 ms for a 30 KB text). Offsets refer to the normalised text.
"""

from __future__ import annotations

from indexer.extract.find import scan
from indexer.extract.identity import extract_identity
from indexer.extract.named import find_named_refs
from indexer.extract.resolve import resolve_refs
from indexer.messages import say
from indexer.models import Extraction
from indexer.normalize import normalize_text


def extract(text: str) -> Extraction:
    """Everything vanban knows about one document's text.

    ``text`` should already be normalised (``normalize_text`` is idempotent and
    applied again, so offsets always refer to the normalised text).

    >>> e = extract("KẾ HOẠCH\\nThực hiện Chỉ thị số 29-CT/TW, ngày 05/01/2024 của Bộ Chính trị")
    >>> [(r.symbol, r.relation.value, r.date, r.issuer) for r in e.refs]
    [('29-CT/TW', 'implements', '2024-01-05', 'Bộ Chính trị')]
    """
    text = normalize_text(text)
    identity = extract_identity(text)
    found = scan(text)
    refs, chains, kept = resolve_refs(text, found, identity)
    warnings = []
    if not text.strip():
        warnings.append(say("extract.empty_text"))
    return Extraction(
        identity=identity,
        refs=refs,
        named_refs=tuple(find_named_refs(text)),
        chains=chains,
        mentions=tuple(f.mention for f in kept),
        warnings=tuple(warnings),
    )
