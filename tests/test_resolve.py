"""resolve_refs: one DocRef per document, strongest relation, chains, self-references, aliases."""

from __future__ import annotations

from typing import Any

import pytest

from indexer.extract.find import scan
from indexer.extract.identity import extract_identity
from indexer.extract.resolve import resolve_refs
from indexer.models import Identity, Relation
from indexer.normalize import normalize_text
from tests.extraction_cases import case_ids, load_cases

CASES = load_cases("relations")


def resolve(text: str, identity: Identity | None = None) -> Any:
    text = normalize_text(text)
    return resolve_refs(text, scan(text), identity or Identity())


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_relations_and_chains(case: dict[str, Any]) -> None:
    refs, chains, _ = resolve(case["text"])
    assert {r.symbol: r.relation.value for r in refs} == case["relations"]
    assert sorted([c.source, c.target] for c in chains) == sorted(case["chains"])


def test_repeated_mentions_collapse_with_count_and_evidence() -> None:
    text = (
        "KẾ HOẠCH\n\nThực hiện Chỉ thị số 29-CT/TW, ngày 05/01/2024 của Bộ Chính trị;\n\n"
        "I. MỤC ĐÍCH\n\nTuyên truyền Chỉ thị số 29-CT/TW. Quán triệt Chỉ thị số 29 CT/TW."
    )
    (ref,), _, _ = resolve(text)
    assert (ref.symbol, ref.relation, ref.mentions) == ("29-CT/TW", Relation.IMPLEMENTS, 3)
    assert (ref.date, ref.issuer, ref.kind) == ("2024-01-05", "Bộ Chính trị", "Chỉ thị")
    assert ref.evidence.startswith("Thực hiện Chỉ thị số 29-CT/TW")
    start, end = ref.evidence_span
    assert normalize_text(text)[start:end] == ref.evidence
    assert len(ref.spans) == 3


def test_own_number_in_header_is_not_a_ref() -> None:
    text = "ỦY BAN NHÂN DÂN\nSố: 1469/KH-UBND\nKẾ HOẠCH\nTriển khai Quyết định số 131/QĐ-TTg"
    refs, _, kept = resolve(text)
    assert [r.symbol for r in refs] == ["131/QĐ-TTg"]
    assert [f.mention.symbol for f in kept] == ["131/QĐ-TTg"]


def test_identity_symbol_is_not_a_ref() -> None:
    # The identity's symbol is canonical: "Số: 45/KH- UBND" is read as "45/KH-UBND".
    identity = extract_identity(normalize_text("Số: 45/KH- UBND\nKẾ HOẠCH\nCăn cứ …"))
    assert identity.symbol == "45/KH-UBND"
    text = "Kế hoạch này thay thế. Kèm theo Kế hoạch số 45/KH-UBND ngày 12/3/2024."
    refs, _, _ = resolve(text, identity)
    assert refs == ()


def test_annex_of_a_blank_numbered_plan_is_a_self_reference() -> None:
    text = "PHỤ LỤC\n(Kèm theo Kế hoạch số 123/KH-THNBK ngày 20/10/2024)\nThực hiện Nghị quyết số 68/NQ-CP"
    refs, _, _ = resolve(text, Identity(kind="Kế hoạch", symbol="/KH-THNBK"))
    assert [r.symbol for r in refs] == ["68/NQ-CP"]


def test_annex_of_another_kind_is_a_ref() -> None:
    text = "Điều 1. Phê duyệt Kế hoạch.\n(Kèm Kế hoạch số 2534/KH-SGDĐT, ngày 12/9/2023)."
    refs, _, _ = resolve(text, Identity(kind="Quyết định", symbol="2121/QĐ-UBND"))
    assert [r.symbol for r in refs] == ["2534/KH-SGDĐT"]


def test_declared_abbreviation_counts_as_a_mention() -> None:
    text = (
        "Thực hiện Nghị quyết số 29-NQ/TW ngày 04/11/2013 (sau đây viết tắt là Nghị quyết số 29), "
        "Ủy ban nhân dân tỉnh xây dựng kế hoạch.\n\nI. MỤC ĐÍCH\n\nQuán triệt Nghị quyết số 29 "
        "trong toàn ngành."
    )
    (ref,), _, kept = resolve(text)
    assert ref.symbol == "29-NQ/TW" and ref.mentions == 2
    assert kept[-1].mention.text == "Nghị quyết số 29"


def test_chain_never_links_the_document_to_itself() -> None:
    text = "Số: 45/KH-UBND\nKế hoạch số 45/KH-UBND của UBND tỉnh thực hiện Chỉ thị số 29-CT/TW"
    _, chains, _ = resolve(text)
    assert chains == ()


def test_party_header_number_without_colon_is_not_a_ref() -> None:
    text = "HUYỆN ỦY NGA SƠN\n*\nSố 45-KH/HU\nKẾ HOẠCH\nthực hiện Chỉ thị số 29-CT/TW"
    refs, _, _ = resolve(text)
    assert [r.symbol for r in refs] == ["29-CT/TW"]


def test_an_annexed_documents_own_header_is_a_ref() -> None:
    text = (
        "Số: 1825/QĐ-UBND\nQUYẾT ĐỊNH\nĐiều 1. Phê duyệt Kế hoạch.\n"
        "(Kèm theo Kế hoạch số 1376/KH-SGDĐT ngày 28/10/2013).\n"
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 1376/KH-SGDĐT\nKẾ HOẠCH"
    )
    refs, _, _ = resolve(text, Identity(kind="Quyết định", symbol="1825/QĐ-UBND"))
    assert [r.symbol for r in refs] == ["1376/KH-SGDĐT"]


def test_abbreviation_without_so() -> None:
    text = (
        "Thực hiện Chỉ thị số 29-CT/TW ngày 05/01/2024 của Bộ Chính trị (sau đây gọi tắt là "
        "Chỉ thị 29), Huyện ủy xây dựng kế hoạch.\n\nI. NHIỆM VỤ\n\nQuán triệt Chỉ thị 29."
    )
    (ref,), _, _ = resolve(text)
    assert ref.mentions == 2
