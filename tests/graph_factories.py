"""Factories for hand-made extractions and the seed-like documents the graph tests share."""

from __future__ import annotations

from indexer.models import (
    ChainLink,
    DocRef,
    Extraction,
    Identity,
    IndexedDocument,
    NamedRef,
    Relation,
)


def doc_ref(
    symbol: str,
    kind: str | None = None,
    date: str | None = None,
    issuer: str | None = None,
    relation: str = "cites",
    evidence: str = "",
    mentions: int = 1,
) -> DocRef:
    """A DocRef with the defaults a test does not care about."""
    return DocRef(
        symbol=symbol,
        kind=kind,
        date=date,
        issuer=issuer,
        relation=Relation(relation),
        evidence=evidence or f"… {kind or ''} số {symbol} …",
        evidence_span=(0, 0),
        mentions=mentions,
    )


def chain(source: str, target: str, relation: str = "implements") -> ChainLink:
    return ChainLink(source, target, Relation(relation), f"{source} thực hiện {target}")


def indexed(
    doc_id: str,
    *,
    kind: str | None = "Kế hoạch",
    symbol: str | None = None,
    issuer: str | None = None,
    date: str | None = None,
    title: str | None = None,
    level: str | None = None,
    refs: tuple[DocRef, ...] = (),
    chains: tuple[ChainLink, ...] = (),
    named_refs: tuple[NamedRef, ...] = (),
) -> IndexedDocument:
    """An IndexedDocument as the index stores it."""
    ident = Identity(kind=kind, symbol=symbol, issuer=issuer, date=date, title=title, level=level)
    return IndexedDocument(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        rel_path=f"{doc_id}.txt",
        sha256="0" * 64,
        extraction=Extraction(identity=ident, refs=refs, chains=chains, named_refs=named_refs),
    )


# Seed 000: the school plan implementing 68/NQ-CP and 40-CTr/TU (via 1181/KH-PGD-ĐT).
SEED_000 = indexed(
    "000_483593662cc2f1b9",
    symbol="/KH-THNBK",
    issuer="Trường Tiểu học Nguyễn Bình Khiêm",
    date="2024-10-20",
    title="Triển khai thực hiện Nghị quyết số 68/NQ-CP ngày 09/5/2024 của Chính phủ …",
    refs=(
        doc_ref("68/NQ-CP", "Nghị quyết", "2024-05-09", "Chính phủ", "implements"),
        doc_ref("40-CTr/TU", "Chương trình hành động", "2024-03-27", "Thành ủy", "implements"),
        doc_ref("42-NQ/TW", "Nghị quyết", "2023-11-24", "Ban Chấp hành Trung ương Đảng", "cites"),
        doc_ref(
            "1181/KH-PGD-ĐT", "Kế hoạch", "2024-10-16", "Phòng GD-ĐT quận Thanh Khê", "implements"
        ),
    ),
    chains=(
        chain("68/NQ-CP", "42-NQ/TW"),
        chain("40-CTr/TU", "42-NQ/TW"),
        chain("1181/KH-PGD-ĐT", "68/NQ-CP"),
        chain("1181/KH-PGD-ĐT", "40-CTr/TU"),
    ),
)

# Seed 001: the Thị ủy plan implementing 232-KH/TU, which implements 29-CT/TW.
SEED_001 = indexed(
    "001_390e6e42b23c01ee",
    issuer="Ban Thường vụ Thị ủy",
    title="thực hiện Kế hoạch số 232-KH/TU, ngày 17/4/2024 của Ban Thường vụ Tỉnh ủy …",
    refs=(
        doc_ref("232-KH/TU", "Kế hoạch", "2024-04-17", "Ban Thường vụ Tỉnh ủy", "implements"),
        doc_ref("29-CT/TW", "Chỉ thị", "2024-01-05", "Bộ Chính trị", "cites"),
        doc_ref("29-NQ/TW", "Nghị quyết", "2013-11-04", "Ban Chấp hành Trung ương Đảng", "cites"),
    ),
    chains=(chain("232-KH/TU", "29-CT/TW"),),
)
