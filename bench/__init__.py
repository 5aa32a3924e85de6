"""Benchmarks and evaluation helpers of vanban (not installed with the package).

``bench.synth`` generates a synthetic corpus with a known implementation tree;
``bench.run`` (``make bench``) measures indexing, queries, the web server and the
graph on it and writes ``BENCHMARKS.md``; ``bench.load`` (``make load``) drives a
running server with concurrent clients.
"""
