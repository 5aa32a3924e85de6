"""GEXF 1.2 and GraphML written as text in one pass, for graphs with flat attributes.

networkx's ``write_gexf`` and ``write_graphml`` build an ElementTree of the
whole graph first: 6.4 s and 3.0 s for 10,000 nodes and 96,000 edges with
vanban's attributes (issue 6 asks for at most 5 s), and 46-60 s at ten times
that; these writers take 1.2-1.8 s for the same graph (BENCHMARKS.md). They
emit the same document shapes (GEXF 1.2draft, static, directed, one attribute
table per class; GraphML with one key per attribute) straight into a list of
strings, and ``networkx.read_gexf`` / ``read_graphml`` read them back to the
same graph (tests/test_export.py).

Attribute types are declared per key from every value of that key: a key
whose values are all booleans is ``boolean``, all integers ``long``, all
numbers ``double``; anything mixed is ``string``. Characters XML 1.0 forbids
are dropped; everything else is escaped.

>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_edge("a", "b & c", relation="implements")
>>> H = nx.read_gexf(__import__("io").BytesIO(write_gexf(G)))
>>> list(H.edges(data="relation"))
[('a', 'b & c', 'implements')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

import networkx as nx

from indexer.normalize import CharReplacer

GEXF_NAMESPACE = "http://www.gexf.net/1.2draft"
GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
# Attributes GEXF carries on the element itself, not in the attribute table.
NODE_LABEL = "label"
EDGE_ID = "id"

# Characters XML 1.0 forbids are dropped. What must be escaped: in an
# attribute value also quotes and white space (a parser would turn them into
# spaces); in element text a carriage return only (read back as a line feed).
_FORBIDDEN = {chr(c): "" for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)}
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = {**_FORBIDDEN, **_ENTITIES, '"': "&quot;", "\n": "&#10;", "\t": "&#09;"}
_TEXT_ESCAPES = {**_FORBIDDEN, **_ENTITIES}

_Escape = Callable[[Any], str]


def _escaper(table: dict[str, str]) -> _Escape:
    r"""A function escaping any value's ``str`` per ``table``.

    >>> _escaper(_ATTR_ESCAPES)('a "b" & <c>\x01\n')
    'a &quot;b&quot; &amp; &lt;c&gt;&#10;'
    >>> _escaper(_TEXT_ESCAPES)('a "b" & <c>\x01\r\n')
    'a "b" &amp; &lt;c&gt;&#13;\n'
    """
    replace = CharReplacer(table)
    return lambda value: replace(value if isinstance(value, str) else str(value))


_attr = _escaper(_ATTR_ESCAPES)
_text = _escaper(_TEXT_ESCAPES)


def _xml_value(value: Any, xml_type: str, escape: _Escape) -> str:
    if xml_type == "boolean":
        return "true" if value else "false"
    return escape(value)


def _xml_type(values: Iterable[Any]) -> str:
    types = {type(v) for v in values}
    if types == {bool}:
        return "boolean"
    if types == {int}:
        return "long"
    if types and types <= {int, float}:
        return "double"
    return "string"


def _attribute_table(
    items: list[dict[str, Any]], skip: str
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Per attribute key: (id, GEXF type), in first-seen order; and the table's XML."""
    values: dict[str, list[Any]] = {}
    for attrs in items:
        for key, value in attrs.items():
            if key != skip:
                values.setdefault(key, []).append(value)
    table = {key: (str(i), _xml_type(vals)) for i, (key, vals) in enumerate(values.items())}
    return table, [
        f'<attribute id="{ident}" title="{_attr(key)}" type="{xml_type}" />'
        for key, (ident, xml_type) in table.items()
    ]


def _attvalues(attrs: dict[str, Any], table: dict[str, tuple[str, str]]) -> Iterator[str]:
    present = [(table[k], v) for k, v in attrs.items() if k in table]
    if not present:
        return
    yield "<attvalues>"
    for (ident, xml_type), value in present:
        yield f'<attvalue for="{ident}" value="{_xml_value(value, xml_type, _attr)}" />'
    yield "</attvalues>"


def write_gexf(G: nx.DiGraph, *, creator: str = "vanban") -> bytes:
    """``G`` (a directed graph with str/bool/int/float attributes) as GEXF 1.2 bytes."""
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(data=True))
    node_table, node_xml = _attribute_table([d for _, d in nodes], skip=NODE_LABEL)
    edge_table, edge_xml = _attribute_table([d for _, _, d in edges], skip=EDGE_ID)
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        f'<gexf xmlns="{GEXF_NAMESPACE}" version="1.2">',
        f'<meta lastmodifieddate="{date.today().isoformat()}"><creator>{_attr(creator)}</creator></meta>',
        '<graph defaultedgetype="directed" mode="static" name="">',
        '<attributes mode="static" class="edge">',
        *edge_xml,
        "</attributes>",
        '<attributes mode="static" class="node">',
        *node_xml,
        "</attributes>",
        "<nodes>",
    ]
    for node, attrs in nodes:
        label = attrs.get(NODE_LABEL, node)
        out.append(f'<node id="{_attr(node)}" label="{_attr(label)}">')
        out.extend(_attvalues(attrs, node_table))
        out.append("</node>")
    out.append("</nodes>")
    out.append("<edges>")
    for number, (source, target, attrs) in enumerate(edges):
        ident = attrs.get(EDGE_ID, number)
        out.append(f'<edge source="{_attr(source)}" target="{_attr(target)}" id="{_attr(ident)}">')
        out.extend(_attvalues(attrs, edge_table))
        out.append("</edge>")
    out.extend(["</edges>", "</graph>", "</gexf>"])
    return "\n".join(out).encode("utf-8")


def write_graphml(G: nx.DiGraph) -> bytes:
    """``G`` (a directed graph with str/bool/int/float attributes) as GraphML bytes."""
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(data=True))
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        f'<graphml xmlns="{GRAPHML_NAMESPACE}">',
    ]
    tables: dict[str, dict[str, tuple[str, str]]] = {}
    for scope, items in (
        ("graph", [G.graph]),
        ("node", [d for _, d in nodes]),
        ("edge", [d for _, _, d in edges]),
    ):
        table, _ = _attribute_table(items, skip="")
        tables[scope] = {key: (f"{scope[0]}{ident}", t) for key, (ident, t) in table.items()}
        for key, (ident, xml_type) in tables[scope].items():
            out.append(
                f'<key id="{ident}" for="{scope}" attr.name="{_attr(key)}" attr.type="{xml_type}" />'
            )
    out.append('<graph edgedefault="directed">')
    out.extend(_data(G.graph, tables["graph"]))
    for node, attrs in nodes:
        out.append(f'<node id="{_attr(node)}">')
        out.extend(_data(attrs, tables["node"]))
        out.append("</node>")
    for source, target, attrs in edges:
        out.append(f'<edge source="{_attr(source)}" target="{_attr(target)}">')
        out.extend(_data(attrs, tables["edge"]))
        out.append("</edge>")
    out.extend(["</graph>", "</graphml>"])
    return "\n".join(out).encode("utf-8")


def _data(attrs: dict[str, Any], table: dict[str, tuple[str, str]]) -> Iterator[str]:
    for key, value in attrs.items():
        ident, xml_type = table[key]
        yield f'<data key="{ident}">{_xml_value(value, xml_type, _text)}</data>'
