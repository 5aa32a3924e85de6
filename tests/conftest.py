"""Shared fixtures: a scratch copy of the seed corpus and one index built from it.

``corpus_dir`` is a fresh copy per test (tests may edit or delete files in it);
``built_index`` and ``searcher`` are built once per session from another copy
and must be treated as read-only.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.index.indexing import build_index
from indexer.search.searcher import Searcher

DATA_DIR = Path(__file__).parent / "data"
SEED_CORPUS = DATA_DIR / "corpus"


def copy_seed_corpus(target: Path) -> Path:
    """Copy the seed .txt files (not gold.json) into ``target``; return it."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEED_CORPUS.glob("*.txt")):
        shutil.copy2(path, target / path.name)
    return target


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A scratch copy of the five seed documents."""
    return copy_seed_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index directory of the seed corpus, built once per session (read-only)."""
    root = tmp_path_factory.mktemp("built")
    corpus = copy_seed_corpus(root / "corpus")
    index_dir = root / "index"
    report = build_index([corpus], index_dir, progress=False)
    assert report.indexed == 5 and not report.failed, report
    return index_dir


@pytest.fixture(scope="session")
def searcher(built_index: Path) -> Iterator[Searcher]:
    """One Searcher over ``built_index`` for the whole session."""
    s = Searcher(built_index)
    yield s
    s.close()
