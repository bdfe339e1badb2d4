"""Mutation scores per package, from a mutation run's own records: ``python -m tools.mutation_scores``.

`make mutation` leaves one ``.meta`` file per mutated module under ``mutants/`` (each mutant's exit code).
This reads them all and writes ``docs/results/mutation/mutants.json`` (every mutant's status, the raw
record) and ``docs/results/mutation/scores.md`` (the table per package, with the run's command and
machine). The score is mutmut's own: caught / (every mutant but the skipped ones), so a
mutant no selected test reaches counts as not killed; of a run stopped midway (the table then says it
is partial) it is taken over the mutants checked so far. ``--recheck [STATUS ...]`` forgets the
results of the mutants with those statuses (default: survived), so that the next run checks them
again: survivors with tests written since, timeouts (a wall-clock limit) on a machine less busy.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
OUT = ROOT / "docs" / "results" / "mutation"
#: the table's rows: a package (or the run layer's modules) and the prefix of its mutants' names
PACKAGES = {
    "robo2d/core": "robo2d.core.",
    "robo2d/robots": "robo2d.robots.",
    "robo2d/envs": "robo2d.envs.",
    "robo2d/tasks": "robo2d.tasks.",
    "robo2d/oracles": "robo2d.oracles.",
    "run layer (seeds, config, snapshot, agent files, HER)": ("robo2d.run.", "robo2d.rl."),
}
#: mutmut's exit codes, by what they mean for a mutant (as mutmut's own summary reads them)
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}
STATUS |= {36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout"}
#: 255: pytest refused to run the mutant's tests (its usage-error exit, which mutmut files under timeout):
#: with the mutant on, robo2d or the tests' conftest no longer imports, or the tests' ids changed
STATUS |= {255: "could not start", -11: "segfault", -9: "segfault", None: "not checked"}
KILLED = ("killed", "could not start", "timeout")  # mutmut's score counts all three as caught
COLUMNS = (
    "killed",
    "could not start",
    "timeout",
    "survived",
    "no tests",
    "segfault",
    "suspicious",
    "not checked",
)
COMMAND = "make mutation  (mutmut run --max-children 2, settings in pyproject.toml [tool.mutmut])"


def mutant_statuses(mutants: Path = MUTANTS) -> dict[str, str]:
    """Every mutant's status, by its name (``module.function__mutmut_N``)."""
    statuses = {}
    for meta in sorted(mutants.glob("robo2d/**/*.py.meta")):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            statuses[name] = STATUS.get(code, "suspicious")
    return statuses


def package_of(mutant: str) -> str:
    """The table row a mutant belongs to."""
    for row, prefix in PACKAGES.items():
        if mutant.startswith(prefix):
            return row
    raise ValueError(f"{mutant}: outside the packages mutation testing covers ({list(PACKAGES)})")


def score(counts: Counter) -> float | None:
    """mutmut's score: the caught (KILLED) over every mutant checked but the skipped; None if none was."""
    tested = sum(counts.values()) - counts["skipped"] - counts["not checked"]
    return sum(counts[status] for status in KILLED) / tested if tested else None


def scores_table(statuses: dict[str, str]) -> str:
    """Markdown: per package the mutants, the count of each status and the score."""
    by_package = {row: Counter() for row in PACKAGES}
    for name, status in statuses.items():
        by_package[package_of(name)][status] += 1
    total = sum(by_package.values(), Counter())
    lines = [
        "| package | mutants | " + " | ".join(COLUMNS) + " | score |",
        "|---|---:|" + "---:|" * len(COLUMNS) + "---:|",
    ]
    for row, counts in [*by_package.items(), ("all", total)]:
        cells = " | ".join(f"{counts[c]:,}" for c in COLUMNS)
        rate = score(counts)
        shown = "-" if rate is None else f"{100 * rate:.1f}%"
        lines.append(f"| {row} | {sum(counts.values()):,} | {cells} | {shown} |")
    return "\n".join(lines)


def recheck(statuses: tuple[str, ...] = ("survived",), mutants: Path = MUTANTS) -> int:
    """Forget the results of the mutants with these statuses, so the next `make mutation` checks them
    again (with tests written since, or, for timeouts, on a machine less busy); returns how many."""
    forgotten = 0
    for meta in sorted(mutants.glob("robo2d/**/*.py.meta")):
        record = json.loads(meta.read_text())
        codes = record["exit_code_by_key"]
        chosen = [name for name, code in codes.items() if STATUS.get(code, "suspicious") in statuses]
        for name in chosen:
            del codes[name]
        forgotten += len(chosen)
        meta.write_text(json.dumps(record, indent=4))
    return forgotten


def main() -> None:
    if sys.argv[1:2] == ["--recheck"]:
        chosen = tuple(sys.argv[2:]) or ("survived",)
        print(f"{recheck(chosen)} mutants ({', '.join(chosen)}) will be checked again by the next run")
        return
    statuses = mutant_statuses()
    if not statuses:
        sys.exit("no mutation results under mutants/: run `make mutation` first")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "mutants.json").write_text(json.dumps(statuses, indent=1, sort_keys=True) + "\n")
    unchecked = sum(s == "not checked" for s in statuses.values())
    state = f"partial: {unchecked:,} mutants not yet checked" if unchecked else "complete"
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    (OUT / "scores.md").write_text(
        f"Command: `{COMMAND}`\n\nDate: {date.today()}; machine: {machine}; run: {state}.\n\n"
        + scores_table(statuses)
        + "\n"
    )
    print((OUT / "scores.md").read_text())


if __name__ == "__main__":
    main()
