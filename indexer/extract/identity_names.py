"""Names in a document's identity: the issuer (header block or opening sentence) and the signer.

Helpers of :mod:`indexer.extract.identity`; the word lists are in
``indexer/grammar/header.toml`` (sections ``motto``, ``issuer``, ``signature``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from indexer.extract.casing import is_caps, issuer_casing
from indexer.grammar import kinds, load_table
from indexer.normalize import lower_words, normalize_text

# The signature block is looked for in the last characters only.
MAX_SIGNATURE_CHARS = 3000
# Bounds on the words of an issuer or a person's name.
MAX_ISSUER_WORDS = 16
MAX_NAME_WORDS = 6


@cache
def _table() -> dict[str, Any]:
    return load_table("header")


def is_motto(line: str) -> bool:
    """True for a line (or a piece of one) of the national motto.

    >>> is_motto("CỘNG HÒA XÃ HỘI"), is_motto("CHỦ NGHĨA VIỆT NAM"), is_motto("TỈNH KON TUM")
    (True, True, False)
    """
    folded = lower_words(line).strip(" -")
    if not folded:
        return False
    return any(f" {folded} " in f" {motto} " for motto in _table()["motto"]["lines"])


def _motto_start(line: str) -> int:
    """Where the motto begins inside a line of the header, or -1."""
    lowered = normalize_text(line).lower()
    starts = [lowered.find(motto.split(" - ")[0][:9]) for motto in _table()["motto"]["lines"]]
    found = [s for s in starts if s >= 0]
    return min(found) if found else -1


def _split_mottos(header: str) -> str:
    """Put a line break where each whole motto line is: a header flattened into one
    line interleaves the issuer's lines with the motto's (d019, 123doc copies)."""
    lowered = normalize_text(header).lower()
    if len(lowered) != len(header):
        return header
    for motto in _table()["motto"]["lines"]:
        start = lowered.find(motto)
        while start != -1:
            end = start + len(motto)
            header = header[:start] + "\n" + " " * (end - start - 2) + "\n" + header[end:]
            lowered = lowered[:start] + "\n" + " " * (end - start - 2) + "\n" + lowered[end:]
            start = lowered.find(motto, end)
    return header


def find_header_issuer(header: str) -> str | None:
    """The issuing body printed above "Số:" and beside the motto, in its usual casing.

    >>> find_header_issuer("ỦY BAN NHÂN DÂN\\nTỈNH KON TUM\\n-------\\n|\\nCỘNG HÒA XÃ HỘI\\nSố: 1469/KH-UBND")
    'Ủy ban nhân dân tỉnh Kon Tum'
    >>> find_header_issuer("PHÒNG GD&ĐT TP PHỦ LÝ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n\\n"
    ...     "TRƯỜNG T.H TRẦN HƯNG ĐẠO Độc lập - Tự do - Hạnh phúc\\nSố: 123/KH-THĐ")
    'Trường Tiểu học Trần Hưng Đạo'
    >>> find_header_issuer("UBND HUYỆN GIA LÂM\\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\\nSố: 12/PGDĐT-TH")
    'Phòng Giáo dục và Đào tạo huyện Gia Lâm'
    >>> find_header_issuer("PHÒNG GD&ĐT HUYỆN YÊN THẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
    ...     "TRƯỜNG THCS ĐỒNG TÂM Độc lập - Tự do - Hạnh phúc Số: 25/KH-THCS")
    'Trường Trung học cơ sở Đồng Tâm'
    """
    lines: list[str] = []
    for raw in _split_mottos(header).split("\n"):
        stripped = raw.strip(" *")
        if stripped.strip("|") == "" and "|" in stripped and lines:
            break  # the end of the first header cell (flattened table)
        cell = stripped.split("|")[0]
        motto = _motto_start(cell)
        label = _label_start(cell)
        cuts = [pos for pos in (motto, label) if pos >= 0]
        piece = cell[: min(cuts)] if cuts else cell
        piece = _strip_footnote(piece).strip(" -_=*")
        if label >= 0 or _has_date(cell):
            if piece and is_caps(piece) and not is_motto(piece):
                lines.append(piece)
            elif not lines and not is_caps(cell):
                continue  # a date in site chrome above the header
            break
        if "|" in stripped and lines and not piece:
            break
        if lower_words(piece) in kind_words():
            break  # the kind line: no issuer block above it (seed 001)
        if not piece or is_motto(piece):
            continue
        if not is_caps(piece):
            if lines:
                break
            continue  # site chrome above the header ("Hệ thống pháp luật")
        lines.append(piece)
    if not lines:
        return None
    table = _table()["issuer"]
    if len(lines) > 1 and lower_words(lines[-1]).startswith(tuple(table["own_body_starts"])):
        own, parent = issuer_casing(lines[-1]), issuer_casing(" ".join(lines[:-1]))
        # "UBND HUYỆN GIA LÂM / PHÒNG GIÁO DỤC VÀ ĐÀO TẠO": the office is the
        # district's, so it takes the district's name.
        locality = _locality(parent)
        is_office = lower_words(own).startswith(tuple(table["local_offices"]))
        if is_office and locality and _locality(own) is None:
            return f"{own} {locality}"
        return own
    return issuer_casing(" ".join(lines))


def _locality(name: str) -> str | None:
    """The part of a body's name from its level word on: "… huyện Gia Lâm" -> "huyện Gia Lâm"."""
    words = name.split()
    levels = _table()["issuer"]["lower_words"]
    for index, word in enumerate(words):
        two = " ".join(words[index : index + 2]).lower()
        if index and (word.lower() in levels or two in levels) and word.lower() != "và":
            return " ".join(words[index:])
    return None


