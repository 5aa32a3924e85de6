"""Render one planned synthetic document as text in the real layout.

Header (issuer block, national or Party motto, ``Số:``, place and date, kind
word, title), legal basis (``Căn cứ …``), opening (``Thực hiện …``), body
recombined from the seeds with cites and chains inserted, ``Nơi nhận`` and the
signature. Every reference to another corpus document is recorded with the
relation it states, so the generated tree is exactly what the text says.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from bench.synth_text import Places, paragraph, vocabulary
from indexer.models import Relation

if TYPE_CHECKING:  # pragma: no cover
    from bench.synth import PlannedDoc

STATE_MOTTO = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "---------------",
]
PARTY_MOTTO = ["ĐẢNG CỘNG SẢN VIỆT NAM", "---------------"]
TARGET_BYTES = (13_500, 16_500)
PARAGRAPH_BYTES = 700  # a recombined paragraph's mean size; stop one short of the budget  # "about 15 KB each" (issue 6)
MAX_CITES = 4
NOISY_MENTION_RATE = 0.2


def noisy_symbol(symbol: str) -> str:
    """The symbol with the spacing noise seen in real texts (GOLD-SPEC, devset).

    >>> noisy_symbol("29-CT/TW"), noisy_symbol("1813/QĐ-TTg"), noisy_symbol("98/2023/QH15")
    ('29 CT/TW', '1813/QĐ- TTg', '98/2023/QH15')
    """
    number, _, rest = symbol.partition("-")
    if rest and "/" not in number:  # Party form 29-CT/TW
        return f"{number} {rest}"
    if "-" in symbol:  # state form 1813/QĐ-TTg
        return symbol.replace("-", "- ", 1)
    return symbol


@dataclass(frozen=True)
class Rendered:
    """The text of a document and the relations it states to other corpus documents."""

    text: str
    title: str
    place: str
    relations: tuple[tuple[str, str], ...]
    chains: tuple[tuple[str, str], ...]


def _date_words(day: date) -> str:
    """``ngày 05 tháng 3 năm 2024`` as printed in a header."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _date_ref(day: date, rng: random.Random) -> str:
    """A reference's date in one of the printed forms (``ngày 09/5/2024``…)."""
    form = rng.randrange(4)
    if form == 0:
        return f"ngày {day.day:02d}/{day.month}/{day.year}"
    if form == 1:
        return f"ngày {day.day:02d}/{day.month:02d}/{day.year}"
    if form == 2:
        return f"ngày {day.day:02d} tháng {day.month} năm {day.year}"
    return f", ngày {day.day}/{day.month}/{day.year}"


@dataclass
class _Writer:
    """Collects the relations a document states while its text is written."""

    doc: PlannedDoc
    rng: random.Random
    ancestors: list[PlannedDoc]
    stated: dict[str, Relation] = field(default_factory=dict)
    chains: list[tuple[str, str]] = field(default_factory=list)

    def ref(self, other: PlannedDoc, relation: Relation, *, full: bool = True) -> str:
        """Name ``other`` in the text and record the relation this statement makes."""
        old = self.stated.get(other.symbol)
        if old is None or relation.strength > old.strength:
            self.stated[other.symbol] = relation
        if not full:
            # A repeated short mention is sometimes printed with the spacing noise of
            # real texts ("29 CT/TW", "1813/QĐ- TTg"); the first mention is always clean.
            noisy = old is not None and self.rng.random() < NOISY_MENTION_RATE
            return f"{other.kind} số {noisy_symbol(other.symbol) if noisy else other.symbol}"
        head = f"{other.kind} số {other.symbol}"
        issuer = self.rng.choice(other.ref_names)
        if self.rng.random() < 0.15:  # some texts omit the date (52/KH-UBND in seed 003)
            return f"{head} của {issuer}"
        when = _date_ref(other.issued, self.rng)
        sep = "" if when.startswith(",") else " "
        return f"{head}{sep}{when} của {issuer}"

    def refs(self, docs: list[PlannedDoc], relation: Relation) -> str:
        return " và ".join(self.ref(d, relation) for d in docs)


