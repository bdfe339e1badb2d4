"""`robo2d report`: groups of runs (seeds of a recipe, a sweep's trials) summarised with the interquartile
mean over runs and 95% stratified-bootstrap intervals, and compared by the probability of improvement.

A group is a run folder, a folder of run folders (a sweep's, searched two levels deep), or an
evaluations CSV (``docs/results/*.csv``). Each run's score is its evaluation at the group's budget: the
last evaluation step every run of the group reached.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from robo2d.run.eval_log import Run, read_run
from robo2d.run.folder import BEST_DIR, EVAL_FILE
from robo2d.studies.statistics import bootstrap_interval, improvement_interval

CURVE_REPS = 2_000  # bootstrap samples per curve point (the table's intervals use the default 10,000)


def find_runs(target: str) -> list[Path]:
    """The evaluations files of a run folder, a folder of runs (two levels deep), a CSV itself, or a glob
    pattern of CSVs (``'docs/results/reacher_seed*.csv'``)."""
    if any(c in target for c in "*?["):
        found = (
            sorted(Path().glob(target))
            if not Path(target).is_absolute()
            else sorted(Path("/").glob(target.lstrip("/")))
        )
        if not found:
            raise FileNotFoundError(f"no file matches {target!r}")
        return found
    target = Path(target)
    if target.is_file():
        return [target]
    for pattern in (EVAL_FILE, f"*/{EVAL_FILE}", f"*/*/{EVAL_FILE}"):
        found = sorted(p for p in target.glob(pattern) if BEST_DIR not in p.parts[-2:-1])
        if found:
            return found
    raise FileNotFoundError(
        f"no {EVAL_FILE} in {target} or two levels below it: is it a run or sweep folder?"
    )


@dataclass
class Group:
    label: str
    runs: list[Run]

    @property
    def budget(self) -> int:
        """The last evaluation step all runs reached."""
        return int(min(run.steps.max() for run in self.runs))

    def at(self, step: int, field: str = "success") -> np.ndarray:
        """Each run's score at its last evaluation at or before `step`."""
        return np.array([getattr(r, field)[r.steps <= step][-1] for r in self.runs])

    def first_at(self, target: float) -> list[tuple[Run, int]]:
        """Each run that reached `target` success, with the index of its first evaluation at it."""
        hits = [(r, np.flatnonzero(r.success >= target)) for r in self.runs]
        return [(r, int(found[0])) for r, found in hits if len(found)]

    def common_steps(self) -> np.ndarray:
        return np.array(sorted(set.intersection(*(set(r.steps.tolist()) for r in self.runs))))


def load_group(target: str, label: str | None = None) -> Group:
    paths = find_runs(target)
    runs = [read_run(path) for path in paths]
    for path, run in zip(paths, runs):
        if not len(run.steps):
            raise ValueError(f"{path} has no evaluations yet")
    return Group(label or Path(target).name.removesuffix(".csv"), runs)


def interval_cell(estimate: tuple[float, float, float], scale: float = 1.0, digits: int = 0) -> str:
    point, low, high = (scale * v for v in estimate)
    return f"{point:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def summary_table(groups: list[Group]) -> str:
    """Markdown: per group the IQM success (%) and return at its budget, each with its 95% interval."""
    lines = [
        "| group | runs | budget (env steps) | IQM success % (95% CI) | IQM return (95% CI) |",
        "|---|---:|---:|---|---|",
    ]
    for g in groups:
        success, returns = g.at(g.budget), g.at(g.budget, "returns")
        success_cell = interval_cell(bootstrap_interval(success), 100)
        return_cell = interval_cell(bootstrap_interval(returns), digits=2)
        lines.append(f"| {g.label} | {len(g.runs)} | {g.budget:,} | {success_cell} | {return_cell} |")
    return "\n".join(lines) + "\n"


def improvement_table(groups: list[Group]) -> str:
    """Markdown: P(X > Y) of the success rate at the smaller of the two budgets, for each pair."""
    lines = ["| X | Y | at env steps | P(X > Y) (95% CI) |", "|---|---|---:|---|"]
    for x, y in itertools.combinations(groups, 2):
        step = min(x.budget, y.budget)
        lines.append(
            f"| {x.label} | {y.label} | {step:,} | "
            f"{interval_cell(improvement_interval(x.at(step), y.at(step)), digits=2)} |"
        )
    return "\n".join(lines) + "\n"


def target_table(groups: list[Group], target: float) -> str:
    """Markdown: per group how many runs reached `target` success, and the median env steps, wall-clock
    seconds and training-process CPU seconds to their first evaluation at it (CPU time is what another
    process on the same cores does not stretch); the median seconds of the whole run beside."""
    lines = [
        f"| group | runs at ≥ {100 * target:g}% | median env steps to it | median seconds to it "
        "| median CPU seconds to it | median seconds, whole run |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for g in groups:
        reached = g.first_at(target)
        steps = np.median([r.steps[i] for r, i in reached]) if reached else np.nan
        walls = [r.wall[i] for r, i in reached if r.wall is not None]
        cpus = [r.cpu[i] for r, i in reached if r.cpu is not None]
        whole = [r.wall[-1] for r in g.runs if r.wall is not None]
        lines.append(
            f"| {g.label} | {len(reached)}/{len(g.runs)} | {_number(steps, ',.0f')} | "
            f"{_number(np.median(walls) if walls else np.nan, '.1f')} | "
            f"{_number(np.median(cpus) if len(cpus) == len(reached) and cpus else np.nan, '.1f')} | "
            f"{_number(np.median(whole) if whole else np.nan, '.1f')} |"
        )
    return "\n".join(lines) + "\n"


def _number(value: float, spec: str) -> str:
    return "-" if np.isnan(value) else format(value, spec)


def plot_curves(groups: list[Group], out: Path) -> Path:
    """IQM success over runs at each common evaluation step, with its 95% bootstrap band."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for g in groups:
        steps = g.common_steps()
        estimates = np.array([bootstrap_interval(g.at(s), reps=CURVE_REPS) for s in steps])
        ax.plot(
            steps, estimates[:, 0], marker="o" if len(steps) < 3 else None, label=f"{g.label} ({len(g.runs)})"
        )
        ax.fill_between(steps, estimates[:, 1], estimates[:, 2], alpha=0.25)
    ax.set_xlabel("env steps")
    ax.set_ylabel("success rate, IQM over runs (95% CI)")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return Path(out)


def write_report(groups: list[Group], out: Path, target: float | None = None) -> str:
    """report.md (tables; time to `target` success if given) and curves.png in `out`; returns the
    Markdown."""
    out.mkdir(parents=True, exist_ok=True)
    text = summary_table(groups)
    if target is not None:
        text += "\nTime to target (first evaluation at it; wall-clock from the run's start):\n\n"
        text += target_table(groups, target)
    if len(groups) > 1:
        text += "\nProbability of improvement (success rate):\n\n" + improvement_table(groups)
    runs = "; ".join(f"{g.label}: {', '.join(r.name for r in g.runs)}" for g in groups)
    text += f"\nRuns: {runs}. IQM = mean of the middle half of the runs; intervals: stratified bootstrap.\n"
    (out / "report.md").write_text(text)
    plot_curves(groups, out / "curves.png")
    return text
