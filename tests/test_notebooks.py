"""Every tutorial notebook runs top to bottom with the small budget, headless."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "examples" / "notebooks").glob("*.ipynb"))


def test_notebooks_match_their_scripts():
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "make_notebooks.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout


def test_every_tutorial_has_a_notebook():
    assert len(NOTEBOOKS) == 9


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_runs(notebook, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("ROBO2D_SMALL_BUDGET", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert not errors


def _first_cells(notebook: Path) -> tuple[str, str]:
    """The first text cell and the first code cell (the install cell) of a notebook."""
    cells = nbformat.read(notebook, as_version=4).cells
    text = next(c.source for c in cells if c.cell_type == "markdown")
    code = next(c.source for c in cells if c.cell_type == "code")
    return text, code


def test_every_notebook_starts_by_saying_where_robo2d_comes_from():
    cells = {_first_cells(n) for n in NOTEBOOKS}
    assert len(cells) == 1, "every notebook has the same install note and cell"
    text, code = cells.pop()
    assert "ROBO2D_REPO" in text and "ROBO2D_REPO" in code


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=1800, **kwargs)
    assert out.returncode == 0, (out.stdout + out.stderr)[-3000:]
    return out


def fresh_venv(path: Path) -> Path:
    """A new virtualenv with only the CPU build of torch in it (Colab ships torch; this is its CPU build,
    installed as the Makefile does: never PyPI's CUDA build). Returns its python."""
    import importlib.metadata
    import os

    _run([sys.executable, "-m", "venv", path])
    python = path / "bin" / "python"
    torch = importlib.metadata.version("torch").split("+")[0]
    index = os.environ.get("TORCH_INDEX", "https://download.pytorch.org/whl/cpu")
    _run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--retries",
            "0",
            "--timeout",
            "20",
            f"torch=={torch}",
            "--index-url",
            index,
        ]
    )
    return python


@pytest.mark.slow
def test_install_cell_installs_from_robo2d_repo_or_the_clone(tmp_path):
    """The cell a Colab user runs first, run in a fresh virtualenv against this checkout."""
    import os

    _, cell = _first_cells(NOTEBOOKS[0])
    python = fresh_venv(tmp_path / "venv")
    env = {k: v for k, v in os.environ.items() if k not in ("ROBO2D_REPO", "VIRTUAL_ENV", "PYTHONPATH")}
    out = _run([python, "-c", cell], cwd=tmp_path, env={**env, "ROBO2D_REPO": str(ROOT)})
    assert f"Installing robo2d[train] from {ROOT}" in out.stdout and "robo2d installed." in out.stdout
    code = "import gymnasium as gym, robo2d, stable_baselines3\n"
    code += "e = gym.make('Robo2DReacher-v0'); e.reset(seed=0)"
    _run([python, "-c", code], cwd=tmp_path, env=env)
    _run([python, "-m", "pip", "uninstall", "-q", "-y", "robo2d"])
    out = _run([python, "-c", cell], cwd=ROOT / "examples", env=env)  # inside a clone: the clone
    assert f"Installing robo2d[train] from {ROOT}" in out.stdout
    assert _run([python, "-c", cell], cwd=tmp_path, env=env).stdout == "", "installed: the cell does nothing"
