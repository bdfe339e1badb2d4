"""Build examples/notebooks/*.ipynb from the tutorial scripts (`# %%` cells), outputs cleared.

python examples/make_notebooks.py          # (re)write the notebooks
python examples/make_notebooks.py --check  # exit 1 if a notebook is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).parent
OUT = HERE / "notebooks"
INSTALL_CELL = """\
# Colab or a fresh machine: install robo2d with its training extras from the repository.
import importlib.util, os, subprocess, sys
if importlib.util.find_spec("robo2d") is None:
    repo = os.environ.get("ROBO2D_REPO", "https://github.com/robo2d/robo2d")
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", f"robo2d[train] @ git+{repo}"])"""


def cells_of(script: str) -> list:
    """Split a `# %%` script into notebook cells; `# %% [markdown]` cells lose their comment marks."""
    cells = [nbformat.v4.new_code_cell(INSTALL_CELL)]
    for chunk in script.split("# %%")[1:]:
        header, _, body = chunk.partition("\n")
        body = body.strip("\n")
        if header.strip() == "[markdown]":
            text = "\n".join(
                line[2:] if line.startswith("# ") else line.lstrip("#") for line in body.splitlines()
            )
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif body:
            cells.append(nbformat.v4.new_code_cell(body))
    return cells


def notebook_for(script: Path) -> str:
    notebook = nbformat.v4.new_notebook(cells=cells_of(script.read_text()))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"{script.stem}-{i}"  # stable ids: regenerating changes nothing
    return nbformat.writes(notebook)


def main(check: bool) -> int:
    OUT.mkdir(exist_ok=True)
    stale = []
    for script in sorted(HERE.glob("t[0-9]_*.py")):
        target = OUT / f"{script.stem}.ipynb"
        text = notebook_for(script)
        if check:
            if not target.exists() or target.read_text() != text:
                stale.append(target.name)
        else:
            target.write_text(text)
    if stale:
        print("out of date (run python examples/make_notebooks.py):", ", ".join(stale))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
