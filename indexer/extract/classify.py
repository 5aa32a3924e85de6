"""The relation a mention states: implements > basis > cites (GOLD-SPEC ``relation``).

A cue governs the documents listed after it in its sentence: "Căn cứ A; B;
C" makes all three a basis, "Thực hiện A; B, … xây dựng kế hoạch" makes both
implemented. ``implements`` only counts in the title and opening (the
preamble, before the first section heading). A document named as the target
of a chain ("Kế hoạch số 232-KH/TU … thực hiện Chỉ thị số 29-CT/TW") is
carried out by the other document, not by this one: it is only cited here.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from indexer.extract import patterns
from indexer.extract.find import Found
from indexer.models import Relation

MAX_PREAMBLE_CHARS = 6000  # documents without section headings: the opening ends here
CLAUSE_WINDOW_CHARS = 40
DIRECT_WINDOW_CHARS = 60
MAX_EVIDENCE_CHARS = 600
RETRO_WINDOW_CHARS = 60  # how far before the verb a retrospective "từ khi" may stand


@dataclass(frozen=True)
class Cue:
    """A relation cue in the text and whether it opens a clause or sits right before a document."""

    start: int
    end: int
    relation: Relation
    direct: bool = False


@dataclass(frozen=True)
class Layout:
    """Where the opening ends and where sentences end, computed once per text."""

    preamble_end: int
    sentence_ends: tuple[int, ...]

    def sentence_span(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the sentence around ``pos``."""
        i = bisect.bisect_right(self.sentence_ends, pos)
        start = self.sentence_ends[i - 1] if i > 0 else 0
        end = self.sentence_ends[i] if i < len(self.sentence_ends) else -1
        return start, end


def preamble_end(text: str) -> int:
    """Where the title and opening end: the first section heading, or a fixed cap.

    >>> text = "KẾ HOẠCH\\nThực hiện Chỉ thị số 29-CT/TW\\nI. MỤC ĐÍCH\\n…"
    >>> text[preamble_end(text) :]
    'I. MỤC ĐÍCH\\n…'
    """
    limit = min(len(text), MAX_PREAMBLE_CHARS)
    for match in patterns.SECTION_RE.finditer(text, 0, limit):
        line_end = text.find("\n", match.start())
        heading = text[match.start() : line_end if line_end >= 0 else len(text)]
        if not patterns.GROUNDS_HEADING_RE.search(heading):
            return match.start()
    return limit


def layout(text: str) -> Layout:
    """Preamble end and sentence boundaries of ``text``."""
    ends = tuple(m.end() for m in patterns.SENTENCE_END_RE.finditer(text))
    return Layout(preamble_end(text), ends)


def opens_clause(text: str, start: int) -> bool:
    """Whether a cue at ``start`` opens a clause (see grammar/cues.toml)."""
    before = text[max(0, start - CLAUSE_WINDOW_CHARS) : start]
    if patterns.CLAUSE_BEFORE_RE.search(before):
        return True
    line = patterns.LINE_BEFORE_RE.search(before)
    if not line:
        return False
    lead = line.group("lead")
    return (lead or text[start]).strip()[:1].isupper()


def find_cues(
    text: str, found: Sequence[Found], targets: Collection[int], lay: Layout
) -> list[Cue]:
    """Clause-opening cues, plus implements verbs right before a document in the opening.

    A verb right before a chain target ("… của Tỉnh ủy thực hiện Chỉ thị số …")
    links two other documents and is not a cue of this one.
    """
    cues = []
    for match in patterns.CUE_RE.finditer(text):
        if opens_clause(text, match.start()):
            relation = Relation(match.lastgroup or "cites")
            cues.append(Cue(match.start(), match.end(), relation))
    for i, f in enumerate(found):
        if i in targets or f.kind_start >= lay.preamble_end:
            continue
        window_start = max(0, f.kind_start - DIRECT_WINDOW_CHARS)
        verb = patterns.DIRECT_BEFORE_RE.search(text, window_start, f.kind_start)
        if verb and patterns.NOT_DIRECT_BEFORE_RE.search(
            text, max(0, verb.start() - 20), verb.start()
        ):
            verb = None
        if verb:
            plan = patterns.PLAN_BEFORE_RE.search(text, max(0, verb.start() - 40), verb.start())
            cues.append(Cue(verb.start(), verb.end(), Relation.IMPLEMENTS, direct=not plan))
    return sorted(cues, key=lambda c: c.start)


