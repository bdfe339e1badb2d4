"""Mutation scores per package, from a mutation run's own records: ``python -m tools.mutation_scores``.

`make mutation` leaves one ``.meta`` file per mutated module under ``mutants/`` (each mutant's exit code).
This reads them all and writes ``docs/results/mutation/mutants.json`` (every mutant's status, the raw
record) and ``docs/results/mutation/scores.md`` (the table per package, with the run's command and
machine). The score is mutmut's own: caught / (every mutant but the skipped ones), so a
mutant no selected test reaches counts as not killed; of a run stopped midway (the table then says it
is partial) it is taken over the mutants checked so far. ``--restore`` writes the stored results back
as the run's records where ``mutants/`` has none (a fresh checkout: tools/mutation_cache.py), and
the results are stored with each mutant's code hash (``mutant_code.json``) for that.
``--recheck [STATUS ...]`` forgets the results of the mutants with those statuses (default: survived),
so that the next run checks them again: survivors with tests written since, timeouts (a wall-clock
limit) on a machine less busy.

Survivors looked at are listed in ``docs/results/mutation/equivalent.md``, under "Equivalent" (no
behaviour can change) or "Not killed, with the reason"; the table counts them apart from those not
yet looked at, and gives beside mutmut's score the one that sets equivalent mutants aside (they
cannot be killed). A name listed there that this run did not find surviving is printed: the entry
is out of date (the mutant was killed since, or the code changed and mutants were renumbered).
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from tests.mutation_order import function_of, read, selected
from tools.mutation_cache import STATUS, restore, stored_code_hashes
from tools.mutation_runs import log_run, mark_start, pace, time_left

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
OUT = ROOT / "docs" / "results" / "mutation"
STARTED = MUTANTS / "run_started.json"  # written as `make mutation` starts, read as it ends
MUTANT_LOG = MUTANTS / "mutation-log.jsonl"  # the tests' conftest: seconds and killing test per mutant
#: the table's rows: a package (or the run layer's modules) and the prefix of its mutants' names
PACKAGES = {
    "robo2d/core": "robo2d.core.",
    "robo2d/robots": "robo2d.robots.",
    "robo2d/envs": "robo2d.envs.",
    "robo2d/tasks": "robo2d.tasks.",
    "robo2d/oracles": "robo2d.oracles.",
    "run layer (seeds, config, snapshot, agent files, HER)": ("robo2d.run.", "robo2d.rl."),
}
KILLED = ("killed", "could not start", "timeout")  # mutmut's score counts all three as caught
#: the sections of equivalent.md that list survivors looked at, and what the table calls them
REVIEWED = {"## Equivalent": "equivalent", "## Not killed, with the reason": "reason given"}
#: a listed mutant: its full name, then any further numbers of the same function (`_12`, `_13`), where
#: "`_22` to `_26`" names every number from the one before "to" to the one after
LISTED = re.compile(r"`(robo2d\.[^`]+?__mutmut_)(\d+)`((?:\s*(?:,|and|or|to)\s*`_\d+`)*)")
RANGE = re.compile(r"`_?(\d+)`\s*to\s*`_(\d+)`")
COLUMNS = (
    "killed",
    "could not start",
    "timeout",
    "equivalent",
    "reason given",
    "survived",
    "no tests",
    "segfault",
    "suspicious",
    "not checked",
)
#: the table's headers where they say more than the status
HEADERS = {"equivalent": "survived: equivalent", "reason given": "survived: reason given"}
HEADERS |= {"survived": "survived: not looked at"}
COMMAND = "make mutation  (mutmut run --max-children 2, settings in pyproject.toml [tool.mutmut])"


def mutant_statuses(mutants: Path = MUTANTS) -> dict[str, str]:
    """Every mutant's status, by its name (``module.function__mutmut_N``)."""
    statuses = {}
    for meta in sorted(mutants.glob("robo2d/**/*.py.meta")):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            statuses[name] = STATUS.get(code, "suspicious")
    return statuses


def reviewed_survivors(text: str) -> dict[str, str]:
    """The survivors equivalent.md lists, by name: "equivalent" or "reason given" (its two tables)."""
    reviewed: dict[str, str] = {}
    for section in re.split(r"^(?=## )", text, flags=re.MULTILINE):
        verdict = next((v for heading, v in REVIEWED.items() if section.startswith(heading)), None)
        for match in LISTED.finditer(section) if verdict else ():
            prefix, first, more = match.groups()
            numbers = {int(n) for n in [first, *re.findall(r"`_(\d+)`", more)]}
            for low, high in RANGE.findall(f"`{first}`{more}"):
                numbers.update(range(int(low), int(high) + 1))
            reviewed |= {f"{prefix}{n}": verdict for n in numbers}
    return reviewed


