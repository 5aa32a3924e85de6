"""Vietnamese capitalisation: write text printed in capitals as running text writes it.

Headers print issuers and titles in capitals ("ỦY BAN NHÂN DÂN TỈNH KON TUM");
indexes, facets and titles read better in the usual casing ("Ủy ban nhân dân
tỉnh Kon Tum"). The word lists are in ``indexer/grammar/header.toml`` (section
``issuer``).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

from indexer.grammar import load_table
from indexer.normalize import fold, normalize_text

# Share of upper-case letters above which a text is "in capitals".
CAPS_SHARE = 0.7


@cache
def _issuer_table() -> dict[str, Any]:
    return dict(load_table("header")["issuer"])


def is_caps(text: str) -> bool:
    """True when most letters are capitals ("ỦY BAN NHÂN DÂN", "TRƯỜNG T.H TRẦN HƯNG ĐẠO")."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) >= CAPS_SHARE


def issuer_casing(text: str) -> str:
    """An issuer name in capitals, written as the text of a document would write it.

    Names already in mixed case ("Bộ GDĐT") are kept as printed.

    >>> issuer_casing("ỦY BAN NHÂN DÂN TỈNH KON TUM"), issuer_casing("BỘ GIÁO DỤC VÀ ĐÀO TẠO")
    ('Ủy ban nhân dân tỉnh Kon Tum', 'Bộ Giáo dục và Đào tạo')
    >>> issuer_casing("PHÒNG GD&ĐT TP PHỦ LÝ"), issuer_casing("Bộ GDĐT")
    ('Phòng GD&ĐT thành phố Phủ Lý', 'Bộ GDĐT')
    >>> issuer_casing("BAN THƯỜNG VỤ HUYỆN ỦY ĐẠI LỘC")
    'Ban Thường vụ Huyện ủy Đại Lộc'
    """
    text = " ".join(normalize_text(text).split())
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters):
        return text
    table = _issuer_table()
    keep = set(table["keep_upper"])
    cased = []
    for word in text.split():
        if word in table["abbreviations"]:
            cased.append(table["abbreviations"][word])
        elif word in keep or _is_abbreviation(word):
            cased.append(word)
        else:
            cased.append(word[:1] + word[1:].lower())
    result = " ".join(cased)
    for name in table["names"]:
        result = replace_words(result, name)
    for word in table["lower_words"]:
        result = replace_words(result, word, only_inside=True)
    for name in table["names"]:  # again: "Ban Thường vụ Huyện ủy" keeps its capital
        result = replace_words(result, name)
    return result


def _is_abbreviation(word: str) -> bool:
    """A word in capitals with no vowel in any part: "PCGD-XMC", "GDĐT", "THCS"."""
    parts = [p for p in word.replace("&", "-").replace("/", "-").split("-") if p]
    folded = fold(word)
    return bool(parts) and word.isupper() and not any(v in folded for v in "aeiouy")


def replace_words(text: str, name: str, *, only_inside: bool = False) -> str:
    """Write every whole-word occurrence of ``name`` (any case) as ``name`` is written.

    >>> replace_words("trên địa bàn tỉnh thái nguyên", "Thái Nguyên")
    'trên địa bàn tỉnh Thái Nguyên'
    """
    lowered, target = text.lower(), name.lower()
    start = lowered.find(target)
    while start != -1:
        end = start + len(target)
        bounded = (start == 0 or not lowered[start - 1].isalpha()) and (
            end == len(lowered) or not lowered[end].isalpha()
        )
        if only_inside and (start == 0 or end >= len(lowered)):
            bounded = False
        if bounded:
            text = text[:start] + name + text[end:]
        start = lowered.find(target, end)
    return text


def recase_title(title: str | None, names: list[str | None]) -> str | None:
    """Give back their capitals to names in a title that was printed in capitals.

    >>> recase_title("Triển khai trên địa bàn tỉnh thái nguyên", ["Thái Nguyên"])
    'Triển khai trên địa bàn tỉnh Thái Nguyên'
    """
    if not title:
        return title
    for name in [*names, *_issuer_table()["names"]]:
        if name and len(name) > 3:
            title = replace_words(title, name)
    return title


def restore_casing(title: str | None, body: str) -> str | None:
    """Capitalise the words of a re-cased title that the body writes capitalised.

    A title printed in capitals lost its proper nouns; the preamble usually
    repeats them ("Hội nghị lần thứ Tám Ban Chấp hành Trung ương Đảng", d009).
    A word counts when it is capitalised more often than not, sentence
    openings (after ". ; : ( “" or a line break) left out.

    >>> restore_casing("Thực hiện nghị quyết hội nghị trung ương", "Căn cứ Nghị quyết Hội nghị Trung ương 8")
    'Thực hiện Nghị quyết Hội nghị Trung ương'
    """
    if not title:
        return title
    forms: dict[str, Counter[str]] = {}
    previous: str | None = None
    opening = True
    for token in body.split():
        word = token.strip("“”\"'(),.;:!?")
        if not word.isalpha():
            previous = None
        elif not opening:
            forms.setdefault(word.lower(), Counter())[word] += 1
            if previous is not None:
                forms.setdefault(f"{previous.lower()} {word.lower()}", Counter())[
                    f"{previous} {word}"
                ] += 1
            previous = word
        else:
            previous = None
        opening = token[-1:] in ".;:" or token[:1] in '(“"'
        if token[-1:] in ",;:.)”":
            previous = None
    words = title.split(" ")
    index = 1
    while index < len(words):
        size = 2 if index + 1 < len(words) and _recased(words, index, 2, forms) else 1
        if size == 1:
            _recased(words, index, 1, forms)
        index += size
    return " ".join(words)


def _recased(words: list[str], index: int, size: int, forms: dict[str, Counter[str]]) -> bool:
    """Re-case ``words[index:index+size]`` in place from the body's most common form."""
    cores = [w.strip("“”\"'(),.;:!?") for w in words[index : index + size]]
    key = " ".join(cores)
    counts = forms.get(key)
    if not key.islower() or counts is None or not all(c.isalpha() for c in cores):
        return False
    best, best_count = counts.most_common(1)[0]
    if best == key or best_count <= counts[key]:
        return False
    for offset, (core, cased) in enumerate(zip(cores, best.split(" "), strict=True)):
        words[index + offset] = words[index + offset].replace(core, cased, 1)
    return True
