"""The package's layers (issue 23): imports only go down, there is no import cycle, and the
modules' old names still import, with a warning, as the same module.

Layers, lowest first: ``dataset`` (the tables, their checks and loaders); ``coding`` and
``analysis`` (each built on the dataset, neither on the other); ``figures``; ``report``; and
the package's root modules (the command line, the exports, ``coopstats/__init__``). Every
import counts: at the top of a module, inside a function, or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import importlib
import sys
import warnings
from pathlib import Path

import pytest

from coopstats._moved import MOVED

PACKAGE = Path(__file__).resolve().parents[1] / "coopstats"
#: the rank of each layer: a module imports from its own layer or from a lower rank
RANK = {"dataset": 0, "coding": 1, "analysis": 1, "figures": 2, "report": 3, "root": 4}


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> set[str]:
    """Every ``coopstats`` module the file imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: a relative import"
            base = node.module or ""
            if base.split(".")[0] == "coopstats":
                names = [f"{base}.{a.name}" for a in node.names]
                modules = {n for n in names if _is_module(n)}
                # `from package import submodule` runs the package's __init__ as any import
                # of a submodule does; only a name defined in the __init__ is an import of it
                found |= modules | ({base} if len(modules) < len(names) else set())
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "coopstats"}
    return found


GRAPH = {_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else "root"


def test_the_graph_sees_the_package():
    assert {"coopstats.dataset.loaders", "coopstats.analysis.measures",
            "coopstats.figures.charts", "coopstats.report.run", "coopstats.cli"} <= set(GRAPH)
    assert "coopstats.dataset.schema" in GRAPH["coopstats.analysis.measures"]


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_only_go_down(module):
    here = _layer(module)
    wrong = sorted(t for t in GRAPH[module] if _layer(t) != here
                   and RANK[_layer(t)] >= RANK[here])
    assert not wrong, f"{module} ({here}) imports upward or sideways: {wrong}"


def _cycle() -> list[str]:
    """One import cycle among the modules (the empty list when there is none)."""
    state: dict[str, int] = {}  # 1 on the path being walked, 2 done

    def walk(node: str, path: list[str]) -> list[str]:
        state[node] = 1
        for nxt in sorted(t for t in GRAPH.get(node, ()) if t in GRAPH and t != node):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt] if nxt in path else [node, nxt]
            if nxt not in state and (found := walk(nxt, [*path, nxt])):
                return found
        state[node] = 2
        return []

    for start in sorted(GRAPH):
        if start not in state and (found := walk(start, [start])):
            return found
    return []


def test_there_is_no_import_cycle():
    assert _cycle() == []


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    monkeypatch.setitem(GRAPH, "coopstats.dataset.schema",
                        GRAPH["coopstats.dataset.schema"] | {"coopstats.analysis.measures"})
    cycle = _cycle()
    assert cycle[0] == cycle[-1] and "coopstats.analysis.measures" in cycle


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_name_is_the_same_module_with_a_warning(old, monkeypatch):
    monkeypatch.delitem(sys.modules, f"coopstats.{old}", raising=False)
    with pytest.warns(FutureWarning, match=f"coopstats.{MOVED[old]}"):
        module = importlib.import_module(f"coopstats.{old}")
    assert module is importlib.import_module(f"coopstats.{MOVED[old]}")


def test_from_coopstats_import_an_old_name_warns_too(monkeypatch):
    monkeypatch.delitem(sys.modules, "coopstats.measures", raising=False)
    monkeypatch.delattr("coopstats.measures", raising=False)  # set by an earlier import
    with pytest.warns(FutureWarning, match="coopstats.analysis.measures"):
        from coopstats import measures
    assert measures.MEASURES


def test_the_new_names_import_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for new in MOVED.values():
            importlib.import_module(f"coopstats.{new}")
        import coopstats

        assert coopstats.load_all().facts is not None
