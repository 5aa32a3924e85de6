"""The package layout is the architecture: which stage may import which.

Imports are read from the source (``ast``), function-level imports included,
so a lazy import cannot hide a dependency that runs back up the pipeline.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import indexer

ROOT = Path(indexer.__file__).parent

# stage (sub-package or top-level module of indexer) -> the stages it may import.
# The shared leaves (models, messages, errors, normalize, grammar) import only
# each other, in this order; every other stage may import them.
LEAVES: dict[str, set[str]] = {
    "models": set(),
    "messages": set(),
    "normalize": set(),
    "errors": {"messages"},
    "grammar": {"errors", "messages"},
}
SHARED = set(LEAVES)
ALLOWED: dict[str, set[str]] = {
    **LEAVES,
    "annotate": set(),
    "gold": SHARED,
    "internals": SHARED,
    "load": SHARED,
    "extract": SHARED,
    "segment": SHARED | {"internals"},
    "graph": SHARED | {"extract"},
    "index": SHARED | {"extract", "graph", "internals", "load", "segment"},
    "search": SHARED | {"index", "internals", "segment"},
}
# The write side of the index: the searcher must not sit above it.
WRITE_SIDE = {
    "indexer.index.indexing",
    "indexer.index.pipeline",
    "indexer.index.writelock",
    "indexer.index.docfields",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> Iterator[str]:
    """Every absolute module name ``path`` imports, at any depth of its code."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    return {
        name: {
            imported
            for imported in _imports(path)
            if imported in modules or imported.split(".")[0] in ("web", "flask")
        }
        for name, path in modules.items()
    }


def _stage(module: str) -> str:
    return module.split(".")[1] if "." in module else "indexer"


def test_the_library_never_imports_web_or_flask() -> None:
    offenders = {
        module: sorted(i for i in imports if i.split(".")[0] in ("web", "flask"))
        for module, imports in _graph().items()
        if not module.startswith("indexer.cli")
    }
    assert {m: i for m, i in offenders.items() if i} == {}


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_each_stage_imports_only_what_it_may(stage: str) -> None:
    found = {
        (module, imported)
        for module, imports in _graph().items()
        if _stage(module) == stage
        for imported in imports
        if imported.startswith("indexer.") and _stage(imported) not in ALLOWED[stage] | {stage}
    }
    assert found == set()


def test_every_stage_is_in_the_table() -> None:
    stages = {_stage(module) for module in _graph()} - {"indexer", "cli"}
    assert stages <= set(ALLOWED)


def test_search_never_reaches_the_write_side() -> None:
    graph = _graph()
    seen: set[str] = set()
    todo = [m for m in graph if _stage(m) == "search"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(i for i in graph.get(module, ()) if i in graph)
    assert seen & WRITE_SIDE == set()


def test_the_checker_sees_lazy_imports(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from indexer.index import indexing\n", encoding="utf-8")
    assert "indexer.index.indexing" in set(_imports(source))


def test_the_package_face_names_where_each_verb_lives() -> None:
    assert sorted(indexer.__all__) == sorted(indexer._HOMES)
    for name in indexer.__all__:
        assert getattr(indexer, name).__module__.startswith("indexer")


def test_the_primer_runs() -> None:
    import doctest

    result = doctest.testmod(indexer)
    assert result.failed == 0 and result.attempted > 0
