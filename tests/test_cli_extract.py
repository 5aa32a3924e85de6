"""``vanban extract``: gold and full JSON on stdout, unreadable files on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.cli import main


def test_extract_gold_of_the_seed_corpus(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path
) -> None:
    assert main(["extract", str(corpus_dir), "--format", "gold"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [d["file"] for d in docs] == sorted(p.name for p in corpus_dir.glob("*.txt"))
    assert all(set(d) == {"file", "self", "refs", "named_refs", "chain"} for d in docs)
    seed001 = next(d for d in docs if d["file"].startswith("001_"))
    assert {"from": "232-KH/TU", "to": "29-CT/TW", "relation": "implements"} in seed001["chain"]


def test_extract_json_has_spans_and_doc_id(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path
) -> None:
    path = next(corpus_dir.glob("004_*.txt"))
    assert main(["extract", str(path), "--format", "json"]) == 0
    (doc,) = json.loads(capsys.readouterr().out)
    assert doc["file"] == path.name and doc["doc_id"].startswith("004_")
    (ref,) = doc["refs"]
    assert ref["symbol"] == "07-ĐA/ĐU" and ref["relation"] == "implements"
    text = path.read_text("utf-8")
    start, end = doc["mentions"][0]["start"], doc["mentions"][0]["end"]
    assert text[start:end] == "07-ĐA/ĐU"


def test_unreadable_file_is_reported_and_the_rest_extracted(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path
) -> None:
    (corpus_dir / "broken.docx").write_bytes(b"not a zip file")
    assert main(["extract", str(corpus_dir)]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 5
    assert "broken.docx" in captured.err
    assert "Traceback" not in captured.err