def _chain_parent(doc: PlannedDoc) -> PlannedDoc | None:
    """The first parent's own first parent, when the document has a single parent."""
    if len(doc.parents) == 1 and doc.parents[0].parents:
        return doc.parents[0].parents[0]
    return None


def _title_and_opening(w: _Writer, issuer: str) -> tuple[str, list[str]]:
    doc, rng, vocab = w.doc, w.rng, vocabulary()
    form = doc.spec["form"]
    about = f"về {doc.topic}"
    if form == "root":
        return "Về " + doc.topic, []
    parents = doc.parents
    implements = Relation.IMPLEMENTS
    if form == "resolution":
        title = (
            f"Ban hành Chương trình hành động của Chính phủ thực hiện {w.refs(parents, implements)}"
        )
        body = f"Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ thực hiện {w.ref(parents[0], implements, full=False)} {about}."
        return title, ["QUYẾT NGHỊ:", body]
    if form == "decision":
        title = f"Ban hành Kế hoạch triển khai thực hiện {w.refs(parents, implements)}"
        body = f"Điều 1. Ban hành kèm theo Quyết định này Kế hoạch triển khai thực hiện {w.ref(parents[0], implements, full=False)} {about}."
        return title, ["QUYẾT ĐỊNH:", body, "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."]
    grand = _chain_parent(doc)
    if grand is not None and rng.random() < 0.5:
        joiner = rng.choice(["thực hiện", "về thực hiện", "về việc thực hiện"])
        lead = rng.choice(["Triển khai thực hiện", "thực hiện", "Thực hiện"])
        title = f"{lead} {w.ref(parents[0], implements)} {joiner} {w.ref(grand, Relation.CITES)} {about}"
        w.chains.append((parents[0].symbol, grand.symbol))
    else:
        lead = rng.choice(["Triển khai thực hiện", "Thực hiện", "Triển khai"])
        lead = "Triển khai thực hiện" if lead == "Triển khai" and len(parents) > 1 else lead
        title = f"{lead} {w.refs(parents, implements)} {about}"
    opening = "Thực hiện " + "; ".join(w.ref(p, implements) for p in parents)
    if grand is not None and rng.random() < 0.5:
        opening += f" về việc thực hiện {w.ref(grand, Relation.CITES)}"
        w.chains.append((parents[0].symbol, grand.symbol))
    tail = rng.choice(vocab["opening_tails"]).format(issuer=issuer)
    return title, [f"{opening}; {tail}"]


def _basis(w: _Writer, central: list[PlannedDoc]) -> list[str]:
    """``Căn cứ …;`` lines: a law, and sometimes a corpus document above the parents."""
    doc, rng, vocab = w.doc, w.rng, vocabulary()
    laws = vocab["central_basis" if doc.unit.level == 0 else "local_basis"]
    lines = [f"Căn cứ {rng.choice(laws)};"]
    if rng.random() < 0.25:
        lines.append(f"Căn cứ {rng.choice(vocab['external_refs'])};")
    ancestors = w.ancestors
    above = [a for a in ancestors if a not in doc.parents and a not in doc.parents[0].parents[:1]]
    pool = above or [d for d in central[-50:] if d not in ancestors]
    if pool and rng.random() < 0.5:
        lines.append(f"Căn cứ {w.ref(rng.choice(pool), Relation.BASIS)};")
    return lines


def _cite_targets(w: _Writer, central: list[PlannedDoc]) -> list[PlannedDoc]:
    """Documents the body cites: the ones above in the tree and two unrelated central ones."""
    rng = w.rng
    pool = w.ancestors + rng.sample(central, min(2, len(central)))
    return rng.sample(pool, min(len(pool), rng.randint(1, MAX_CITES)))


