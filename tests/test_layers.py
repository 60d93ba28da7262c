"""The generator is one layer a folder, and a layer imports only the layers before it.

The rule is the one generator/__init__.py draws and each subpackage's docstring states:
core → derive → data → exports | ingest → site, with cli.py on top. An import that goes the
other way (the data model reaching for a page, say) fails here, naming the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

GENERATOR = ROOT / "generator"

# what each layer may import, besides itself
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "derive": {"core"},
    "data": {"core", "derive"},
    "exports": {"core", "derive", "data"},
    "ingest": {"core", "derive", "data"},
    "site": {"core", "derive", "data", "exports"},
    "": {"core", "derive", "data", "exports", "ingest", "site"},  # cli.py, __main__.py
}


def layer_of(path: Path) -> str:
    """`site` for generator/site/pages/lists.py; "" for the modules at the top (cli.py)."""
    parts = path.relative_to(GENERATOR).parts
    return parts[0] if len(parts) > 1 else ""


def imported_layers(source: str, path: Path) -> list[tuple[int, str]]:
    """(line, layer) of every generator module `source` imports, relative imports resolved."""
    package = ("generator", *path.relative_to(GENERATOR).parent.parts)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = [*base, *(node.module.split(".") if node.module else [])]
            # `from generator import site` names a layer in what it imports
            names = [".".join([*module, alias.name]) for alias in node.names] if len(module) == 1 else [".".join(module)]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "benchmarks":
                found.append((node.lineno, "benchmarks"))
            elif parts[0] == "generator" and len(parts) > 1:
                found.append((node.lineno, parts[1] if parts[1] in MAY_IMPORT else ""))
    return found


def upward_imports(source: str, path: Path) -> list[str]:
    """`line: imports layer` for each import `path`'s layer may not make."""
    own = layer_of(path)
    return [f"{line}: imports {layer or 'cli'}" for line, layer in imported_layers(source, path) if layer != own and layer not in MAY_IMPORT[own]]


MODULES = sorted(GENERATOR.rglob("*.py"))


def test_every_module_is_in_a_layer_folder():
    assert {layer_of(p) for p in MODULES} == set(MAY_IMPORT)
    assert {p.name for p in MODULES if layer_of(p) == ""} == {"__init__.py", "__main__.py", "cli.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(GENERATOR)))
def test_no_module_imports_a_later_layer(path: Path):
    assert upward_imports(path.read_text(encoding="utf-8"), path) == []


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("core/model.py", "from generator.site import pages"),
        ("core/model.py", "from generator.derive import latest"),
        ("core/urls.py", "import generator.data.dataset"),
        ("derive/__init__.py", "from ..data.dataset import Dataset"),
        ("data/checks.py", "from generator import site"),
        ("data/dataset.py", "from ..exports import tables"),
        ("ingest/draft/__init__.py", "from generator.exports import downloads"),
        ("exports/tables.py", "from ..ingest import quantities"),
        ("site/pages/__init__.py", "from generator.ingest.draft import suggest_topics"),
        ("site/pages/__init__.py", "from generator.cli import main"),
        ("site/pages/__init__.py", "from benchmarks import synthetic"),
        ("core/parallel.py", "def f():\n    from generator.data import dataset"),
    ],
)
def test_the_check_finds_a_planted_upward_import(module, line):
    path = GENERATOR / module
    planted = path.read_text(encoding="utf-8") + "\n" + line + "\n"
    assert upward_imports(planted, path), f"{module}: {line!r} went unnoticed"


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("site/pages/__init__.py", "from generator.exports import downloads"),
        ("site/pages/__init__.py", "from . import qr"),
        ("data/dataset.py", "from ..core import model"),
        ("cli.py", "from generator.ingest import draft"),
        ("exports/tables.py", "from generator import derive"),
    ],
)
def test_the_check_allows_imports_down_the_layers(module, line):
    path = GENERATOR / module
    assert upward_imports(line + "\n", path) == []
