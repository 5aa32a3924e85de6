"""Escape a document's text, then turn spans of it into links (eyecite ``annotate``).

The text is untrusted: every character outside and inside a link is escaped
with :func:`html.escape` before it is written, and the link attributes too, so
the result can be marked safe by the web layer. Spans come from the
extraction's offsets (``Mention`` and ``NamedRef`` spans), never from a
re-search of the text.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

__all__ = ["Anchor", "annotate_html"]


@dataclass(frozen=True)
class Anchor:
    """A span of the text to wrap in ``<a href=…>``.

    ``href`` is written escaped; callers build it from trusted routes.
    """

    start: int
    end: int
    href: str
    title: str = ""
    css_class: str = ""


def _choose(text_len: int, spans: Iterable[Anchor]) -> list[Anchor]:
    """Valid, non-overlapping spans, left to right; the longest wins a tie."""
    valid = [a for a in spans if 0 <= a.start < a.end <= text_len]
    dropped = 0
    chosen: list[Anchor] = []
    for anchor in sorted(valid, key=lambda a: (a.start, -(a.end - a.start))):
        if chosen and anchor.start < chosen[-1].end:
            dropped += 1
            continue
        chosen.append(anchor)
    if dropped:
        log.debug("annotate: %d overlapping spans dropped", dropped)
    return chosen


def _open_tag(anchor: Anchor) -> str:
    attrs = [f'href="{html.escape(anchor.href, quote=True)}"']
    if anchor.css_class:
        attrs.append(f'class="{html.escape(anchor.css_class, quote=True)}"')
    if anchor.title:
        attrs.append(f'title="{html.escape(anchor.title, quote=True)}"')
    return "<a " + " ".join(attrs) + ">"


def annotate_html(text: str, spans: Iterable[Anchor]) -> str:
    """The escaped text with each span wrapped in a link.

    Spans out of range or overlapping an earlier one are skipped, so a stale
    offset never breaks the page.

    >>> annotate_html("Thực hiện Chỉ thị số 29-CT/TW <b>", [Anchor(21, 29, "/ref?symbol=29-CT/TW")])
    'Thực hiện Chỉ thị số <a href="/ref?symbol=29-CT/TW">29-CT/TW</a> &lt;b&gt;'
    """
    out: list[str] = []
    pos = 0
    for anchor in _choose(len(text), spans):
        out.append(html.escape(text[pos : anchor.start], quote=False))
        out.append(_open_tag(anchor))
        out.append(html.escape(text[anchor.start : anchor.end], quote=False))
        out.append("</a>")
        pos = anchor.end
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)
