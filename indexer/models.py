"""Data passed between the stages of vanban: frozen dataclasses and str enums.

Every stage takes and returns these; JSON keys are the field names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Relation(str, Enum):
    """How a document relates to a document it mentions (strongest first)."""

    IMPLEMENTS = "implements"
    BASIS = "basis"
    CITES = "cites"

    @property
    def strength(self) -> int:
        """Larger is stronger: implements > basis > cites."""
        return {"implements": 3, "basis": 2, "cites": 1}[self.value]

    @classmethod
    def strongest(cls, relations: list[Relation]) -> Relation:
        """The strongest of several relations (cites for an empty list)."""
        return max(relations, key=lambda r: r.strength, default=cls.CITES)


class Level(str, Enum):
    """Administrative level of an issuer, from the top of the cascade down."""

    CENTRAL = "Trung ương"
    PROVINCE = "tỉnh"
    DISTRICT = "huyện"
    COMMUNE = "xã"
    SCHOOL = "trường"

    @property
    def rank(self) -> int:
        """0 for Trung ương … 4 for trường."""
        return list(Level).index(self)


Span = tuple[int, int]


@dataclass(frozen=True)
class Identity:
    """A document's own identity as printed in it (GOLD-SPEC ``self``)."""

    kind: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    place: str | None = None
    date: str | None = None  # ISO, possibly partial: "2024", "2013-11"
    title: str | None = None
    signer: str | None = None
    level: str | None = None  # a Level value, derived from issuer and symbol


@dataclass(frozen=True)
class Mention:
    """One place in the text where another document is named by its symbol."""

    start: int
    end: int
    text: str  # the raw text of the span, text[start:end]
    symbol: str  # canonical symbol, e.g. "29-CT/TW"
    kind: str | None = None
    date: str | None = None
    issuer: str | None = None


@dataclass(frozen=True)
class DocRef:
    """A distinct document that the text refers to by symbol."""

    symbol: str
    kind: str | None
    date: str | None
    issuer: str | None
    relation: Relation
    evidence: str  # the sentence that states the strongest relation
    evidence_span: Span
    mentions: int = 1
    spans: tuple[Span, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class NamedRef:
    """A document referred to by name only (no symbol)."""

    kind: str
    name: str
    start: int
    end: int
    year: str | None = None


@dataclass(frozen=True)
class ChainLink:
    """A relation between two *other* documents, asserted by this text."""

    source: str  # canonical symbol of the implementing document
    target: str  # canonical symbol of the implemented document
    relation: Relation = Relation.IMPLEMENTS
    evidence: str = ""
    evidence_span: Span = (0, 0)


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document's normalised text."""

    identity: Identity
    refs: tuple[DocRef, ...] = ()
    named_refs: tuple[NamedRef, ...] = ()
    chains: tuple[ChainLink, ...] = ()
    mentions: tuple[Mention, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (enums as their values, spans as lists)."""
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        """Inverse of :meth:`to_dict`."""
        return cls(
            identity=Identity(**data.get("identity", {})),
            refs=tuple(
                DocRef(
                    **{
                        **r,
                        "relation": Relation(r["relation"]),
                        "evidence_span": tuple(r["evidence_span"]),
                        "spans": tuple(tuple(s) for s in r.get("spans", ())),
                    }
                )
                for r in data.get("refs", ())
            ),
            named_refs=tuple(NamedRef(**n) for n in data.get("named_refs", ())),
            chains=tuple(
                ChainLink(
                    **{
                        **c,
                        "relation": Relation(c["relation"]),
                        "evidence_span": tuple(c["evidence_span"]),
                    }
                )
                for c in data.get("chains", ())
            ),
            mentions=tuple(Mention(**m) for m in data.get("mentions", ())),
            warnings=tuple(data.get("warnings", ())),
        )


@dataclass(frozen=True)
class SourceFile:
    """A file read from disk and normalised, ready to extract and index."""

    path: str  # absolute path on disk
    file: str  # base name, used in every JSON output
    rel_path: str  # path relative to the corpus root it was found under
    text: str  # normalised text (NFC, one tone placement, unified dashes)
    sha256: str  # of the raw bytes
    encoding: str  # how the bytes were decoded ("utf-8", "docx", "tcvn3", …)
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class FailedFile:
    """A file that could not be read, with the reason shown to the user."""

    path: str
    reason: str


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class IndexedDocument:
    """A corpus document as the index stores it: identity plus its extraction.

    This is what the graph is built from, so rebuilding the graph never needs
    the segmenter.
    """

    doc_id: str  # stable: derived from the path relative to the corpus root
    file: str  # base name of the source file
    rel_path: str
    sha256: str
    extraction: Extraction
