"""Legacy Vietnamese encodings: Windows-1258, TCVN3 (.VnTime) and VNI (VNI-Times).

The mapping tables live in ``indexer/grammar/legacy_encodings.toml``. Two
situations are handled:

* bytes that are not UTF-8: :func:`decode_8bit` tries each legacy encoding and
  keeps the one whose result reads most like Vietnamese;
* UTF-8 (or docx) text that was typed in a TCVN3 or VNI font and so *looks*
  like Latin-1 noise ("Phßng Gi¸o dôc"): :func:`repair_font_text` converts it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache

from indexer.grammar import char_class, load_table

log = logging.getLogger(__name__)

# Marks a Vietnamese letter may carry (tones, circumflex, breve, horn).
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# A repair needs at least this many non-Vietnamese Latin-1 letters in the text…
MIN_FOREIGN_CHARS = 3
# …and must remove at least this share of them.
MIN_REPAIR_GAIN = 0.8
# A line with at least this many ASCII letters, all capitals, is a .VnTimeH line.
MIN_CAPS_LETTERS = 3
# Repair only when genuine Unicode letters are under a tenth of the noise.
MAX_GENUINE_SHARE_INV = 10
# A frequent syllable counts for this many letters in vietnamese_score().
COMMON_SYLLABLE_WEIGHT = 5


@cache
def vietnamese_letters() -> frozenset[str]:
    """Every precomposed letter of the Vietnamese alphabet beyond ASCII (both cases)."""
    letters = {"đ", "Đ"}
    for code in range(0xC0, 0x1EFA):
        ch = chr(code)
        parts = unicodedata.normalize("NFD", ch)
        is_letter = len(parts) > 1 and parts[0].isascii() and parts[0].isalpha()
        if is_letter and all(mark in _VIETNAMESE_MARKS for mark in parts[1:]):
            letters.add(ch)
    return frozenset(letters)


def _foreign(ch: str) -> bool:
    """A non-ASCII character that genuine Vietnamese text would not contain."""
    return "\u00a0" < ch <= "\u00ff" and ch not in vietnamese_letters()


@cache
def _foreign_pattern() -> re.Pattern[str]:
    return char_class(ch for ch in map(chr, range(0xA1, 0x100)) if _foreign(ch))


@cache
def _genuine_pattern() -> re.Pattern[str]:
    return char_class(ch for ch in vietnamese_letters() if ch > "\u00ff")


def count_foreign(text: str) -> int:
    """How many characters of ``text`` are Latin-1 noise (:func:`_foreign`).

    >>> count_foreign("KÕ ho¹ch n¨m häc"), count_foreign("Kế hoạch năm học")
    (3, 0)
    """
    return len(_foreign_pattern().findall(text))


def count_genuine(text: str) -> int:
    """How many characters of ``text`` are Vietnamese letters beyond Latin-1 (ă ơ ư đ ạ…ỹ).

    >>> count_genuine("Kế hoạch năm học"), count_genuine("KÕ ho¹ch n¨m häc")
    (4, 0)
    """
    return len(_genuine_pattern().findall(text))


def vietnamese_score(text: str) -> int:
    """How Vietnamese a decoded text reads: its letters minus thrice its Latin-1 noise.

    >>> vietnamese_score("Kế hoạch") > vietnamese_score("KÕ ho¹ch")
    True
    """
    text = unicodedata.normalize("NFC", text)
    letters = vietnamese_letters()
    good = sum(ch in letters for ch in text)
    bad = count_foreign(text)
    common = _common_syllables()
    words = sum(word in common for word in text.lower().split())
    return good - 3 * bad + COMMON_SYLLABLE_WEIGHT * words


@cache
def _common_syllables() -> frozenset[str]:
    return frozenset(load_table("legacy_encodings")["scoring"]["common_syllables"].split())


@cache
def _tcvn3_table() -> dict[int, str]:
    chars = load_table("legacy_encodings")["tcvn3"]["chars"]
    return {ord(code): letter for code, letter in chars.items()}


def tcvn3_to_unicode(text: str) -> str:
    """Convert text typed in a TCVN3 (.VnTime/.VnTimeH) font to Unicode.

    Lines in capitals typed with .VnTimeH come out with lower-case Vietnamese
    letters, so a line whose ASCII are all capitals is upper-cased.

    >>> tcvn3_to_unicode("Phßng Gi¸o dôc vµ §µo t¹o")
    'Phòng Giáo dục và Đào tạo'
    >>> tcvn3_to_unicode("KÕ HO¹CH")
    'KẾ HOẠCH'
    """
    converted = text.translate(_tcvn3_table())
    return "\n".join(_recapitalise(line) for line in converted.split("\n"))


def _recapitalise(line: str) -> str:
    """Upper-case a line whose ASCII letters are all capitals (typed in .VnTimeH)."""
    ascii_letters = [ch for ch in line if ch.isascii() and ch.isalpha()]
    if len(ascii_letters) >= MIN_CAPS_LETTERS and all(ch.isupper() for ch in ascii_letters):
        return line.upper()
    return line


@cache
def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    table = load_table("legacy_encodings")["vni"]
    return dict(table["letters"]), dict(table["marks"])


def vni_to_unicode(text: str) -> str:
    """Convert text typed in a VNI font (VNI-Times) to Unicode.

    >>> vni_to_unicode("Phoøng Giaùo duïc vaø Ñaøo taïo")
    'Phòng Giáo dục và Đào tạo'
    >>> vni_to_unicode("UÛY BAN NHAÂN DAÂN")
    'ỦY BAN NHÂN DÂN'
    """
    letters, marks = _vni_tables()
    out: list[str] = []
    for ch in text:
        previous = unicodedata.normalize("NFD", out[-1])[0] if out else ""
        if ch in marks and previous.lower() in "aeiouy" and previous:
            out[-1] = unicodedata.normalize("NFC", out[-1] + marks[ch])
        elif ch in letters:
            out.append(letters[ch])
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _candidates(data: bytes) -> list[tuple[str, str]]:
    latin = data.decode("latin-1")
    found = [
        ("cp1258", unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))),
        ("tcvn3", tcvn3_to_unicode(latin)),
        ("vni", vni_to_unicode(data.decode("cp1252", errors="replace"))),
        ("cp1252", data.decode("cp1252", errors="replace")),
    ]
    return found


def decode_8bit(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes with the legacy encoding that reads most like Vietnamese.

    >>> decode_8bit(encode_cp1258("Ủy ban nhân dân"))
    ('Ủy ban nhân dân', 'cp1258')
    """
    best_codec, best_text, best_score = "", "", None
    for codec, text in _candidates(data):
        score = vietnamese_score(text) - 5 * text.count("\ufffd")
        log.debug("legacy candidate %s scores %d", codec, score)
        if best_score is None or score > best_score:
            best_codec, best_text, best_score = codec, text, score
    return best_text, best_codec


