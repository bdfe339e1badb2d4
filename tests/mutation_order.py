"""The order a mutant's tests run in, and the log the order learns from, under mutation testing.

Each mutant runs the tests that cover its function (the same set whatever the order) and stops at the
first that fails, so the order decides how soon a mutant is killed. The run checks a function's mutants
one after another; a test that killed a sibling mutant of the same function (or of the same module) is
the likeliest to kill the next, so those run first, then the rest fastest first. A survivor runs every
test either way: the verdicts are the same as in any order, only the time to reach them changes.

The log (``mutation-log.jsonl`` beside mutmut's stats, in the run's folder) holds one line per killing
test and one per mutant with its seconds in pytest and its outcome: the run's pace is read from it.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

STATS, LOG = Path("mutmut-stats.json"), Path("mutation-log.jsonl")
#: a mutant's name: module, then x_function or xǁClassǁmethod, then __mutmut_N
MUTANT_NAME = re.compile(r"^(?P<module>.+?)\.x[_ǁ].*__mutmut_\d+$")
SIBLING_FUNCTION, SIBLING_MODULE, UNTRIED = 0, 1, 2  # ranks: which tests run first
#: the tests that train (tests/run, tests/rl) run only for mutants of the run layer: the env code's
#: mutants meet the env, robot, task and oracle tests, which check it exactly
RUN_LAYER_TESTS, RUN_LAYER_MODULES = ("tests/run/", "tests/rl/"), ("robo2d.run.", "robo2d.rl.")


def mutant_under_test() -> str | None:
    """The mutant this process runs the tests of, None outside a mutation run's mutant."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    return mutant if "__mutmut_" in mutant else None


def selected(nodeids: list[str], mutant: str) -> list[str]:
    """The tests a mutant meets: the training tests only for the run layer's mutants."""
    if mutant.startswith(RUN_LAYER_MODULES):
        return list(nodeids)
    return [n for n in nodeids if not n.startswith(RUN_LAYER_TESTS)]


def function_of(mutant: str) -> str:
    return mutant.rsplit("__mutmut_", 1)[0]


def module_of(mutant: str) -> str:
    match = MUTANT_NAME.match(mutant)
    return match["module"] if match else function_of(mutant)


def durations_by_test() -> dict[str, float]:
    """Seconds per test id from the mutation run's own timing of the unmutated code."""
    try:
        return json.loads(STATS.read_text())["duration_by_test"]
    except (OSError, KeyError, ValueError):
        return {}


def killers_of(mutant: str, log: Path = LOG) -> dict[str, int]:
    """Test id -> rank: the tests that killed a mutant of this one's function, then of its module."""
    ranks: dict[str, int] = {}
    for entry in read(log):
        killed, test = entry.get("mutant", ""), entry.get("killed_by")
        if not test or killed == mutant:
            continue
        if function_of(killed) == function_of(mutant):
            ranks[test] = SIBLING_FUNCTION
        elif module_of(killed) == module_of(mutant):
            ranks.setdefault(test, SIBLING_MODULE)
    return ranks


def order(nodeids: list[str], mutant: str, log: Path = LOG) -> list[str]:
    """The test ids, the siblings' killers first, each group fastest first."""
    durations, ranks = durations_by_test(), killers_of(mutant, log)
    return sorted(nodeids, key=lambda n: (ranks.get(n, UNTRIED), durations.get(n, float("inf"))))


def record(entry: dict, log: Path = LOG) -> None:
    """Append one line to the log, only in a mutation run's folder (where mutmut keeps its stats)."""
    if STATS.exists():
        with open(log, "a") as out:
            out.write(json.dumps(entry) + "\n")


class MutantTimer:
    """Seconds a mutant's tests took in pytest, and which test killed it."""

    def __init__(self, mutant: str) -> None:
        self.mutant, self.start, self.killed_by = mutant, time.monotonic(), None

    def failed(self, nodeid: str) -> None:
        if self.killed_by is None:
            self.killed_by = nodeid
            record({"mutant": self.mutant, "killed_by": nodeid})

    def finish(self, exit_status: int) -> None:
        seconds = round(time.monotonic() - self.start, 2)
        record(
            {"mutant": self.mutant, "seconds": seconds, "exit": int(exit_status), "at": round(time.time())}
        )


def read(log: Path = LOG) -> list[dict]:
    """The log's entries, skipping a line a stopped run cut short."""
    try:
        lines = log.read_text().splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries
