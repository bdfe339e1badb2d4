"""The results pages' tables beside those of ``tools.result_tables``: every stored training run by id,
first evaluations per seed, pooled held-out episodes, side-by-side seeds, oracles, the jaw reports.

Each function reads files under ``docs/results`` (or the catalog) and prints Markdown; nothing is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from robo2d.catalog import ENTRIES
from robo2d.run.config import Demonstrations, RunConfig
from robo2d.run.eval_log import read_run
from robo2d.run.evaluation import wilson_interval
from tools.result_tables import RESULTS, evaluate_results, first_at, stored_report, success_at

#: the success rate each id's recipes aim for (the goal the tables measure runs against)
GOALS = {
    "Robo2DReacher-v0": 0.95,
    "Robo2DPusher-v0": 0.90,
    "Robo2DIKPusher-v0": 0.90,
    "Robo2DPixelReacher-v0": 0.80,
    "Robo2DOneJoint-v0": 0.95,
    "Robo2DKukaSuctionPickPlace-v0": 0.90,
    "Robo2DKukaJawPickPlace-v0": 0.80,
}
RUNS_HEADER = (
    "| run | config, where it differs from the shipped one | evaluation episodes | last evaluation "
    "| success there | best success (first at) | first at goal |\n|---|---|---|---:|---:|---:|---:|"
)
ROOT = RESULTS.parents[1]


def stored_runs(env_id: str) -> list[Path]:
    """Evaluation logs directly under docs/results whose config trains `env_id`, by name."""
    logs = [p for p in sorted(RESULTS.glob("*.csv")) if not p.name.endswith(".demonstrations.csv")]
    return [p for p in logs if _config(p).get("env_id") == env_id]


def _config(log: Path) -> dict:
    return yaml.safe_load(log.with_suffix(".config.yaml").read_text())


#: config keys that schedule a run rather than make its recipe
SCHEDULE_KEYS = {
    "seed",
    "env_id",
    "total_timesteps",
    "eval_freq",
    "eval_episodes",
    "checkpoint_freq",
    "max_wall_minutes",
}


def flat(config: dict, prefix: str = "") -> dict[str, object]:
    """A nested config as dotted keys (``sac.tau``), lists and values as leaves."""
    found: dict[str, object] = {}
    for key, value in config.items():
        if isinstance(value, dict):
            found.update(flat(value, f"{prefix}{key}."))
        else:
            found[f"{prefix}{key}"] = value
    return found


def recipe(config: dict, shipped: dict) -> str:
    """How a run's config differs from the id's shipped config in agents/ (schedule keys aside); a
    section the run lacks is one ``section=none``; a plain entry it lacks has its default."""
    run, ship = flat(config), flat(shipped)
    keys = [k for k in sorted(set(run) | set(ship)) if k.split(".")[0] not in SCHEDULE_KEYS]
    lacking = sorted({k.split(".")[0] for k in keys if "." in k and k.split(".")[0] not in config})
    cells = [f"`{k}=none`" for k in lacking]
    # what a config that omits an entry means (a section's entries included)
    defaults = flat(RunConfig(env_id="", demonstrations=Demonstrations()).to_dict())
    for key in (k for k in keys if k.split(".")[0] not in lacking):
        value = run.get(key, defaults.get(key, "unset"))
        if value != ship.get(key, defaults.get(key, "unset")):
            cells.append(f"`{key}={value}`")
    return ", ".join(sorted(cells)) or "the shipped config"


def run_row(log: Path, env_id: str) -> str:
    """One stored run: its recipe, last evaluation, best success and where, first at the id's goal."""
    run, last = read_run(log), int(read_run(log).steps[-1])
    best = run.success.max()
    at = int(run.steps[run.success >= best - 1e-9][0])
    shipped = yaml.safe_load((ROOT / "agents" / f"{env_id}.yaml").read_text())
    config = _config(log)
    schedule = f"{config['eval_episodes']} every {config['eval_freq'] / 1000:g}k"
    cells = [recipe(config, shipped), schedule, f"{last / 1000:g}k", success_at(run, last)]
    cells += [f"{100 * best:.0f}% ({at / 1000:g}k)", first_at(run, GOALS[env_id])]
    return f"| `{log.stem}` | " + " | ".join(cells) + " |"


