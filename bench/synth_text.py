"""Body text for the synthetic corpus, recombined from the bundled seed documents.

The seeds in ``corpus/*.txt`` are read at run time and cut into sentences. A
synthetic paragraph is two to four sentences drawn from that pool, with the
seed's place names swapped for the generated document's, small numbers changed,
and every document symbol removed, so that the only references a synthetic
document makes are the ones the generator states (and records in its tree).
"""

from __future__ import annotations

import logging
import random
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from indexer.normalize import normalize_text

log = logging.getLogger(__name__)

DATA_FILE = Path(__file__).with_name("synth_data.toml")
CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
MIN_PARAGRAPH_CHARS = 120  # shorter paragraphs are headings, list items or signatures
SKIP_LEADING_PARAGRAPHS = 4  # header, kind word, title and opening of a seed
_TOKEN_PUNCT = ".,;:()“”\"'*…"
_PARAGRAPH_STOP_WORDS = ("Nơi nhận", "Thực hiện", "Căn cứ", "T/M", "TM.", "KT.")


@cache
def vocabulary() -> dict[str, Any]:
    """The generator's vocabulary: ``bench/synth_data.toml``."""
    with DATA_FILE.open("rb") as fh:
        data: dict[str, Any] = _normalized(tomllib.load(fh))
    return data


def _normalized(value: Any) -> Any:
    """Every string inside ``value`` through ``normalize_text`` (generated text is normalised)."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalized(v) for k, v in value.items()}
    return value


def is_symbol_token(token: str, previous: str = "") -> bool:
    """Whether a whitespace token is (the code part of) a document symbol.

    >>> is_symbol_token("42-NQ/TW,"), is_symbol_token("CT/TW", "29"), is_symbol_token("05/01/2024")
    (True, True, False)
    >>> is_symbol_token("T/M"), is_symbol_token("98/2023/QH15")
    (False, True)
    """
    core = token.strip(_TOKEN_PUNCT)
    if "/" not in core or not any(c.isupper() for c in core):
        return False
    return core[0].isdigit() or "-" in core or previous.isdigit()


def scrub_symbols(text: str) -> str:
    """Remove every document symbol (and the "số" before it) from a seed paragraph.

    >>> scrub_symbols("thực hiện Chỉ thị số 29-CT/TW, Kế hoạch số 232-KH/TU và Kế hoạch này")
    'thực hiện Chỉ thị, Kế hoạch và Kế hoạch này'
    """
    out: list[str] = []
    for token in text.split():
        previous = out[-1] if out else ""
        if not is_symbol_token(token, previous):
            out.append(token)
            continue
        if previous.isdigit():
            out.pop()
        if out and out[-1].lower() == "số":
            out.pop()
        tail = "".join(c for c in token[len(token.rstrip(_TOKEN_PUNCT)) :] if c in ",;:.)”")
        if out and tail:
            out[-1] += tail
    return " ".join(out)


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph, each ending with its own full stop.

    >>> split_sentences("Nâng cao nhận thức của các cấp. Huy động toàn xã hội; tăng cường phối hợp")
    ['Nâng cao nhận thức của các cấp.', 'Huy động toàn xã hội; tăng cường phối hợp.']
    """
    parts = [p.strip() for p in paragraph.replace("\n", " ").split(". ")]
    sentences = []
    for part in parts:
        part = part.rstrip(" .;:/")
        if len(part) > 20 and part[0].isupper():
            sentences.append(part + ".")
    return sentences


def _strip_marker(sentence: str) -> str:
    """Drop a leading list marker ("a)", "-", "1.", "1.1") from a seed sentence."""
    head, _, rest = sentence.partition(" ")
    if rest and (
        head in ("-", "+", "*") or head.endswith(")") or head.rstrip(".").replace(".", "").isdigit()
    ):
        return rest[0].upper() + rest[1:]
    return sentence


@cache
def sentence_pool(corpus_dir: Path = CORPUS_DIR) -> tuple[str, ...]:
    """Distinct body sentences of the seed documents, symbols removed."""
    pool: dict[str, None] = {}
    files = sorted(corpus_dir.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no seed documents in {corpus_dir}")
    for path in files:
        paragraphs = [p.strip() for p in normalize_text(path.read_text("utf-8")).split("\n\n")]
        paragraphs = [p for p in paragraphs if p][SKIP_LEADING_PARAGRAPHS:]
        for para in paragraphs:
            if len(para) < MIN_PARAGRAPH_CHARS or para.startswith(_PARAGRAPH_STOP_WORDS):
                continue
            if para.upper() == para:
                continue
            for sentence in split_sentences(scrub_symbols(para)):
                pool[_strip_marker(sentence)] = None
    log.debug("sentence pool: %d sentences from %d seeds", len(pool), len(files))
    return tuple(pool)


@dataclass(frozen=True)
class Places:
    """Names that replace the seed's place names in recombined text."""

    province: str
    district: str
    commune: str
    school: str


def swap_places(text: str, places: Places) -> str:
    """Replace the seed documents' place names with the generated document's."""
    values = {
        "province": places.province,
        "district": places.district,
        "commune": places.commune,
        "school": places.school,
    }
    for old, new in vocabulary()["place_swaps"]:
        if old in text:
            text = text.replace(old, new.format(**values))
    return text


def vary_numbers(text: str, rng: random.Random) -> str:
    """Change small counts and percentages ("95%", "06 nhóm") but not years or dates."""
    out = []
    for token in text.split(" "):
        core = token.rstrip(_TOKEN_PUNCT + "%")
        if core.isdigit() and len(core) <= 3 and rng.random() < 0.7:
            width = len(core)
            value = rng.randint(10 ** (width - 1), 10**width - 1)
            new = str(value).zfill(width) if core.startswith("0") else str(value)
            token = new + token[len(core) :]
        out.append(token)
    return " ".join(out)


def paragraph(rng: random.Random, places: Places, *, sentences: int | None = None) -> str:
    """One body paragraph: 2-4 seed sentences, reordered, places and numbers varied."""
    pool = sentence_pool()
    count = sentences or rng.randint(2, 4)
    chosen = [pool[rng.randrange(len(pool))] for _ in range(count)]
    text = " ".join(chosen)
    return vary_numbers(swap_places(text, places), rng)