def is_embedded(text: str, found: Sequence[Found], index: int, cue: Cue) -> bool:
    """Whether ``found[index]`` sits in the description of the document before it.

    The first document after a cue is always an item of its list; a later one
    is not when a description word ("về", "phê duyệt", "(" …) comes after the
    previous document and no coordinator (";", "và", a comma right before it)
    starts a new item after that description word.
    """
    if index == 0 or found[index - 1].mention.start < cue.end:
        return False
    gap = text[found[index - 1].tail_end : found[index].kind_start]
    last_description = max((m.start() for m in patterns.DESCRIPTION_RE.finditer(gap)), default=-1)
    last_coordinator = max((m.start() for m in patterns.COORDINATOR_RE.finditer(gap)), default=-1)
    return last_description > last_coordinator


def classify_relation(
    text: str,
    found: Sequence[Found],
    index: int,
    cues: Sequence[Cue],
    targets: Collection[int],
    lay: Layout,
) -> Relation:
    """The relation the sentence around ``found[index]`` states for it.

    The last clause-opening cue of its sentence governs it; failing that, an
    implements verb of the opening that stands right before a document of the
    same sentence ("tiếp tục tập trung thực hiện thắng lợi Nghị quyết số …").
    A chain target, or a document inside another one's description, is cited.
    """
    f = found[index]
    if index in targets:
        return Relation.CITES
    sentence_start, _ = lay.sentence_span(f.kind_start)
    in_sentence = [c for c in cues if sentence_start <= c.start and c.end <= f.kind_start]
    governing = [c for c in in_sentence if not c.direct] or [c for c in in_sentence if c.direct]
    if not governing:
        return Relation.CITES
    cue = governing[-1]
    if is_embedded(text, found, index, cue):
        return Relation.CITES
    if patterns.CUE_WHERE.get(cue.relation.value) == "preamble" and cue.start >= lay.preamble_end:
        return Relation.CITES
    if cue.relation is Relation.IMPLEMENTS and (
        looks_back(text, found, index, cue, lay) or names_other_object(text, found, index, cue)
    ):
        return Relation.CITES
    return cue.relation


def looks_back(text: str, found: Sequence[Found], index: int, cue: Cue, lay: Layout) -> bool:
    """Whether an implements cue reviews results rather than declares an intent.

    "nhất là từ khi thực hiện Nghị quyết số 08-NQ/HU … đã đạt được những kết
    quả" (see grammar/cues.toml ``[retrospective]``).
    """
    f = found[index]
    sentence_start, sentence_end = lay.sentence_span(f.kind_start)
    before = text[max(sentence_start, cue.start - RETRO_WINDOW_CHARS) : cue.start]
    if patterns.RETRO_BEFORE_RE.search(before):
        return True
    end = len(text) if sentence_end < 0 else sentence_end
    after = text[f.tail_end : min(end, f.tail_end + RETRO_WINDOW_CHARS * 5)].split(";", 1)[0]
    return bool(patterns.RETRO_AFTER_RE.search(after))


def names_other_object(text: str, found: Sequence[Found], index: int, cue: Cue) -> bool:
    """Whether the cue's verb carries out something else "theo" the document.

    "Triển khai thực hiện 5 nhiệm vụ trọng tâm … theo Công văn số 4099/…"
    (h009), but not "Thực hiện nghiêm túc theo Công văn số …".
    """
    f = found[index]
    if index > 0 and found[index - 1].mention.start >= cue.end:
        return False  # a later item of the list: is_embedded decides
    gap = text[cue.end : f.kind_start]
    link = patterns.OTHER_OBJECT_LINK_RE.search(gap)
    if not link:
        return False
    head = patterns.DIRECT_ADVERBS_RE.sub(" ", gap[: link.start()])
    return bool(head.strip(" ,\t\n"))


def evidence(text: str, pos: int, lay: Layout) -> tuple[str, tuple[int, int]]:
    """The sentence around ``pos`` (trimmed, at most MAX_EVIDENCE_CHARS) and its span."""
    start, end = lay.sentence_span(pos)
    if end < 0:
        end = len(text)
    half = MAX_EVIDENCE_CHARS // 2
    if end - start > MAX_EVIDENCE_CHARS:
        start = max(start, pos - half)
        end = min(end, start + MAX_EVIDENCE_CHARS)
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip(" \t\n|-+•*"))
    trail = len(raw) - len(raw.rstrip(" \t\n|"))
    start, end = start + lead, end - trail
    return text[start:end], (start, end)
