"""Result tables computed from the stored result files under ``docs/results``.

The docs site's results pages (``docs/measured``, written by ``python -m tools.docs_pages``) print
these tables, and ``python -m tools.result_tables`` prints them alone, from the files the measuring
commands wrote: evaluation CSVs of training runs, ``robo2d evaluate`` output, ``robo2d robustness``
rows, ``robo2d soak`` and ``robo2d bench`` output, sweep folders. A test checks each row is on the
results pages, so a figure there is always one a file holds. Each table's spec (files, columns,
labels) is in ``TABLES`` (the robustness tables' code is in ``tools.robustness_tables``);
``tools.run_tables`` holds the pages' other tables.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from robo2d.run.eval_log import Run, read_run
from robo2d.studies.report import load_group, summary_table
from tools.robustness_tables import robustness_table
from tools.time_to_target import time_to_target_table

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results"
EVALUATE_LINE = re.compile(
    r"^(?P<id>\S+): success rate (?P<rate>[\d.]+) \(95% Wilson interval (?P<low>[\d.]+)-(?P<high>[\d.]+)\), "
    r"mean return (?P<ret>-?[\d.]+) over (?P<n>\d+)"
)
# The demonstration recipes, seed 0, before and after the seed streams were separated: (id, the id's goal
# success rate, the old-layout run, the same seed and config re-run with today's streams), as stems of
# evaluation CSVs under docs/results (a sweep trial's demonstrations are in its folder's table).
SEED_FIX_RUNS = (
    ("Robo2DKukaJawPickPlace-v0", 0.80, "jaw_demo_seed0", "jaw_seed0_rerun"),
    ("Robo2DIKPusher-v0", 0.90, "ikpusher_demo_seed0", "ikpusher_demo_seed0_seedfix"),
    ("Robo2DPusher-v0", 0.90, "pusher_demo300_seed0", "pusher_demo300_seed0_seedfix"),
    ("Robo2DPixelReacher-v0", 0.80, "pixel_keypoint_seed0", "pixel_keypoint_seed0_seedfix"),
)


def _thousands(steps: int) -> str:
    return f"{steps / 1000:g}k"


def first_at(run: Run, rate: float) -> str:
    """Env steps of the first evaluation at or above `rate`, or 'not reached'."""
    reached = run.steps[run.success >= rate - 1e-9]
    return _thousands(int(reached[0])) if len(reached) else "not reached"


def success_at(run: Run, steps: int) -> str:
    return f"{100 * run.success[run.steps == steps][0]:.0f}%"


def wall_at(run: Run, steps: int) -> str:
    return f"{run.wall[run.steps == steps][0]:.0f} s"


def evaluate_results(path: Path) -> dict[str, dict[str, str]]:
    """`robo2d evaluate` lines keyed by what precedes them (``label: <line>``, e.g. ``seed 1`` or a recipe
    ``ID.VARIANT``) or by the env id."""
    results = {}
    for line in path.read_text().splitlines():
        label, _, rest = line.partition(": ")
        labelled = EVALUATE_LINE.match(rest)
        found = labelled or EVALUATE_LINE.match(line)
        if found:
            results[label if labelled else found["id"]] = found.groupdict()
    return results


def seed_table(pattern: str, rates: tuple[float, ...], at: tuple[int, ...], heldout: str = "") -> str:
    """Per seed of the runs `pattern` names: first evaluation at each rate, success at each step count,
    the held-out `robo2d evaluate` figure (file `heldout`, lines ``seed N: ...``) and wall-clock."""
    held_out = evaluate_results(RESULTS / heldout) if heldout else {}
    header = ["seed"] + [f"first evaluation ≥ {rate:.0%}" for rate in rates]
    header += [f"success at {_thousands(s)}" for s in at]
    header += [f"{r['n']} held-out episodes (final model)" for r in list(held_out.values())[:1]]
    lines = ["| " + " | ".join(header + [f"wall-clock to {_thousands(at[-1])}"]) + " |"]
    lines.append("|---" * (len(header) + 1) + "|")
    for path in sorted(RESULTS.glob(pattern)):
        run, seed = read_run(path), path.stem.rsplit("seed", 1)[1]
        cells = [first_at(run, rate) for rate in rates] + [success_at(run, s) for s in at]
        if heldout:
            cells.append(f"{100 * float(held_out[f'seed {seed}']['rate']):.0f}%")
        lines.append(f"| {seed} | " + " | ".join(cells + [wall_at(run, at[-1])]) + " |")
    return "\n".join(lines)


def per_seed_success(folder: str) -> str:
    """Each evaluation step the runs of a stored sweep share, with every seed's success in %:
    ``10k: 50/20/16; 20k: ...``."""
    runs = [read_run(path) for path in sorted((RESULTS / "sweeps" / folder).glob("seed*.csv"))]
    steps = sorted(set.intersection(*(set(run.steps.tolist()) for run in runs)))
    return "; ".join(
        f"{_thousands(step)}: " + "/".join(success_at(run, step)[:-1] for run in runs) for step in steps
    )


def heldout_table(name: str) -> str:
    """One row per agent of a stored `robo2d evaluate` file: success, Wilson interval, mean return."""
    pct = lambda v: f"{100 * float(v):.1f}%"  # noqa: E731
    return "\n".join(
        f"| {env_id} | {pct(r['rate'])} | {pct(r['low'])[:-1]}-{pct(r['high'])} | {r['ret']} |"
        for env_id, r in evaluate_results(RESULTS / name).items()
    )


def stored_file(name: str) -> str:
    """A stored Markdown output, as written."""
    return (RESULTS / name).read_text().strip()


def training_bench_rows(name: str = "bench/training.md") -> str:
    """Per profile of stored `robo2d bench --training` output: ms per env step, networks, optimiser,
    sampling + HER relabelling, and one update over its floor."""
    rows, title, cells = [], None, {}
    for line in (RESULTS / name).read_text().splitlines():
        if line.startswith("Robo2D") and "):" in line:
            title, cells = line.split(":")[0], {}
        elif line.startswith("| ") and title:
            cells[line.split("|")[1].strip()] = line.split("|")[2].strip()
        elif "update / floor = " in line and title:
            ratio = line.split("update / floor = ")[1].rstrip("x")
            sampling = float(cells["replay sampling"]) + float(cells["HER relabelling"])
            optimiser = cells["optimiser"] if cells["optimiser"][0].isdigit() else "(in networks)"
            total = cells["**total**"].strip("*")
            rows.append(
                f"| {title} | {total} | {cells['networks']} | {optimiser} | {sampling:.2f} | {ratio}× |"
            )
            title = None
    return "\n".join(rows)


def env_speed_rows(name: str = "bench/env_speed.md") -> str:
    """Rows of stored `robo2d bench --reference` output: steps/s, step over physics, physics µs per
    step, and the reference env side by side."""
    rows = []
    for line in (RESULTS / name).read_text().splitlines():
        if not line.startswith("Robo2D"):
            continue
        env_id, steps, ratio, physics, *reference = line.split()
        if reference and reference[0].endswith(("-v0", "-v3")):
            side = f"{reference[0]}: {' '.join(reference[1:])}".replace("(x", "(×")
        else:
            side = " ".join(reference).replace("alone:", "alone at 84×84:")
        rows.append(f"| {env_id} | {steps} | {ratio} | {physics} | {side} |")
    return "\n".join(rows)


def demonstration_success(stem: str) -> float:
    """Success rate of a stored run's demonstrations: ``STEM.demonstrations.csv``, or for a sweep trial
    (``sweeps/ID/seedN``) its row of the sweep's ``demonstrations.txt``."""
    own = RESULTS / f"{stem}.demonstrations.csv"
    if own.exists():
        path, keep = own, lambda row: True
    else:
        path, keep = (
            (RESULTS / stem).parent / "demonstrations.txt",
            lambda row: row["trial"] == Path(stem).name,
        )
    with path.open() as f:
        return float(next(row for row in csv.DictReader(f) if keep(row))["success_rate"])


