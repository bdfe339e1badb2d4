"""The results pages' robustness tables, from stored ``robo2d robustness`` rows and the stored runs of the
agents trained under randomisation (their configs say what they varied and for how long)."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from robo2d.run.eval_log import read_run

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results"
PERTURBATION_LABELS = {  # column titles of a swept parameter: its first value, the values after it
    "object_mass": ("object mass ×{}", "×{}"),
    "action_delay": ("action delay {}", "{}"),
}
NOMINAL_VALUES = {"object_mass": "1", "action_delay": "0"}  # a sweep's value that is the nominal env


def thousands(steps: int) -> str:
    return f"{steps / 1000:g}k"


def _robustness_rows(folder: str) -> dict[str, dict[str, str]]:
    cells: dict[str, dict[str, str]] = {}
    with (RESULTS / "robustness" / folder / "rows.csv").open() as f:
        for row in csv.DictReader(f):
            rate, low, high = (100 * float(row[k]) for k in ("success_rate", "low", "high"))
            cells.setdefault(row["agent"], {})[row["condition"]] = f"{rate:.0f}% ({low:.0f}-{high:.0f})"
    return cells


def robustness_table(env_id: str, folders: tuple[str, ...], agents: dict[str, str]) -> str:
    """One row per agent: nominal and randomised (first folder), then every swept value but the nominal
    one, from each folder's `robo2d robustness` rows."""
    tables = [_robustness_rows(folder) for folder in folders]
    conditions = ["nominal", "randomized"]
    header = list(conditions)
    for table in tables:
        for condition in next(iter(table.values())):
            name, _, value = condition.partition("=")
            if value and value != NOMINAL_VALUES.get(name):
                first = not any(c.startswith(name + "=") for c in conditions)
                header.append(PERTURBATION_LABELS[name][0 if first else 1].format(value))
                conditions.append(condition)
    lines = [f"| {env_id} | " + " | ".join(header) + " |", "|---" * (len(header) + 1) + "|"]
    for agent, stem in agents.items():
        merged = {k: v for table in reversed(tables) for k, v in table[agent].items()}
        lines.append(f"| {agent_label(stem)} | " + " | ".join(merged[c] for c in conditions) + " |")
    return "\n".join(lines)


def agent_label(stem: str) -> str:
    """A label as given ("shipped"), or a stored training run by what its config sets, its length and
    where its ``best/`` model (the one evaluated) came from: the first evaluation of the highest
    success, then return."""
    if not (RESULTS / f"{stem}.csv").is_file():  # not a stored run: a label as given ("shipped")
        return stem
    run = read_run(RESULTS / f"{stem}.csv")
    config = yaml.safe_load((RESULTS / f"{stem}.config.yaml").read_text())
    best = max(range(len(run.steps)), key=lambda i: (run.success[i], run.returns[i], -i))
    kwargs = ", ".join(f"{k}={v}" for k, v in config["env_kwargs"].items())
    steps, best_at = thousands(config["total_timesteps"]), thousands(int(run.steps[best]))
    return f"trained with `{kwargs}` (`{stem}`, {steps} steps, best/ from {best_at})"
