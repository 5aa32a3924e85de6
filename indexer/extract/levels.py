"""The administrative level of an issuer: Trung ương, tỉnh, huyện, xã or trường.

Derived from the issuer's words ("Ủy ban nhân dân huyện Củ Chi" -> huyện) and,
when those say nothing, from the issuing body's code inside the symbol
("232-KH/TU" -> tỉnh). The rules are data: ``indexer/grammar/levels.toml``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from indexer.grammar import kind_for_code, load_table
from indexer.models import Level
from indexer.normalize import folded_words, normalize_text

log = logging.getLogger(__name__)

_LABELS = {
    Level.CENTRAL: "Trung ương",
    Level.PROVINCE: "Tỉnh / thành phố trực thuộc Trung ương",
    Level.DISTRICT: "Huyện / quận / thị xã",
    Level.COMMUNE: "Xã / phường / thị trấn",
    Level.SCHOOL: "Trường",
}


@dataclass(frozen=True)
class _IssuerRule:
    level: Level
    whole: frozenset[str]
    starts: tuple[str, ...]
    words: tuple[str, ...]


def fold_issuer(text: str) -> str:
    """Issuer text as rules compare it: folded words (keeping "&" and "."), padded with spaces.

    >>> fold_issuer("Ủy ban nhân dân Huyện Củ Chi,")
    ' uy ban nhan dan huyen cu chi '
    """
    return " " + " ".join(folded_words(text, keep="&.")) + " "


@cache
def _issuer_rules() -> tuple[_IssuerRule, ...]:
    table = load_table("levels")
    cities = [fold_issuer(city).strip() for city in table["central_cities"]]
    rules = []
    for entry in table["issuer"]:
        words: list[str] = []
        for phrase in entry.get("words", ()):
            if "{city}" in phrase:
                words.extend(fold_issuer(phrase.replace("{city}", city)) for city in cities)
            else:
                words.append(fold_issuer(phrase))
        rules.append(
            _IssuerRule(
                level=Level(entry["level"]),
                whole=frozenset(fold_issuer(p) for p in entry.get("whole", ())),
                starts=tuple(fold_issuer(p).rstrip() for p in entry.get("starts", ())),
                words=tuple(words),
            )
        )
    return tuple(rules)


@cache
def _code_rules() -> tuple[dict[str, Level], tuple[tuple[str, Level], ...]]:
    """Exact codes, then prefixes longest first (a school's initials: "THNBK")."""
    exact: dict[str, Level] = {}
    prefixes: list[tuple[str, Level]] = []
    for entry in load_table("levels")["code"]:
        level = Level(entry["level"])
        for code in entry.get("codes", ()):
            exact.setdefault(code.upper(), level)
        prefixes.extend((p.upper(), level) for p in entry.get("prefixes", ()))
    prefixes.sort(key=lambda item: -len(item[0]))
    return exact, tuple(prefixes)


def level_of_issuer(issuer: str | None) -> Level | None:
    """The level the issuer's words name, or None.

    >>> level_of_issuer("Ban Thường vụ Thị ủy"), level_of_issuer("UBND Thành phố")
    (<Level.DISTRICT: 'huyện'>, <Level.PROVINCE: 'tỉnh'>)
    """
    if not issuer or not issuer.strip():
        return None
    folded = fold_issuer(issuer)
    for rule in _issuer_rules():
        if folded in rule.whole:
            return rule.level
        if any(folded.startswith(start) for start in rule.starts):
            return rule.level
        if any(word in folded for word in rule.words):
            return rule.level
    return _level_of_locality(issuer)


def _level_of_locality(issuer: str) -> Level | None:
    """The level word printed before a capitalised place name, or None.

    >>> _level_of_locality("Hội Khuyến học huyện Củ Chi"), _level_of_locality("Sở Lao động - Thương binh và Xã hội")
    (<Level.DISTRICT: 'huyện'>, None)
    """
    words = normalize_text(issuer).split()
    table = load_table("levels")["locality"]["words"]
    for index in range(1, len(words)):
        for size in (2, 1):
            key = " ".join(words[index : index + size])
            following = words[index + size : index + size + 1]
            if key in table and following and following[0][:1].isupper():
                return Level(table[key])
    return None


def issuer_codes(symbol: str) -> list[str]:
    """The issuing-body codes printed in a symbol (kind codes and numbers left out).

    >>> issuer_codes("24/2021/NĐ-CP"), issuer_codes("1181/KH-PGD-ĐT"), issuer_codes("29-CT/TW")
    (['CP'], ['PGD', 'ĐT'], ['TW'])
    """
    segments = normalize_text(symbol).replace(" ", "").split("/")
    codes = []
    for segment in segments[1:]:
        for token in segment.split("-"):
            if token and not token.isdigit() and kind_for_code(token) is None:
                codes.append(token)
    return codes


def level_of_symbol(symbol: str | None) -> Level | None:
    """The level the issuing body's code in ``symbol`` implies, or None.

    >>> level_of_symbol("232-KH/TU"), level_of_symbol("/KH-THNBK"), level_of_symbol("45/KH-UBND")
    (<Level.PROVINCE: 'tỉnh'>, <Level.SCHOOL: 'trường'>, None)
    """
    if not symbol:
        return None
    codes = [code.upper() for code in issuer_codes(symbol)]
    exact, prefixes = _code_rules()
    for code in codes:
        if code in exact:
            return exact[code]
    for code in codes:
        for prefix, level in prefixes:
            if code.startswith(prefix):
                return level
    return None


def level_of(issuer: str | None, symbol: str | None) -> Level | None:
    """The administrative level of a document: issuer words first, then symbol codes.

    >>> level_of("Ủy ban nhân dân huyện Củ Chi", None)
    <Level.DISTRICT: 'huyện'>
    >>> level_of(None, "29-CT/TW")
    <Level.CENTRAL: 'Trung ương'>
    >>> level_of("Trường Tiểu học Nguyễn Bình Khiêm", "/KH-THNBK")
    <Level.SCHOOL: 'trường'>
    """
    level = level_of_issuer(issuer)
    if level is None:
        level = level_of_symbol(symbol)
    log.debug("level of %r / %r: %s", issuer, symbol, level)
    return level


def level_label(level: Level | str | None) -> str:
    """A readable label for a level ("" for None).

    >>> level_label("huyện")
    'Huyện / quận / thị xã'
    """
    if level is None:
        return ""
    return _LABELS[Level(level)]
