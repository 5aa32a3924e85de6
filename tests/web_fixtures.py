"""Fixtures for the web tests: an index of the seeds plus one hostile document.

Load with ``pytest_plugins = ["web_fixtures"]`` in a test module. The index is
built once per session; treat it as read-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from web_corpus import make_corpus

from indexer.index.indexing import build_index
from web import create_app


@dataclass(frozen=True)
class WebIndex:
    """Where the test index and its corpus live."""

    index_dir: Path
    corpus_dir: Path


@pytest.fixture(scope="session")
def web_index(tmp_path_factory: pytest.TempPathFactory) -> WebIndex:
    """Seeds + the hostile document, indexed once per session."""
    root = tmp_path_factory.mktemp("web")
    corpus = make_corpus(root / "corpus")
    index_dir = root / "index"
    report = build_index([corpus], index_dir, progress=False)
    assert report.indexed == 6 and not report.failed, report
    return WebIndex(index_dir, corpus)


@pytest.fixture(scope="session")
def app(web_index: WebIndex) -> Flask:
    """One app over ``web_index`` (opening the index once, as in production)."""
    application = create_app(
        {
            "TESTING": True,
            "INDEX_DIR": str(web_index.index_dir),
            "CORPUS_DIR": str(web_index.corpus_dir),
            "SEARCH_PER_PAGE": 2,
        }
    )
    return application


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    """A test client of ``app``."""
    with app.test_client() as test_client:
        yield test_client
