"""Build examples/notebooks/*.ipynb from the tutorial scripts (`# %%` cells).

python examples/make_notebooks.py            # (re)write the notebooks' cells, keeping stored outputs
python examples/make_notebooks.py --execute  # run each with the small budget and store its outputs
python examples/make_notebooks.py --check    # exit 1 if a notebook's cells are out of date

Executed notebooks run with ROBO2D_SMALL_BUDGET=1 (a few hundred training steps: they show that every
cell works and what it prints, not trained results); the seconds they took and the budget are stored
in the notebook's metadata ("robo2d") and printed on the tutorials' index page.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
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


EXECUTED_WITH = "ROBO2D_SMALL_BUDGET=1"
EXECUTION_TIMEOUT = 900  # s per cell


def cells_only(text: str) -> list[tuple[str, str]]:
    """(type, source) of each cell: what the script decides, not what running it printed."""
    return [(c.cell_type, c.source) for c in nbformat.reads(text, as_version=4).cells]


def with_outputs(fresh: str, stored: Path) -> str:
    """The fresh cells, with the stored notebook's outputs and run record where its cells are the same."""
    if not stored.exists() or cells_only(stored.read_text()) != cells_only(fresh):
        return fresh
    old = nbformat.read(stored, as_version=4)
    new = nbformat.reads(fresh, as_version=4)
    for cell, was in zip(new.cells, old.cells):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = was.outputs, was.execution_count
    if "robo2d" in old.metadata:
        new.metadata["robo2d"] = old.metadata["robo2d"]
    return nbformat.writes(new)


def execute(path: Path) -> None:
    """Run a notebook with the small budget in a scratch folder and store its outputs and run time."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    os.environ.update(ROBO2D_SMALL_BUDGET="1", MPLBACKEND="Agg")
    with tempfile.TemporaryDirectory(prefix="robo2d-notebook-") as folder:
        start = time.perf_counter()
        NotebookClient(
            notebook,
            timeout=EXECUTION_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": folder}},
        ).execute()
    _scrub(notebook, folder)
    notebook.metadata["robo2d"] = {
        "executed_with": EXECUTED_WITH,
        "seconds": round(time.perf_counter() - start),
    }
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    print(f"{path.name}: {notebook.metadata['robo2d']['seconds']} s")


def _scrub(notebook, folder: str) -> None:
    """Outputs name files relative to where the notebook ran (the scratch folder is nobody's path), and
    warnings on stderr (libraries' notes, with the paths of this machine's install) are left out."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = output["text"].replace(folder + os.sep, "")
            for key, value in (output.get("data") or {}).items():
                if key.startswith("text/") and isinstance(value, str):
                    output["data"][key] = value.replace(folder + os.sep, "")


def main(check: bool, run: bool) -> int:
    OUT.mkdir(exist_ok=True)
    stale = []
    for script in sorted(HERE.glob("t[0-9]_*.py")):
        target = OUT / f"{script.stem}.ipynb"
        text = notebook_for(script)
        if check:
            if not target.exists() or cells_only(target.read_text()) != cells_only(text):
                stale.append(target.name)
            continue
        target.write_text(with_outputs(text, target))
        if run:
            execute(target)
    if stale:
        print("out of date (run python examples/make_notebooks.py):", ", ".join(stale))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv, "--execute" in sys.argv))
