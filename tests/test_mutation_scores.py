"""The mutation scores table counts a run's records as mutmut does, per package."""

import json
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from tools.mutation_runs import log_run, mark_start, pace, time_left
from tools.mutation_scores import (
    mutant_statuses,
    package_of,
    recheck,
    reviewed_survivors,
    score,
    scores_table,
    with_reviews,
)

REVIEWS = """# Surviving mutants

## Equivalent (no behaviour changes)

| mutant | change | why |
|---|---|---|
| `robo2d.core.sim.x_step__mutmut_2`, `_7` | a change | a reason |

## Not killed, with the reason

| `robo2d.rl.her.x_b__mutmut_3` | a change | a reason |
| `robo2d.rl.her.x_c__mutmut_4` to `_6`, `_9` | a change | a reason |

## Killed by tests written for them

- `robo2d.core.sim.x_step__mutmut_9`: a test
"""


def test_statuses_and_scores_per_package_from_a_runs_records(tmp_path):
    records = {
        "robo2d/core/sim.py.meta": {
            "robo2d.core.sim.x_step__mutmut_1": 1,
            "robo2d.core.sim.x_step__mutmut_2": 0,
        },
        "robo2d/run/seeds.py.meta": {
            "robo2d.run.seeds.x_a__mutmut_1": 36,
            "robo2d.run.seeds.x_a__mutmut_2": 33,
            "robo2d.run.seeds.x_a__mutmut_3": 255,  # pytest's usage error: robo2d no longer imports
        },
        "robo2d/rl/her.py.meta": {"robo2d.rl.her.x_b__mutmut_1": None, "robo2d.rl.her.x_b__mutmut_2": 1},
    }
    for path, codes in records.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(json.dumps({"exit_code_by_key": codes}))
    statuses = mutant_statuses(tmp_path)
    assert Counter(statuses.values()) == {
        "killed": 2,
        "survived": 1,
        "timeout": 1,
        "could not start": 1,
        "no tests": 1,
        "not checked": 1,
    }
    table = scores_table(statuses).splitlines()
    core = next(line for line in table if line.startswith("| robo2d/core "))
    run = next(line for line in table if line.startswith("| run layer"))
    assert core.endswith("| 50.0% |")  # 1 killed of 2
    assert run.endswith("| 75.0% |")  # killed, timeout, could not start of 4 checked; not the unchecked
    assert table[-1].startswith("| all | 7 |") and table[-1].endswith("| 66.7% |")
    assert recheck(mutants=tmp_path, keep=frozenset({"robo2d.core.sim.x_step__mutmut_2"})) == 0
    assert recheck(mutants=tmp_path) == 1
    assert Counter(mutant_statuses(tmp_path).values()) == {
        "killed": 2,
        "timeout": 1,
        "could not start": 1,
        "no tests": 1,
        "not checked": 2,  # still named in the records, for the next run to check
    }


def test_a_mutant_outside_the_covered_packages_is_an_error():
    with pytest.raises(ValueError, match="outside"):
        package_of("robo2d.studies.report.x_f__mutmut_1")
    assert score(Counter()) is None and score(Counter({"not checked": 3})) is None


