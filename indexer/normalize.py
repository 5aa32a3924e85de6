"""Text normalisation: every text is normalised once, right after loading.

``normalize_text`` is idempotent: NFC, one tone-mark placement (``hoà`` ->
``hòa``, ``uỷ`` -> ``ủy``), ``Ð`` (U+00D0, eth) -> ``Đ``, unified dashes and
whitespace. Offsets everywhere else in vanban refer to the normalised text.
"""

from __future__ import annotations

import re
import unicodedata

# Dashes, minus signs and hyphen look-alikes printed in real documents.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_TABLE = {d: "-" for d in DASHES}

# Eth (Icelandic) is typed for Đ by some legacy keyboards and PDF fonts.
_LETTER_TABLE = {"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"}

# Horizontal white space that is not a plain space, and invisible characters.
_SPACE_TABLE: dict[str, str] = {
    "\t": " ",
    "\u00a0": " ",
    "\u2000": " ",
    "\u2001": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2007": " ",
    "\u2008": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u205f": " ",
    "\u3000": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00ad": "",
    "\x0b": "\n",
    "\x0c": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
}


class CharReplacer:
    """Replace single characters per a table; a regex scan, fast when they are rare.

    (``str.translate`` with a dict looks up every character in Python.)

    >>> CharReplacer({"&": "&amp;", "\x01": ""})("a & b\x01")
    'a &amp; b'
    """

    def __init__(self, table: dict[str, str]) -> None:
        self._table = table
        self._pattern = re.compile("[" + "".join(re.escape(ch) for ch in table) + "]")

    def __call__(self, text: str) -> str:
        return self._pattern.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        return self._table[match.group()]


_replace_dashes = CharReplacer(_DASH_TABLE)
_replace_letters = CharReplacer(_LETTER_TABLE)
_replace_spaces = CharReplacer(_SPACE_TABLE)
_MULTI_SPACE = re.compile(r" {2,}")
_TRAILING_SPACE = re.compile(r" +\n")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

# Two tone placements are in use for word-final oa/oe/uy: "hoà"/"hòa",
# "uỷ"/"ủy", "khoẻ"/"khỏe". vanban keeps one: the mark on the first vowel (the
# placement underthesea emits). "toàn", "hoàng" (a final consonant follows) and
# "quý" (qu- is the initial) are the same in both styles and are left alone.
_TONE = "[\u0300\u0301\u0303\u0309\u0323]"  # huyền sắc ngã hỏi nặng
_OTHER_PLACEMENT = re.compile(
    rf"(?<![qQ])([oO])([aAeE])({_TONE})(?![\w\u0300-\u036f])"
    rf"|(?<![qQ])([uU])([yY])({_TONE})(?![\w\u0300-\u036f])"
)


def to_nfc(text: str) -> str:
    """Compose characters (NFC).

    >>> to_nfc("ho\u0300a") == "hòa"
    True
    """
    return unicodedata.normalize("NFC", text)


def _move_tone(match: re.Match[str]) -> str:
    first, second, tone = (
        match.group(1, 2, 3) if match.group(1) is not None else match.group(4, 5, 6)
    )
    return first + tone + second


def unify_tone_marks(text: str) -> str:
    """Put the tone mark of word-final oa/oe/uy on the first vowel.

    >>> unify_tone_marks("hoà nhập, uỷ ban, thuỷ lợi, khoẻ, toàn, quý")
    'hòa nhập, ủy ban, thủy lợi, khỏe, toàn, quý'
    """
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OTHER_PLACEMENT.sub(_move_tone, decomposed))


def unify_dashes(text: str) -> str:
    """Replace every dash look-alike with an ASCII hyphen.

    >>> unify_dashes("2021 – 2025")
    '2021 - 2025'
    """
    return _replace_dashes(text)


def unify_whitespace(text: str) -> str:
    """One kind of line break, one space between words, no invisible characters."""
    text = _replace_spaces(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    text = _MULTI_SPACE.sub(" ", text)
    return _TRAILING_SPACE.sub("\n", text)


def normalize_text(text: str) -> str:
    """The one normalisation every loaded text goes through (idempotent).

    >>> normalize_text("Ð\u1ea3ng uỷ  – hoà")
    'Đảng ủy - hòa'
    """
    # White space first: an invisible character between a letter and its
    # combining mark ("a\u200b\u0300") must go before NFC composes them.
    text = unify_whitespace(text)
    text = _replace_letters(to_nfc(text))
    text = unify_tone_marks(text)
    return unify_dashes(text)


def strip_diacritics(text: str) -> str:
    """Fold Vietnamese to plain ASCII letters, đ/Đ included; length is kept.

    Each character folds to exactly one character, so offsets stay valid.

    >>> strip_diacritics("Phổ cập giáo dục, Đảng ủy")
    'Pho cap giao duc, Dang uy'
    """
    out = []
    for ch in text:
        if ch == "đ":
            out.append("d")
        elif ch == "Đ":
            out.append("D")
        elif ord(ch) < 128:
            out.append(ch)
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base if len(unicodedata.normalize("NFD", ch)) > 1 else ch)
    return "".join(out)


def has_diacritics(text: str) -> bool:
    """True when the text has any Vietnamese letter beyond plain ASCII.

    >>> has_diacritics("pho cap"), has_diacritics("phổ cập"), has_diacritics("đi")
    (False, True, True)
    """
    return strip_diacritics(text) != text


# --------------------------------------------------------------------------
# Folds: the forms texts are compared in. Two families: ``fold`` drops case
# and diacritics (đ -> d), ``lower_words`` drops case only.
# --------------------------------------------------------------------------


class _FoldTable(dict[int, int]):
    """``str.translate`` table folding one character to its base letter, built lazily."""

    def __missing__(self, code: int) -> int:
        folded = ord(strip_diacritics(chr(code)))
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case and strip diacritics (đ -> d); length is kept, so offsets stay valid.

    >>> fold("Phổ CẬP, Đảng ủy")
    'pho cap, dang uy'
    """
    return text.lower().translate(_FOLD)


def fold_words(text: str) -> str:
    """``fold`` with one space between words: the form facet values are matched in.

    >>> fold_words("  Kế  hoạch ")
    'ke hoach'
    """
    return " ".join(fold(text).split())


def folded_words(text: str, keep: str = "") -> list[str]:
    """The words of a normalised, folded text: runs of letters, digits and the characters in ``keep``.

    >>> folded_words("Phòng GD-ĐT quận Thanh Khê"), folded_words("UBND T.P Hà Nội", keep="&.")
    (['phong', 'gd', 'dt', 'quan', 'thanh', 'khe'], ['ubnd', 't.p', 'ha', 'noi'])
    """
    folded = fold(normalize_text(text))
    return "".join(ch if ch.isalnum() or ch in keep else " " for ch in folded).split()


def lower_words(text: str) -> str:
    """Normalised, lower case, one space between words; diacritics kept (unlike ``fold_words``).

    >>> lower_words("  CỘNG HOÀ  XÃ HỘI ")
    'cộng hòa xã hội'
    """
    return " ".join(normalize_text(text).lower().split())
