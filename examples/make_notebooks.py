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
INSTALL_NOTE = """\
**Running on Colab or a fresh machine?** The next cell installs robo2d with its training extra, unless it
is installed already: from the robo2d clone this notebook runs in (after `%cd` into it), otherwise from
`ROBO2D_REPO`, a git URL or a folder, the one place to set where robo2d comes from: set the
environment variable, or edit the default in that cell. On Python 3.12 and later pip compiles PyBullet
first (about 10 minutes; it needs a C++ compiler, which Colab has)."""
INSTALL_CELL = """\
# Install robo2d[train] unless it is installed: from the clone we are in, else from ROBO2D_REPO.
import importlib.metadata, os, pathlib, subprocess, sys
ROBO2D_REPO = os.environ.get("ROBO2D_REPO", "https://github.com/robo2d/robo2d")
try:
    importlib.metadata.version("robo2d")
except importlib.metadata.PackageNotFoundError:
    here = pathlib.Path.cwd()
    clone = next((p for p in (here, *here.parents) if (p / "robo2d" / "catalog.py").is_file()), None)
    folder = clone or (pathlib.Path(ROBO2D_REPO) if os.path.isdir(ROBO2D_REPO) else None)
    target = f"{folder.resolve()}[train]" if folder else f"robo2d[train] @ git+{ROBO2D_REPO}"
    print(f"Installing robo2d[train] from {folder.resolve() if folder else ROBO2D_REPO} ...", flush=True)
    if sys.version_info >= (3, 12):
        print("Python 3.12+: pip compiles PyBullet from source first (about 10 minutes).", flush=True)
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", target])
    print("robo2d installed.")"""


def cells_of(script: str) -> list:
    """Split a `# %%` script into notebook cells; `# %% [markdown]` cells lose their comment marks."""
    cells = [nbformat.v4.new_markdown_cell(INSTALL_NOTE), nbformat.v4.new_code_cell(INSTALL_CELL)]
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