def test_survivors_listed_as_equivalent_are_counted_apart_and_stale_entries_found():
    """A listed survivor is counted under its verdict; the score setting equivalents aside leaves them
    out of the mutants it counts; a listed name the run killed is reported as out of date."""
    reviewed = reviewed_survivors(REVIEWS)
    assert reviewed == {
        "robo2d.core.sim.x_step__mutmut_2": "equivalent",
        "robo2d.core.sim.x_step__mutmut_7": "equivalent",
        "robo2d.rl.her.x_b__mutmut_3": "reason given",
        **{f"robo2d.rl.her.x_c__mutmut_{n}": "reason given" for n in (4, 5, 6, 9)},
    }
    statuses = {
        "robo2d.core.sim.x_step__mutmut_1": "killed",
        "robo2d.core.sim.x_step__mutmut_2": "survived",
        "robo2d.core.sim.x_step__mutmut_3": "survived",
        "robo2d.core.sim.x_step__mutmut_7": "killed",
        "robo2d.rl.her.x_b__mutmut_3": "survived",
        **{f"robo2d.rl.her.x_c__mutmut_{n}": "survived" for n in (4, 5, 6, 7, 9)},
    }
    counted, stale = with_reviews(statuses, reviewed)
    assert stale == ["robo2d.core.sim.x_step__mutmut_7"]
    assert Counter(counted.values()) == {"killed": 2, "equivalent": 1, "survived": 2, "reason given": 5}
    core = next(line for line in scores_table(counted).splitlines() if line.startswith("| robo2d/core "))
    assert core.endswith("| 50.0% | 66.7% |")  # 2 of 4; 2 of the 3 that are not equivalent


def test_a_runs_time_is_logged_and_gives_the_pace(tmp_path, monkeypatch):
    """A run marked 30 minutes ago with 100 mutants checked, ending with 700: 600 in 30 min, 20 a
    minute. Of the per-mutant log, the two entries written after the mark are this run's: 9 s in pytest.
    The marker is gone once the run is logged."""
    marker, log = tmp_path / "started.json", tmp_path / "runs.json"
    monkeypatch.delenv("MUTATION_JOBS", raising=False)
    assert log_run(marker, log, 5) is None and pace(log) == "No run's time is logged yet."
    mark_start(marker, 100, logged=1)
    start = datetime.now(timezone.utc) - timedelta(minutes=30)
    marker.write_text(json.dumps({"started": start.isoformat(), "checked": 100, "logged": 1}))
    timings = [{"seconds": 50.0}, {"seconds": 4.0}, {"seconds": 5.0}]
    run = log_run(marker, log, 700, timings)
    assert not marker.exists() and run["checked"] == 600 and run["jobs"] == 2
    assert run["minutes"] == pytest.approx(30.0, abs=0.2)
    assert run["timed"] == 2 and run["pytest_seconds"] == 9
    assert "600 mutants checked in 0.5 h, 20.0 a minute" in pace(log)


def test_the_time_left_prices_each_mutant_from_its_tests_and_the_measured_run():
    """Runs: 10 min on 2 jobs, 100 mutants timed, 1,000 s in pytest: start-up (1,200 - 1,000) / 100 =
    2 s a mutant. Timed: three killed, having run 10 of their tests' 50 s (20%), one of four survived.
    Left: mutants whose tests take 36,000 s and 7,200 s: each costs 25% + 75% x 20% = 40% of that,
    plus start-up: (14,402 + 2,882) / 2 jobs = 2.4 h; running all of their tests, 6 h."""
    runs = [{"minutes": 10, "jobs": 2, "checked": 100, "timed": 100, "pytest_seconds": 1000}]
    timings = [
        {"mutant": "a", "seconds": 2.0, "exit": 1},
        {"mutant": "b", "seconds": 3.0, "exit": 1},
        {"mutant": "c", "seconds": 20.0, "exit": 0},
        {"mutant": "d", "seconds": 5.0, "exit": 1},
        {"mutant": "untimed", "seconds": 5.0, "exit": 1},  # no tests' durations known: left out
    ]
    worst = {"a": 10.0, "b": 10.0, "c": 20.0, "d": 30.0, "x": 36_000.0, "y": 7_200.0}
    said = time_left(runs, timings, worst, ["x", "y"])
    assert said.startswith("The 2 mutants not yet checked need about 2.4 h more on 2 jobs (6 h if every")
    assert "of 4 timed, 25% survived and a killed one ran 20% of its tests' time; start-up 2.0 s" in said
    assert time_left(runs, timings, worst, []) == ""
    assert "too few timed" in time_left([], timings, worst, ["x"])
