"""The mutation scores table counts a run's records as mutmut does, per package."""

import json
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from tools.mutation_runs import log_run, mark_start, pace
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
    }
    statuses = {
        "robo2d.core.sim.x_step__mutmut_1": "killed",
        "robo2d.core.sim.x_step__mutmut_2": "survived",
        "robo2d.core.sim.x_step__mutmut_3": "survived",
        "robo2d.core.sim.x_step__mutmut_7": "killed",
        "robo2d.rl.her.x_b__mutmut_3": "survived",
    }
    counted, stale = with_reviews(statuses, reviewed)
    assert stale == ["robo2d.core.sim.x_step__mutmut_7"]
    assert Counter(counted.values()) == {"killed": 2, "equivalent": 1, "survived": 1, "reason given": 1}
    core = next(line for line in scores_table(counted).splitlines() if line.startswith("| robo2d/core "))
    assert core.endswith("| 50.0% | 66.7% |")  # 2 of 4; 2 of the 3 that are not equivalent


def test_a_runs_time_is_logged_and_gives_the_pace(tmp_path, monkeypatch):
    """A run marked 30 minutes ago with 100 mutants checked, ending with 700: 600 in 30 min, 20 a
    minute; the 1,200 left need 1.0 h more. The marker is gone once the run is logged."""
    marker, log = tmp_path / "started.json", tmp_path / "runs.json"
    monkeypatch.delenv("MUTATION_JOBS", raising=False)
    assert log_run(marker, log, 5) is None and pace(log, 10) == "No run's time is logged yet."
    mark_start(marker, 100)
    start = datetime.now(timezone.utc) - timedelta(minutes=30)
    marker.write_text(json.dumps({"started": start.isoformat(), "checked": 100}))
    run = log_run(marker, log, 700)
    assert not marker.exists() and run["checked"] == 600 and run["jobs"] == 2
    assert run["minutes"] == pytest.approx(30.0, abs=0.2)
    said = pace(log, 1200)
    assert "600 mutants checked in 0.5 h, 20.0 a minute" in said and "1,200 not yet checked" in said
    assert "about 1.0 h more" in said