def runs_table(env_id: str) -> str:
    """Every stored run of an id, measured against its goal."""
    rows = [run_row(log, env_id) for log in stored_runs(env_id)]
    return "\n".join([RUNS_HEADER.replace("goal", f"{GOALS[env_id]:.0%}"), *rows])


def first_per_seed(rate: float) -> str:
    """Per stored sweep, each seed's first evaluation at `rate`."""
    rows = [f"| sweep | first evaluation ≥ {rate:.0%}, seed by seed |", "|---|---|"]
    for folder in sorted(p for p in (RESULTS / "sweeps").glob("*") if p.is_dir()):
        runs = [read_run(path) for path in sorted(folder.glob("seed*.csv"))]
        rows.append(f"| {folder.name} | " + ", ".join(first_at(run, rate) for run in runs) + " |")
    return "\n".join(rows)


def pooled_heldout(name: str) -> str:
    """The `robo2d evaluate` lines of one file pooled: episodes, successes, rate and Wilson interval."""
    results = evaluate_results(RESULTS / name).values()
    episodes = sum(int(r["n"]) for r in results)
    successes = sum(round(float(r["rate"]) * int(r["n"])) for r in results)
    low, high = wilson_interval(successes, episodes)
    return (
        "| runs | episodes | successes | success | 95% Wilson interval |\n|---:|---:|---:|---:|---|\n"
        f"| {len(results)} | {episodes} | {successes} | {100 * successes / episodes:.1f}% "
        f"| {100 * low:.1f}-{100 * high:.1f}% |"
    )


def seeds_side_by_side(folder: str, groups: dict[str, str], rate: float, at: int) -> str:
    """Per group (a label and a glob of logs in `folder`) and seed: first evaluation at `rate`, the
    wall-clock seconds to it, success at step `at` and the whole run's seconds."""
    rows = [
        f"| group | run | first ≥ {rate:.0%} | seconds to it | success at {at / 1000:g}k | whole run |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, pattern in groups.items():
        for log in sorted((RESULTS / folder).glob(pattern)):
            run = read_run(log)
            reached = run.steps[run.success >= rate - 1e-9]
            seconds = f"{run.wall[run.steps == reached[0]][0]:.0f}" if len(reached) else "-"
            cells = [first_at(run, rate), seconds, success_at(run, at), f"{run.wall[-1]:.0f} s"]
            rows.append(f"| {label} | `{log.stem}` | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def oracle_table() -> str:
    """Each id's scripted oracle and the success rate its test asserts over seeds 0-49."""
    rows = ["| id | oracle | asserted success (seeds 0-49) |", "|---|---|---:|"]
    rows += [f"| {e.id} | `{e.oracle}` | ≥ {e.oracle_success:.0%} |" for e in ENTRIES]
    return "\n".join(rows)


RUN_TABLES: dict[str, Callable[[], str]] = {
    **{f"runs, {e.id}": (lambda i=e.id: runs_table(i)) for e in ENTRIES},
    "sweeps, first at 95% per seed": lambda: first_per_seed(0.95),
    "sweeps, first at 80% per seed": lambda: first_per_seed(0.80),
    "3-link reacher, held-out episodes pooled": lambda: pooled_heldout("reacher3link_heldout_100.txt"),
    "jaw, SB3 and SBX side by side": lambda: seeds_side_by_side(
        "speed/jaw/pairs",
        {"SB3": "*_sb3_pinned_seed*.csv", "SBX": "*_sbx_pinned_seed*.csv", "SBX 4×4": "*_sbx4x4_*.csv"},
        0.80,
        60_000,
    ),
    "oracles": oracle_table,
    "report, jaw pairs": lambda: stored_report("speed/jaw/pairs/report.md"),
    "report, jaw to 80k": lambda: stored_report("speed/jaw/report.md"),
}
