"""vanban's library: load, normalise, extract, index, search and link documents.

The pipeline, one stage per module:

    corpus.py / loaders.py   files on disk -> SourceFile (normalised text)
    normalize.py             NFC, one tone placement, dashes, whitespace
    identity.py, dates.py    the document's own kind, symbol, issuer, date, title
    find.py                  text -> Mentions of other documents (by symbol)
    classify.py, resolve.py  Mentions -> DocRefs with relations; chains
    extract.py               SourceFile text -> Extraction (all of the above)
    segment.py, analysis.py  underthesea segmentation -> whoosh tokens
    indexing.py, search.py   the whoosh index, incremental; ranked search
    graph.py, export.py      the citation graph (networkx) and its exports

``indexer`` never imports ``web`` or flask.
"""
