"""Graph figures of ``bench.run``: build and export time, and correctness at scale.

Correctness compares the ``implements`` edges of the saved graph between corpus
documents (mapped to their generated symbols through ``doc_id``) with the
generator's known tree: precision and recall, target 1.00 / 1.00 (issue 6).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import measure
from bench.synth import SyntheticCorpus

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv")


def graph_phase(index_dir: Path) -> dict[str, Any]:
    """Graph build (from the stored extractions) and export time per format."""
    from indexer.graph import citation_graph as graph
    from indexer.graph import export
    from indexer.index.store import load_documents

    docs = load_documents(index_dir)
    build_s, G = measure.timed(lambda: graph.build_graph(docs))
    out: dict[str, Any] = {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "build_s": round(build_s, 2),
        "export": {},
    }
    for fmt in EXPORT_FORMATS:
        seconds, data = measure.timed(export.export_graph, G, fmt)
        out["export"][fmt] = {"seconds": round(seconds, 2), "mb": round(len(data) / 1e6, 2)}
    return out


def graph_correctness(index_dir: Path, corpus: SyntheticCorpus) -> dict[str, Any]:
    """Implements edges of the saved graph between corpus documents vs the known tree."""
    from indexer.graph.citation_graph import load_graph
    from indexer.load.corpus import doc_id_for

    G = load_graph(index_dir)
    by_doc_id = {doc_id_for(d.file): d.symbol for d in corpus.docs}
    symbols = {d.symbol for d in corpus.docs}

    def symbol_of(node: str) -> str:
        attrs = G.nodes[node]
        return by_doc_id.get(attrs.get("doc_id") or "", "") or str(attrs.get("symbol") or "")

    found: set[tuple[str, str]] = set()
    resolved = 0
    for u, v, relation in G.edges(data="relation"):
        if relation != "implements":
            continue
        pair = (symbol_of(u), symbol_of(v))
        if pair[0] in symbols and pair[1] in symbols:
            found.add(pair)
            resolved += bool(G.nodes[u].get("in_corpus") and G.nodes[v].get("in_corpus"))
    truth = corpus.edges
    hits = len(found & truth)
    return {
        "truth_edges": len(truth),
        "found_edges": len(found),
        "correct": hits,
        "precision": round(hits / len(found), 4) if found else 0.0,
        "recall": round(hits / len(truth), 4) if truth else 0.0,
        "both_ends_resolved": resolved,
        "false_positives": sorted(found - truth)[:10],
        "missed": sorted(truth - found)[:10],
    }
