"""The layers docs/architecture.md lists: each module imports robo2d only from its own layer or those
listed above it, so a layer can be read, tested and replaced without the ones below it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "robo2d"
LAYER_ROW = re.compile(r"^\| `([a-z_]+)(?:/|\.py)` \|", re.MULTILINE)
LAYERS = LAYER_ROW.findall((ROOT / "docs" / "architecture.md").read_text())


def _imported_layers(source: str) -> set[tuple[int, str]]:
    """(line, layer) of every robo2d import in a module, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {(node.lineno, n.split(".")[1]) for n in names if n.startswith("robo2d.")}
    return found


def test_the_table_lists_every_folder_and_module_of_the_package():
    listed = set(LAYERS)
    present = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()}
    assert present - {"__init__", "__main__", "__pycache__"} == listed


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_only_the_layers_above_it(layer):
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    files = (
        [PACKAGE / f"{layer}.py"] if (PACKAGE / f"{layer}.py").exists() else (PACKAGE / layer).rglob("*.py")
    )
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports robo2d.{target}"
        for path in files
        for line, target in _imported_layers(path.read_text())
        if target in LAYERS and target not in allowed
    ]
    assert not upward, upward