def encode_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed, the tone as a separate mark.

    >>> encode_cp1258("Kế")
    b'K\\xea\\xec'
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(mark for mark in parts[1:] if mark in _TONES)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def repair_font_text(text: str) -> tuple[str, str] | None:
    """Convert Unicode text that was typed in a TCVN3 or VNI font; None if it was not.

    >>> repair_font_text("KÕ ho¹ch n¨m häc")
    ('Kế hoạch năm học', 'TCVN3')
    >>> repair_font_text("Kế hoạch năm học") is None
    True
    """
    foreign = count_foreign(text)
    # Text typed in a legacy font holds only Latin-1 characters: any ă ơ ư đ or
    # ạ…ỹ (beyond U+00FF) in numbers means the text is genuine Unicode.
    genuine = count_genuine(text)
    if foreign < MIN_FOREIGN_CHARS or genuine * MAX_GENUINE_SHARE_INV > foreign:
        return None
    best: tuple[str, str] | None = None
    best_score = vietnamese_score(text)
    for font, convert in (("TCVN3", tcvn3_to_unicode), ("VNI", vni_to_unicode)):
        fixed = convert(text)
        left = count_foreign(fixed)
        score = vietnamese_score(fixed)
        if left <= foreign * (1 - MIN_REPAIR_GAIN) and score > best_score:
            best, best_score = (fixed, font), score
    return best
