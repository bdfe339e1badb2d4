"""evaluations.csv, a run's learning curve: one row per periodic evaluation, written whole each time;
read here, as rows while the run goes on and as a ``Run`` of arrays by studies, and plotted as
learning curves (success rate against env steps, one line per run, their mean when several).

Columns: env steps, success rate and mean return of the evaluation episodes, and two clocks since the
run's start that continue across resumes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from robo2d.run.folder import RunFolder, atomic_file

# cpu_seconds: the training process's CPU time, all its threads (SBX's JAX runtime threads included),
# which another process on the same cores does not stretch as it stretches wall-clock
EVAL_COLUMNS = ["timesteps", "success_rate", "mean_return", "wall_seconds", "cpu_seconds"]


def read_evaluations(eval_file: Path) -> list[list[str]]:
    """The rows of evaluations.csv (without its header); none before the first evaluation."""
    if not eval_file.is_file():
        return []
    with eval_file.open(newline="") as f:
        return list(csv.reader(f))[1:]


def write_evaluations(eval_file: Path, rows: list[list]) -> None:
    """The whole file, replaced at once (a kill mid-write leaves the previous version); rows of a run
    begun before a column existed get it empty."""
    padded = [[*row, *[""] * (len(EVAL_COLUMNS) - len(row))] for row in rows]
    with atomic_file(eval_file) as temporary, temporary.open("w", newline="") as f:
        csv.writer(f).writerows([EVAL_COLUMNS, *padded])


def last_seconds(eval_file: Path, column: str) -> float | None:
    """A clock column of the last row of evaluations.csv: 0 before the first row, None where that row
    has it empty (a run begun before the column existed)."""
    if not eval_file.is_file():
        return 0.0
    with eval_file.open() as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return 0.0
    return float(rows[-1][column]) if rows[-1].get(column) else None


def best_evaluation(eval_file: Path) -> tuple[float, float] | None:
    """(success rate, mean return) of the best row of evaluations.csv so far; None before the first."""
    if not eval_file.is_file():
        return None
    with eval_file.open() as f:
        rows = list(csv.DictReader(f))
    scores = [(float(r["success_rate"]), float(r["mean_return"])) for r in rows]
    return max(scores, default=None)


@dataclass
class Run:
    """One run's evaluations: env steps, success rate and mean return at each."""

    name: str
    steps: np.ndarray
    success: np.ndarray
    returns: np.ndarray
    wall: np.ndarray | None = None  # seconds since the run started, where the file records them
    cpu: np.ndarray | None = None  # CPU seconds of the training process, where every row records them


def read_run(eval_file: Path) -> Run:
    with Path(eval_file).open() as f:
        rows = list(csv.DictReader(f))
    column = lambda key, kind: np.array([kind(r[key]) for r in rows])  # noqa: E731
    steps, success = column("timesteps", int), column("success_rate", float)
    wall = column("wall_seconds", float) if rows and "wall_seconds" in rows[0] else None
    cpu = column("cpu_seconds", float) if rows and all(r.get("cpu_seconds") for r in rows) else None
    return Run(curve_label(eval_file), steps, success, column("mean_return", float), wall, cpu)


def curve_label(eval_file: Path) -> str:
    """A run's name: its folder for a run's evaluations.csv, else the file's own name (docs/results)."""
    path = Path(eval_file)
    return path.parent.name if RunFolder.of_evaluations(path) else path.stem


def plot_learning_curve(eval_files: list[Path], out: Path, title: str = "", mean: bool = True) -> Path:
    """One line per run plus, for several seeds of one recipe (`mean`), their mean on the common steps."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    curves = [(run.steps, run.success) for run in map(read_run, eval_files)]
    for path, (steps, success) in zip(eval_files, curves):
        marker = "o" if len(steps) < 3 else None  # one evaluation is a point, not a line
        alpha = 0.5 if mean and len(curves) > 1 else 1.0
        ax.plot(steps, success, marker=marker, alpha=alpha, label=curve_label(path))
    if mean and len(curves) > 1:
        n = min(len(c[0]) for c in curves)
        ax.plot(curves[0][0][:n], np.mean([c[1][:n] for c in curves], axis=0), "k", lw=2, label="mean")
    ax.set_xlabel("env steps")
    ax.set_ylabel("success rate (deterministic evaluation)")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(title)
    ax.legend(fontsize=7)
    fig.tight_layout()
    out = Path(out)
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out