def _body(w: _Writer, places: Places, central: list[PlannedDoc], budget: int) -> list[str]:
    """Sections of the plan filled with recombined seed paragraphs up to ``budget`` bytes."""
    doc, rng, vocab = w.doc, w.rng, vocabulary()
    cites = _cite_targets(w, central)
    chain_pairs = [(a, a.parents[0]) for a in w.ancestors if a.parents]
    out = [rng.choice(vocab["purpose_heading"]), "1. Mục đích"]
    size = 0
    subheads = rng.sample(vocab["task_subheadings"], len(vocab["task_subheadings"]))
    step = 0
    while size + PARAGRAPH_BYTES < budget:
        step += 1
        if step == 3:
            out.append("2. Yêu cầu")
        elif step == 5:
            out.append(rng.choice(vocab["task_heading"]))
        elif step > 5 and step % 3 == 0 and subheads:
            out.append(f"{(step - 3) // 3}. {subheads.pop()}")
        text = paragraph(rng, places)
        if cites and rng.random() < 0.3:
            template = rng.choice(vocab["cite_templates"])
            text += " " + template.format(
                ref=w.ref(cites.pop(), Relation.CITES, full=rng.random() < 0.5)
            )
        elif chain_pairs and rng.random() < 0.15:
            source, target = chain_pairs.pop(rng.randrange(len(chain_pairs)))
            template = rng.choice(vocab["chain_templates"])
            text += " " + template.format(
                source=w.ref(source, Relation.CITES), target=w.ref(target, Relation.CITES)
            )
            w.chains.append((source.symbol, target.symbol))
        marker = rng.choice(vocab["list_markers"])
        out.append(marker + text)
        size += len(text.encode())
    out.append(rng.choice(vocab["organise_heading"]))
    if doc.parents:
        parent = w.ref(doc.parents[0], Relation.IMPLEMENTS, full=False)
        out.append(
            f"Các đơn vị căn cứ Kế hoạch này và {parent}, xây dựng kế hoạch cụ thể, báo cáo kết quả thực hiện về {w.doc.issuer} trước ngày 15 tháng 12 hằng năm./."
        )
    return out


def _signer(rng: random.Random) -> str:
    vocab = vocabulary()
    return " ".join(rng.choice(vocab[k]) for k in ("surnames", "middle_names", "given_names"))


def render_document(doc: PlannedDoc, rng: random.Random, central: list[PlannedDoc]) -> Rendered:
    """The full text of ``doc`` and the relations it states.

    ``central`` are the Trung ương documents planned before it (it may cite them).
    """
    spec: dict[str, Any] = doc.spec
    values = doc.unit.placeholders()
    place = spec["place"].format(**values)
    places = Places(
        province=doc.unit.province or "Quảng Nam",
        district=doc.unit.district or "Điện Bàn",
        commune=doc.unit.commune or "Điện Hòa",
        school=doc.unit.school or "Lê Lợi",
    )
    w = _Writer(doc, rng, doc.ancestors())
    title, opening = _title_and_opening(w, doc.issuer)
    basis = _basis(w, central) if doc.parents else []
    header = "\n".join(h.format(**values) for h in spec["header"])
    motto = "\n".join(PARTY_MOTTO if spec["party"] else STATE_MOTTO)
    head = [
        header,
        motto,
        f"Số: {doc.symbol}",
        f"{place}, {_date_words(doc.issued)}",
        doc.kind.upper(),
        title,
    ]
    if spec["form"] in ("decision", "resolution"):
        head.append(doc.issuer.upper())
    recipients = [f"- {p.ref_names[0]} (để b/c);" for p in doc.parents] + list(
        vocabulary()["recipients"]
    )
    tail = [
        "Nơi nhận:\n" + "\n".join(recipients),
        "\n".join(spec["signature"]) + "\n\n" + _signer(rng),
    ]
    fixed = "\n\n".join(head + basis + opening + tail)
    budget = rng.randint(*TARGET_BYTES) - len(fixed.encode())
    parts = head + basis + opening + _body(w, places, central, budget) + tail
    text = "\n\n".join(parts) + "\n"  # every piece is normalised already
    return Rendered(
        text=text,
        title=title,
        place=place,
        relations=tuple(sorted((s, r.value) for s, r in w.stated.items())),
        chains=tuple(dict.fromkeys(w.chains)),
    )
