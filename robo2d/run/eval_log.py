"""evaluations.csv, a run's learning curve: one row per periodic evaluation, written whole each time.

Columns: env steps, success rate and mean return of the evaluation episodes, and two clocks since the
run's start that continue across resumes.
"""

from __future__ import annotations

import csv
from pathlib import Path

from robo2d.run.files import atomic_file

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
