"""Refuse to start when whoosh or underthesea is not the version setup.cfg pins.

:mod:`indexer.internals.whoosh_private` and
:mod:`indexer.internals.underthesea_private` use these libraries' internals, which
change without notice between versions: another version may not fail loudly but
index or segment differently. The CLI and the web app call
:func:`check_versions` at start.

>>> check_versions()  # the installed versions match the pins: nothing happens
"""

from __future__ import annotations

import logging
import re
from importlib import metadata

from indexer.errors import LibraryVersionError
from indexer.messages import say

log = logging.getLogger(__name__)

DISTRIBUTION = "vanban"
# The libraries whose internals vanban uses (names as setup.cfg spells them).
CHECKED = ("whoosh-reloaded", "underthesea")

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_SPECIFIER = re.compile(r"\s*(~=|==|!=|<=|>=|<|>)\s*([0-9][0-9A-Za-z.*+!-]*)\s*")


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def release(version: str) -> tuple[int, ...]:
    """The release numbers of a version: ``"9.5.0"`` -> ``(9, 5, 0)``.

    A part's trailing letters (``0rc1``) are dropped.

    >>> release("2.7.5")
    (2, 7, 5)
    """
    out = []
    for part in version.split("+")[0].split("."):
        digits = re.match(r"\d*", part)
        out.append(int(digits.group() or 0) if digits else 0)
    return tuple(out)


def _cmp(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    width = max(len(a), len(b))
    a, b = a + (0,) * (width - len(a)), b + (0,) * (width - len(b))
    return (a > b) - (a < b)


def satisfies(version: str, specifiers: str) -> bool:
    """Whether ``version`` meets every comma-separated specifier (``>=2.7.5,<2.8``).

    >>> satisfies("2.7.5", "<2.8,>=2.7.5"), satisfies("2.8.0", "<2.8,>=2.7.5")
    (True, False)
    """
    have = release(version)
    for spec in filter(None, (s.strip() for s in specifiers.split(","))):
        match = _SPECIFIER.fullmatch(spec)
        if match is None:
            raise ValueError(f"unsupported version specifier {spec!r}")
        op, text = match.groups()
        if op in ("==", "!=") and text.endswith(".*"):
            prefix = release(text[:-2])
            same = have[: len(prefix)] == prefix
            ok = same if op == "==" else not same
        else:
            order = _cmp(have, release(text))
            ok = {
                "==": order == 0,
                "!=": order != 0,
                "<": order < 0,
                "<=": order <= 0,
                ">": order > 0,
                ">=": order >= 0,
                "~=": order >= 0 and have[: len(release(text)) - 1] == release(text)[:-1],
            }[op]
        if not ok:
            return False
    return True


def pins(requires: list[str]) -> dict[str, str]:
    """Name (normalised) -> specifiers of each unconditional requirement.

    >>> pins(["whoosh-reloaded<2.8,>=2.7.5", 'pytest<10; extra == "dev"'])
    {'whoosh-reloaded': '<2.8,>=2.7.5'}
    """
    out = {}
    for requirement in requires:
        if ";" in requirement:  # extras and markers: not needed at run time
            continue
        name = _NAME.match(requirement.strip())
        if name is None:
            continue
        rest = requirement.strip()[name.end() :]
        rest = re.sub(r"^\[[^\]]*\]", "", rest).strip().strip("()")
        out[_normalized(name.group())] = rest
    return out


def installed_version(name: str) -> str:
    """The installed version of a distribution (``PackageNotFoundError`` if none)."""
    return metadata.version(name)


def declared_requirements() -> list[str]:
    """vanban's requirements as installed from setup.cfg (``PackageNotFoundError`` if none)."""
    return metadata.requires(DISTRIBUTION) or []


def check_versions() -> None:
    """Raise :class:`LibraryVersionError` unless each checked library matches its pin.

    Pins are read from vanban's installed metadata (setup.cfg's
    ``install_requires``); without it (not installed) there is nothing to check.
    """
    try:
        declared = pins(declared_requirements())
    except metadata.PackageNotFoundError:
        log.debug("%s is not installed: no pins to check", DISTRIBUTION)
        return
    for name in CHECKED:
        specifiers = declared.get(name)
        if specifiers is None:
            continue
        try:
            installed = installed_version(name)
        except metadata.PackageNotFoundError:
            raise LibraryVersionError(
                say("version.missing", name=name, specifiers=specifiers)
            ) from None
        if not satisfies(installed, specifiers):
            raise LibraryVersionError(
                say("version.mismatch", name=name, specifiers=specifiers, installed=installed)
            )
