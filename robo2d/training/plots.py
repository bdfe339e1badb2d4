"""Learning-curve plots: success rate against env steps, one line per run (mean when several)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


def read_evaluations(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with Path(path).open() as f:
        rows = list(csv.DictReader(f))
    steps = np.array([int(r["timesteps"]) for r in rows])
    success = np.array([float(r["success_rate"]) for r in rows])
    return steps, success


def curve_label(eval_file: Path) -> str:
    """A run's name: its folder for a run's evaluations.csv, else the file's own name (docs/results)."""
    path = Path(eval_file)
    return path.parent.name if path.name == "evaluations.csv" else path.stem


def plot_learning_curve(eval_files: list[Path], out: Path, title: str = "", mean: bool = True) -> Path:
    """One line per run plus, for several seeds of one recipe (`mean`), their mean on the common steps."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    curves = [read_evaluations(f) for f in eval_files]
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
