"""The one door to third-party private APIs: whoosh's and underthesea's internals.

vanban leans on a few things its libraries do not promise: whoosh's posting
pool and segment flush (indexing speed, issue 6), its field ``index`` method
(postings analysed in worker processes), its table-of-contents writer (a crash
test hook), its codec's posting blocks and BM25F's per-field ``B`` (bulk
scoring), and where underthesea keeps its word-segmentation model and token
normaliser. Every such use lives in :mod:`indexer.internals.whoosh_private` or
:mod:`indexer.internals.underthesea_private`; other modules call their named
functions only. The pins in setup.cfg say which library versions these were
written against, and :mod:`indexer.internals.versions` refuses to start on others.
"""
