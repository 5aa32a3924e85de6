"""annotate_html: escape first, then link the extraction's spans."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.annotate import Anchor, annotate_html

SEED_LINE = (
    "Thực hiện Kế hoạch số 232-KH/TU, ngày 17/4/2024 của Ban Thường vụ Tỉnh ủy "
    "thực hiện Chỉ thị số 29-CT/TW, ngày 05/01/2024 của Bộ Chính trị"
)


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


CASES = [
    pytest.param(
        SEED_LINE,
        [Anchor(*span_of(SEED_LINE, "232-KH/TU"), "/ref?symbol=232-KH/TU")],
        'Thực hiện Kế hoạch số <a href="/ref?symbol=232-KH/TU">232-KH/TU</a>, ngày 17/4/2024',
        id="one-symbol",
    ),
    pytest.param(
        "Căn cứ <b>Luật</b> & Chỉ thị số 29-CT/TW",
        [Anchor(32, 40, '/ref?id=Chỉ thị 29-CT/TW (2024)&x="1"', title='a"b', css_class="ref")],
        'Căn cứ &lt;b&gt;Luật&lt;/b&gt; &amp; Chỉ thị số <a href="/ref?id=Chỉ thị 29-CT/TW '
        '(2024)&amp;x=&quot;1&quot;" class="ref" title="a&quot;b">29-CT/TW</a>',
        id="escapes-text-and-attributes",
    ),
    pytest.param(
        "x <script>alert(1)</script> y",
        [Anchor(2, 10, "/ref?symbol=x")],
        'x <a href="/ref?symbol=x">&lt;script&gt;</a>alert(1)&lt;/script&gt; y',
        id="markup-inside-a-span",
    ),
    pytest.param(
        "Nghị quyết số 42-NQ/TW",
        [Anchor(14, 22, "/a"), Anchor(0, 22, "/b"), Anchor(18, 40, "/stale")],
        '<a href="/b">Nghị quyết số 42-NQ/TW</a>',
        id="overlap-longest-first-and-out-of-range-dropped",
    ),
    pytest.param("không có liên kết", [], "không có liên kết", id="no-spans"),
]


@pytest.mark.parametrize(("text", "spans", "expected"), CASES)
def test_annotate_html(text: str, spans: list[Anchor], expected: str) -> None:
    assert annotate_html(text, spans).startswith(expected)


def test_adjacent_spans_both_linked() -> None:
    text = "29-CT/TW42-NQ/TW"
    out = annotate_html(text, [Anchor(8, 16, "/b"), Anchor(0, 8, "/a")])
    assert out == '<a href="/a">29-CT/TW</a><a href="/b">42-NQ/TW</a>'


@given(
    st.text(alphabet=st.sampled_from("ab<>&\"' \nđĐ"), max_size=40),
    st.lists(st.tuples(st.integers(-3, 45), st.integers(-3, 45)), max_size=6),
)
def test_unescaping_gives_back_the_text(text: str, raw: list[tuple[int, int]]) -> None:
    """Whatever the spans, no raw markup survives and the text round-trips."""
    out = annotate_html(text, [Anchor(a, b, "/r") for a, b in raw])
    stripped = out.replace('<a href="/r">', "").replace("</a>", "")
    assert "<" not in stripped and ">" not in stripped
    assert html.unescape(stripped) == text
