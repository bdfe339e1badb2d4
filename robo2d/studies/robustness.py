"""How much agents lose off the physics they were trained on: evaluation under perturbation.

``robo2d robustness ENV_ID --agent LABEL=PATH ...`` evaluates each agent nominally, under the env's
default randomisation, and (``--sweep NAME=v1,v2,...``) with one parameter fixed at each value and
everything else as modelled. Every number is a success rate over the same held-out reset seeds, with
its Wilson 95% interval; the results go to a CSV, a Markdown table and a sensitivity plot.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from robo2d.run.environment import make_env
from robo2d.run.evaluation import evaluate_policy
from robo2d.run.loading import load_agent

CONDITIONS = {"nominal": {"randomize": False}, "randomized": {"randomize": True}}


@dataclass(frozen=True)
class Row:
    agent: str
    condition: str  # "nominal", "randomized" or NAME=VALUE of a sweep
    success_rate: float
    low: float
    high: float
    episodes: int
    first_seed: int


def sweep_conditions(name: str, values: list[float]) -> dict[str, dict]:
    """One condition per value: `name` fixed there, every other parameter as modelled."""
    return {f"{name}={v:g}": {"randomize": {"others": "nominal", name: v}} for v in values}


def evaluate_conditions(
    agents: dict[str, str], conditions: dict[str, dict], episodes: int, seed: int, trust: bool = False
) -> list[Row]:
    rows = []
    for label, target in agents.items():
        agent, config = load_agent(target, trust)  # once per agent; an env per condition
        for condition, env_kwargs in conditions.items():
            env = make_env(config.with_env_kwargs(env_kwargs))
            result = evaluate_policy(agent, env, episodes, seed)
            env.close()
            rows.append(
                Row(label, condition, result.success_rate, *result.interval, episodes, result.first_seed)
            )
            print(f"{label:24s} {condition:24s} {_percent(rows[-1])}", flush=True)
    return rows


def _percent(row: Row) -> str:
    return f"{100 * row.success_rate:.0f}% ({100 * row.low:.0f}-{100 * row.high:.0f}%)"


def write_results(rows: list[Row], out: Path, env_id: str) -> None:
    """rows.csv, table.md (agents by condition) and, for a sweep, sensitivity.png."""
    title = f"{env_id}: success nominally, under randomisation and per perturbation"
    out.mkdir(parents=True, exist_ok=True)
    with (out / "rows.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(Row.__dataclass_fields__)
        writer.writerows([list(vars(r).values()) for r in rows])
    agents, conditions = (
        list(dict.fromkeys(r.agent for r in rows)),
        list(dict.fromkeys(r.condition for r in rows)),
    )
    cell = {(r.agent, r.condition): _percent(r) for r in rows}
    lines = [f"| agent | {' | '.join(conditions)} |", "|---" * (len(conditions) + 1) + "|"]
    lines += [f"| {a} | {' | '.join(cell[a, c] for c in conditions)} |" for a in agents]
    first = rows[0]
    seeds = f"{first.first_seed}-{first.first_seed + first.episodes - 1}"
    note = f"Success over {first.episodes} episodes, reset seeds {seeds} (Wilson 95% interval)."
    (out / "table.md").write_text(f"{title}\n\n" + "\n".join(lines) + f"\n\n{note}\n")
    swept = [c for c in conditions if "=" in c]
    if swept:
        plot_sensitivity([r for r in rows if r.condition in swept], out / "sensitivity.png", env_id)


def plot_sensitivity(rows: list[Row], path: Path, env_id: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    name = rows[0].condition.partition("=")[0]
    for agent in dict.fromkeys(r.agent for r in rows):
        own = [r for r in rows if r.agent == agent]
        x = [float(r.condition.partition("=")[2]) for r in own]
        y = [r.success_rate for r in own]
        err = [[r.success_rate - r.low for r in own], [r.high - r.success_rate for r in own]]
        ax.errorbar(x, y, yerr=err, marker="o", capsize=3, label=agent)
    ax.set_xlabel(name)
    ax.set_ylabel("success rate (Wilson 95% interval)")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(f"{env_id}: success against {name} (others as modelled)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