def with_reviews(statuses: dict[str, str], reviewed: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The statuses with each listed survivor under its verdict, and the listed names this run checked
    and did not find surviving, or does not have (out-of-date entries)."""
    stale = sorted(name for name in reviewed if statuses.get(name) not in ("survived", "not checked"))
    return {n: reviewed.get(n, s) if s == "survived" else s for n, s in statuses.items()}, stale


def checked(statuses: dict[str, str]) -> int:
    """How many mutants the runs have checked (every status but "not checked" and "skipped")."""
    return sum(s not in ("not checked", "skipped") for s in statuses.values())


def package_of(mutant: str) -> str:
    """The table row a mutant belongs to."""
    for row, prefix in PACKAGES.items():
        if mutant.startswith(prefix):
            return row
    raise ValueError(f"{mutant}: outside the packages mutation testing covers ({list(PACKAGES)})")


def score(counts: Counter, without: tuple[str, ...] = ()) -> float | None:
    """mutmut's score: the caught (KILLED) over every mutant checked but the skipped and those `without`
    (the equivalent ones, for the score that sets them aside); None if none was."""
    tested = sum(counts.values()) - sum(counts[s] for s in ("skipped", "not checked", *without))
    return sum(counts[status] for status in KILLED) / tested if tested else None


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.1f}%"


def scores_table(statuses: dict[str, str]) -> str:
    """Markdown: per package the mutants, the count of each status and the score."""
    by_package = {row: Counter() for row in PACKAGES}
    for name, status in statuses.items():
        by_package[package_of(name)][status] += 1
    total = sum(by_package.values(), Counter())
    lines = [
        "| package | mutants | "
        + " | ".join(HEADERS.get(c, c) for c in COLUMNS)
        + " | score | score, equivalent set aside |",
        "|---|---:|" + "---:|" * len(COLUMNS) + "---:|---:|",
    ]
    for row, counts in [*by_package.items(), ("all", total)]:
        cells = " | ".join(f"{counts[c]:,}" for c in COLUMNS)
        rates = f"{_percent(score(counts))} | {_percent(score(counts, ('equivalent',)))}"
        lines.append(f"| {row} | {sum(counts.values()):,} | {cells} | {rates} |")
    return "\n".join(lines)


def recheck(
    statuses: tuple[str, ...] = ("survived",), mutants: Path = MUTANTS, keep: frozenset = frozenset()
) -> int:
    """Forget the results of the mutants with these statuses but those in `keep` (the survivors already
    reviewed), so the next `make mutation` checks them again (with tests written since, or, for
    timeouts, on a machine less busy); returns how many. A forgotten result is set to None, as mutmut
    marks a mutant to check: the run checks only the mutants its records name."""
    forgotten = 0
    for meta in sorted(mutants.glob("robo2d/**/*.py.meta")):
        record = json.loads(meta.read_text())
        codes = record["exit_code_by_key"]
        chosen = [n for n, c in codes.items() if STATUS.get(c, "suspicious") in statuses and n not in keep]
        codes.update(dict.fromkeys(chosen))
        forgotten += len(chosen)
        meta.write_text(json.dumps(record, indent=4))
    return forgotten


def timings() -> list[dict]:
    """The per-mutant log's timed entries (mutant, seconds in pytest, pytest's exit status)."""
    return [entry for entry in read(MUTANT_LOG) if "seconds" in entry]


def worst_seconds(names: list[str], stats_file: Path = MUTANTS / "mutmut-stats.json") -> dict[str, float]:
    """Seconds to run every test each mutant meets, from mutmut's timing of the unmutated code."""
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    tests, durations = stats.get("tests_by_mangled_function_name", {}), stats.get("duration_by_test", {})
    return {
        name: sum(durations.get(t, 0.0) for t in selected(tests.get(function_of(name), []), name))
        for name in names
    }


def estimate(statuses: dict[str, str]) -> str:
    """How long the mutants not yet checked need, from what the runs measured."""
    left = [name for name, status in statuses.items() if status == "not checked"]
    runs = json.loads((OUT / "runs.json").read_text()) if (OUT / "runs.json").exists() else []
    return time_left(runs, timings(), worst_seconds(list(statuses)), left)


def main() -> None:
    if sys.argv[1:2] == ["--started"]:
        statuses = mutant_statuses()
        mark_start(STARTED, checked(statuses), len(timings()))
        return
    if sys.argv[1:2] == ["--restore"]:
        stored = json.loads((OUT / "mutants.json").read_text())
        restored = restore(MUTANTS, stored, json.loads((OUT / "mutant_code.json").read_text()))
        found = "kept (a live cache)" if restored is None else f"{restored:,} restored from {OUT.name}/"
        print(f"mutation results: {found}")
        return
    if sys.argv[1:2] == ["--recheck"]:
        chosen = tuple(sys.argv[2:]) or ("survived",)
        reviewed = frozenset(reviewed_survivors((OUT / "equivalent.md").read_text()))
        forgotten = recheck(chosen, keep=reviewed)
        print(f"{forgotten} mutants ({', '.join(chosen)}; not those reviewed) will be checked again")
        return
    statuses = mutant_statuses()
    if not statuses:
        sys.exit("no mutation results under mutants/: run `make mutation` first")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "mutants.json").write_text(json.dumps(statuses, indent=1, sort_keys=True) + "\n")
    codes = json.dumps(stored_code_hashes(MUTANTS, set(statuses)), indent=1, sort_keys=True)
    (OUT / "mutant_code.json").write_text(codes + "\n")
    reviewed, stale = with_reviews(statuses, reviewed_survivors((OUT / "equivalent.md").read_text()))
    for name in stale:
        print(f"equivalent.md lists {name}, which this run did not find surviving ({statuses.get(name)})")
    unchecked = sum(s == "not checked" for s in statuses.values())
    log_run(STARTED, OUT / "runs.json", checked(statuses), timings())
    state = f"partial: {unchecked:,} mutants not yet checked" if unchecked else "complete"
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    (OUT / "scores.md").write_text(
        f"Command: `{COMMAND}`\n\nDate: {date.today()}; machine: {machine}; run: {state}.\n\n"
        + scores_table(reviewed)
        + f"\n\n{pace(OUT / 'runs.json')} {estimate(statuses)}\n"
    )
    print((OUT / "scores.md").read_text())


if __name__ == "__main__":
    main()