@cache
def kind_words() -> frozenset[str]:
    """Every kind name, folded ("kế hoạch", "quyết định" …)."""
    return frozenset(lower_words(kind["name"]) for kind in kinds())


def _label_start(cell: str) -> int:
    index = cell.replace("SỐ", "Số").find("Số")
    while index > 0 and cell[index - 1].isalpha():
        index = cell.replace("SỐ", "Số").find("Số", index + 1)
    if index < 0:
        return -1
    after = cell[index + 2 : index + 4].strip()
    return index if (not after or after[0] in ":./0123456789") else -1


def _has_date(cell: str) -> bool:
    folded = lower_words(cell)
    return ", ngày" in folded or folded.startswith("ngày ")


def _strip_footnote(text: str) -> str:
    """Drop a footnote mark the PDF left before the issuer: "(1)BỘ GIÁO DỤC" (d004)."""
    stripped = text.strip()
    if stripped.startswith("(") and ")" in stripped[:5]:
        return stripped[stripped.index(")") + 1 :]
    return stripped


def clean_issuer(candidate: str) -> str | None:
    """An issuer taken from the opening sentence, or None if it is not a body's name."""
    candidate = " ".join(candidate.split()).strip(' -*“”"')
    folded = lower_words(candidate)
    if not candidate or not candidate[0].isupper() or any(ch.isdigit() for ch in candidate):
        return None
    if "/" in candidate or len(candidate.split()) < 2:  # "V/v hướng dẫn …" is no issuer
        return None
    if len(candidate.split()) > MAX_ISSUER_WORDS:
        return None
    rejected = ("căn cứ", "thực hiện", "triển khai", "theo", "xét", "nhằm", "để", "trên cơ sở")
    if folded.startswith(rejected) or folded.endswith((" về", " của", " để", " và")):
        return None
    return issuer_casing(candidate)


def decider_issuer(header: str, issuer: str | None) -> str | None:
    """ "Chủ tịch Ủy ban nhân dân tỉnh X" when the header names the Chủ tịch as who decides.

    A decision of a provincial committee is signed in the chairman's name: the
    line "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH" under the title (d003).

    >>> decider_issuer("QUYẾT ĐỊNH\\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\\n", "Ủy ban nhân dân tỉnh Vĩnh Long")
    'Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long'
    """
    if not issuer:
        return issuer
    prefix = _table()["issuer"]["decider"]
    for line in header.split("\n"):
        folded = lower_words(line.strip(" |*"))
        if is_caps(line) and folded.startswith(prefix + " "):
            body = folded[len(prefix) + 1 :]
            if body and lower_words(issuer).startswith(body):
                return f"{prefix[:1].upper()}{prefix[1:]} {issuer}"
    return issuer


def complete_issuer(
    issuer: str | None, text: str, place: str | None, level_word: re.Pattern[str]
) -> str | None:
    """Add the level word and the place to a bare "Ủy ban nhân dân" (seed 004, d006).

    The level word comes from elsewhere in the text ("Chủ tịch UBND tỉnh yêu cầu").
    """
    if issuer is None:
        return None
    folded = lower_words(issuer)
    bare = tuple(_table()["issuer"]["bare"])
    if folded in bare:
        match = level_word.search(text)
        if match is None:
            return issuer
        issuer = f"{issuer} {' '.join(match.group('level').split())}"
        folded = lower_words(issuer)
    if place and folded.startswith(bare) and len(folded.split()) <= 6:
        level_words = ("tỉnh", "huyện", "quận", "xã", "phường", "thị xã", "thành phố", "thị trấn")
        if folded.endswith(level_words) and lower_words(place) not in folded:
            issuer = f"{issuer} {place}"
    return issuer


def find_signer(text: str) -> str | None:
    """The signer's name under the signature block ("KT. CHỦ TỊCH … Nguyễn Thị Hằng").

    A signature cell of a Word table comes as one line; its name is the run of
    capitalised words that ends it.

    >>> find_signer("Nơi nhận:\\n- Lưu VT.\\n\\n**TM. ỦY BAN NHÂN DÂN\\nKT. CHỦ TỊCH**\\n\\nNguyễn Thị Hằng")
    'Nguyễn Thị Hằng'
    >>> find_signer("Nơi nhận: - Lưu: VT. | TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH (Đã ký) Lê Văn Hùng")
    'Lê Văn Hùng'
    """
    cells = [
        cell.strip(" *\t")
        for line in text[-MAX_SIGNATURE_CHARS:].split("\n")
        for cell in line.split("|")
    ]
    last_role = -1
    for index, cell in enumerate(cells):
        if cell and _has_role(cell):
            last_role = index
    if last_role < 0:
        return None
    name = _name_ending(cells[last_role])
    if name:
        return name
    not_names = tuple(_table()["signature"]["not_names"])
    for cell in cells[last_role + 1 :]:
        if not cell or cell.startswith(not_names) or is_caps(cell):
            continue  # a role line continues ("PHÓ CHỦ NHIỆM"), or a stamp
        return _name_ending(cell) if len(cell.split()) <= MAX_NAME_WORDS else None
    return None


def _has_role(cell: str) -> bool:
    """A cell in capitals holding a role printed in capitals ("KT. CHỦ TỊCH")."""
    padded = f" {cell} "
    return is_caps(cell) and any(f" {role} " in padded for role in _table()["signature"]["roles"])


def _name_ending(cell: str) -> str | None:
    """The capitalised words ending ``cell`` when they look like a person's name."""
    words: list[str] = []
    for word in reversed(cell.split()):
        if not (word.isalpha() and word[0].isupper() and (len(word) == 1 or word[1:].islower())):
            break
        words.insert(0, word)
    return " ".join(words) if 2 <= len(words) <= MAX_NAME_WORDS else None
