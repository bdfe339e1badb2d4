"""Time to target for every id: main b7097e8 (November's default path) against now, from stored A/Bs.

Each measured id names its A/Bs under ``docs/results/speed/time_to_target``: per A/B the folder, the
file stem of the group that runs what ``robo2d train ID`` runs now (or the candidate recipe the A/B
measured; the other group's stem is ``b7097e8``), and the success rate that counts as reached. The
table's figures are computed from the runs' evaluation CSVs; an id without an A/B is listed as such, so
the table always has every id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from robo2d.catalog import ENV_IDS
from robo2d.studies.report import Group, interval_cell, load_group
from robo2d.studies.statistics import bootstrap_interval

AB_ROOT = Path(__file__).resolve().parents[1] / "docs" / "results" / "speed" / "time_to_target"
BEFORE = "b7097e8"


@dataclass(frozen=True)
class TimeToTargetAB:
    folder: str  # under AB_ROOT
    now: str  # stem of the now group's CSVs: NOW_seedN.csv
    now_label: str  # what the now group runs
    target: float  # success rate counted as reached


# every A/B of an id's recipe against b7097e8, oldest first (a set's machine speed varies: all are shown)
MEASURED: dict[str, tuple[TimeToTargetAB, ...]] = {
    "Robo2DReacher-v0": (
        TimeToTargetAB("Robo2DReacher-v0-sbx-default", "sbx_recipe", "the recipe (SBX)", 0.95),
        TimeToTargetAB("Robo2DReacher-v0-three-way", "recipe", "the recipe (SBX)", 0.95),
    ),
    "Robo2DPusher-v0": (
        TimeToTargetAB("Robo2DPusher-v0", "sbx_tf2", "SBX, every 2nd step (a candidate, not adopted)", 0.90),
    ),
    "Robo2DIKPusher-v0": (
        TimeToTargetAB("Robo2DIKPusher-v0", "sbx_tf2", "the recipe (SBX, every 2nd step)", 0.90),
    ),
    "Robo2DOneJoint-v0": (
        TimeToTargetAB(
            "Robo2DOneJoint-v0-sbx-tf2", "tf2_first", "the recipe (SBX, every 2nd step), first run", 0.95
        ),
    ),
}


def seconds_to(group: Group, target: float) -> list[float]:
    """Each run's wall-clock seconds to its first evaluation at `target` (runs that never reach it left
    out: the table says how many did)."""
    return [float(r.wall[i]) for r, i in group.first_at(target)]


def _success(group: Group) -> str:
    return interval_cell(bootstrap_interval(group.at(group.budget)), 100)


def row(env_id: str, ab: TimeToTargetAB) -> str:
    folder = AB_ROOT / ab.folder
    before = load_group(str(folder / f"{BEFORE}_seed*.csv"), BEFORE)
    now = load_group(str(folder / f"{ab.now}_seed*.csv"), ab.now_label)
    times = [seconds_to(g, ab.target) for g in (before, now)]
    medians = [np.median(t) if t else np.nan for t in times]
    ratio = "-" if np.isnan(medians).any() else f"{medians[0] / medians[1]:.2f}×"
    reached = " / ".join(f"{len(t)}/{len(g.runs)}" for t, g in zip(times, (before, now)))
    seconds = " / ".join("-" if np.isnan(m) else f"{m:.1f}" for m in medians)
    return (
        f"| {env_id} | {ab.now_label} | {100 * ab.target:g}% | {reached} | {seconds} | {ratio} | "
        f"{_success(before)} / {_success(now)} | `{ab.folder}` |"
    )


def time_to_target_table() -> str:
    """Markdown: a row per A/B of each id (a row saying so where there is none), b7097e8 / now."""
    lines = [
        "| id | now runs | target | runs reaching it (b7097e8 / now) | median seconds to it (b7097e8 / now) "
        "| sooner by | IQM success % at the budget, 95% CI (b7097e8 / now) | A/B |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for env_id in ENV_IDS:
        lines += [row(env_id, ab) for ab in MEASURED.get(env_id, ())]
        if env_id not in MEASURED:
            lines.append(f"| {env_id} | not measured against b7097e8 yet | | | | | | |")
    return "\n".join(lines)