def seed_fix_rows() -> str:
    """Per demonstration recipe (seed 0), old layout -> separated seed streams: demonstrations' success,
    first evaluation at the id's goal, success at the last evaluation both runs made, and the mean success
    over every evaluation both made."""
    rows = []
    for env_id, goal, old, new in SEED_FIX_RUNS:
        runs = [read_run(RESULTS / f"{stem}.csv") for stem in (old, new)]
        common = np.intersect1d(runs[0].steps, runs[1].steps)
        mean = [100 * run.success[np.isin(run.steps, common)].mean() for run in runs]
        cells = [
            " → ".join(f"{100 * demonstration_success(stem):.0f}%" for stem in (old, new)),
            " → ".join(first_at(run, goal) for run in runs),
            " → ".join(success_at(run, int(common[-1])) for run in runs),
            " → ".join(f"{m:.0f}%" for m in mean),
        ]
        rows.append(f"| {env_id} | {goal:.0%} | {_thousands(int(common[-1]))} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def stored_report(name: str) -> str:
    """A stored `robo2d report`'s summary and time-to-target tables, as written."""
    return (RESULTS / name).read_text().split("Probability of improvement")[0].strip()


def sweep_rows() -> str:
    """Each stored sweep's summary row, as `robo2d report` computes it."""
    folders = sorted(p for p in (RESULTS / "sweeps").glob("*") if p.is_dir())
    return "\n".join(summary_table([load_group(str(f / "*.csv"), f.name)]).splitlines()[-1] for f in folders)


TABLES: dict[str, Callable[[], str]] = {
    "reacher, 3 seeds": lambda: seed_table("reacher_sbx_seed*.csv", (0.95,), (20_000,)),
    "3-link reacher, 3 seeds": lambda: seed_table(
        "reacher3link_seed*.csv", (0.90, 0.95), (20_000, 30_000), "reacher3link_heldout_100.txt"
    ),
    "multi-seed sweeps": sweep_rows,
    "jaw sweep, success per seed": lambda: per_seed_success("Robo2DKukaJawPickPlace-v0"),
    "demonstration recipes before and after the seed fix": seed_fix_rows,
    "shipped agents, 200 held-out episodes": lambda: heldout_table("shipped_heldout_200.txt"),
    "robustness, suction": lambda: robustness_table(
        "Robo2DKukaSuctionPickPlace-v0",
        ("suction", "suction_delay"),
        {"shipped": "shipped", "randomized": "rand_suction_seed0"},
    ),
    "robustness, IK pusher": lambda: robustness_table(
        "Robo2DIKPusher-v0",
        ("ikpusher", "ikpusher_delay"),
        {"shipped": "shipped before (SB3)", "randomized": "rand_ikpusher_seed0"},
    ),
    "robustness, IK pusher, shipped SBX agent": lambda: robustness_table(
        "Robo2DIKPusher-v0", ("ikpusher_sbx", "ikpusher_sbx_delay"), {"shipped": "shipped"}
    ),
    "robustness, reacher": lambda: robustness_table(
        "Robo2DReacher-v0",
        ("reacher",),
        {
            "shipped": "shipped before (SB3)",
            "randomized": "rand_reacher_seed0",
            "randomized+delay": "rand_delay_reacher_seed0",
        },
    ),
    "robustness, reacher, shipped SBX agent": lambda: robustness_table(
        "Robo2DReacher-v0", ("reacher_sbx",), {"shipped": "shipped"}
    ),
    "soak": lambda: stored_file("soak.md"),
    "env speed": env_speed_rows,
    "SB3 and SBX side by side, one-joint": lambda: stored_report("speed/pytorch_init/onejoint/report.md"),
    "SB3 and SBX side by side, reacher": lambda: stored_report("speed/pytorch_init/reacher/report.md"),
    "SB3 and SBX (Flax initialisation), one-joint": lambda: stored_report("speed/onejoint/report.md"),
    "SB3 and SBX (Flax initialisation), reacher": lambda: stored_report("speed/reacher/report.md"),
    "training speed": training_bench_rows,
    "mutation scores": lambda: stored_file("mutation/scores.md"),
    "time to target, every id": time_to_target_table,
    "time to target, reacher": lambda: stored_report("speed/time_to_target/Robo2DReacher-v0/report.md"),
    "time to target, reacher, the recipe's SBX": lambda: stored_report(
        "speed/time_to_target/Robo2DReacher-v0-sbx-default/report.md"
    ),
    "time to target, reacher, three ways": lambda: stored_report(
        "speed/time_to_target/Robo2DReacher-v0-three-way/report.md"
    ),
    "time to target, one-joint": lambda: stored_report("speed/time_to_target/Robo2DOneJoint-v0/report.md"),
    "time to target, one-joint, SBX and its cache": lambda: stored_report(
        "speed/time_to_target/Robo2DOneJoint-v0-sbx/report.md"
    ),
    "time to target, one-joint, SBX every second step": lambda: stored_report(
        "speed/time_to_target/Robo2DOneJoint-v0-sbx-tf2/report.md"
    ),
    "time to target, reacher, SBX every second step (probe)": lambda: stored_report(
        "speed/time_to_target/Robo2DReacher-v0-tf2-probe/report.md"
    ),
    "time to target, joint pusher, SBX every second step": lambda: stored_report(
        "speed/time_to_target/Robo2DPusher-v0/report.md"
    ),
    "time to target, IK pusher, SBX every second step": lambda: stored_report(
        "speed/time_to_target/Robo2DIKPusher-v0/report.md"
    ),
    "time to target, IK pusher, final models held out": lambda: heldout_table(
        "speed/time_to_target/Robo2DIKPusher-v0/heldout_200.txt"
    ),
    "time to target, reacher, evaluation beside training": lambda: stored_report(
        "speed/time_to_target/Robo2DReacher-v0-background/report.md"
    ),
    "evaluation beside training or in it, reacher": lambda: stored_report(
        "speed/time_to_target/Robo2DReacher-v0-background/inline/report.md"
    ),
}


def main() -> None:
    for name, table in TABLES.items():
        print(f"<!-- {name} -->\n{table()}\n")


if __name__ == "__main__":
    main()
