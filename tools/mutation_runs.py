"""How long mutation runs take on this machine, measured: the pace and the time left in scores.md.

`make mutation` marks when it starts and how many mutants were checked then (``mark_start``); at its
end the scores script logs the run (``log_run``): its wall-clock minutes, setup included, the mutants
it checked and the seconds their tests took in pytest (from the run's per-mutant log, written by the
tests' conftest). ``docs/results/mutation/runs.json`` keeps every run.

The run checks the mutants whose tests take least first, so a past pace says little of those left.
``time_left`` prices each one left from its own tests' durations (mutmut's timing of the unmutated
code): a survivor runs all of them, a killed mutant the share measured so far, and every mutant pays
the measured start-up outside pytest.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_JOBS = "2"  # the Makefile's default MUTATION_JOBS


def mark_start(marker: Path, checked: int, logged: int = 0) -> None:
    """Note the run's start time, the mutants checked before it and the per-mutant log's length."""
    marker.parent.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    marker.write_text(json.dumps({"started": started, "checked": checked, "logged": logged}))


def log_run(marker: Path, log: Path, checked: int, timings: list[dict] = ()) -> dict | None:
    """Append the run that `marker` started to `log` (and remove the marker); None if none was marked.

    `timings` are the per-mutant log's timed entries; those written during this run give its seconds
    in pytest."""
    if not marker.exists():
        return None
    start = json.loads(marker.read_text())
    ended = datetime.now(timezone.utc)
    minutes = (ended - datetime.fromisoformat(start["started"])).total_seconds() / 60
    run = {
        "started": start["started"],
        "ended": ended.isoformat(timespec="seconds"),
        "minutes": round(minutes, 1),
        "checked": checked - start["checked"],
        "jobs": int(os.environ.get("MUTATION_JOBS") or DEFAULT_JOBS),
    }
    mine = timings[start.get("logged", 0) :]
    if mine:
        run |= {"timed": len(mine), "pytest_seconds": round(sum(t["seconds"] for t in mine))}
    runs = json.loads(log.read_text()) if log.exists() else []
    log.write_text(json.dumps([*runs, run], indent=1) + "\n")
    marker.unlink()
    return run


def pace(log: Path) -> str:
    """One sentence: mutants a minute over the logged runs (of those checked first: the quickest)."""
    runs = json.loads(log.read_text()) if log.exists() else []
    minutes, checked = sum(r["minutes"] for r in runs), sum(r["checked"] for r in runs)
    if not minutes or not checked:
        return "No run's time is logged yet."
    return (
        f"Logged runs: {checked:,} mutants checked in {minutes / 60:.1f} h, {checked / minutes:.1f} a minute "
        "(runs.json: each run's start, end and jobs)."
    )


def time_left(runs: list[dict], timings: list[dict], worst: dict[str, float], left: list[str]) -> str:
    """The hours the mutants `left` need, from their tests' durations (`worst`: seconds to run all of a
    mutant's tests) and what the timed mutants measured: the share of that a killed one ran, how many
    survived, and the start-up outside pytest per mutant (a run's wall time across its jobs, less its
    seconds in pytest)."""
    timed = [t for t in timings if worst.get(t["mutant"])]
    killed = [t for t in timed if t["exit"] != 0]
    overhead = [r for r in runs if r.get("timed")]
    if not left:
        return ""
    if not killed or len(killed) == len(timed) or not overhead:
        return f"{len(left):,} mutants are not yet checked; too few timed to say how long they need."
    share = sum(t["seconds"] for t in killed) / sum(worst[t["mutant"]] for t in killed)
    survival = 1 - len(killed) / len(timed)
    jobs = overhead[-1]["jobs"]
    start_up = sum(r["minutes"] * 60 * r["jobs"] - r["pytest_seconds"] for r in overhead) / sum(
        r["timed"] for r in overhead
    )
    each = [worst.get(m, 0.0) * (survival + (1 - survival) * share) + start_up for m in left]
    all_tests = sum(worst.get(m, 0.0) + start_up for m in left)
    return (
        f"The {len(left):,} mutants not yet checked need about {sum(each) / jobs / 3600:.1f} h more on "
        f"{jobs} job{'s' if jobs != 1 else ''} ({all_tests / jobs / 3600:.0f} h if every one ran all its "
        f"tests): of {len(timed):,} timed, {survival:.0%} survived and a killed one ran {share:.0%} of its "
        f"tests' time; start-up {start_up:.1f} s a mutant."
    )
