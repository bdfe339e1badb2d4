"""How long mutation runs take on this machine, from their own start and end: the pace in scores.md.

`make mutation` marks when it starts and how many mutants were checked then (``mark_start``); at its
end the scores script logs the run (``log_run``): its wall-clock minutes, setup included, and the
mutants it checked. The log, ``docs/results/mutation/runs.json``, gives the pace over every logged
run and so how long the mutants not yet checked will take.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_JOBS = "2"  # the Makefile's default MUTATION_JOBS


def mark_start(marker: Path, checked: int) -> None:
    """Note the run's start time and how many mutants had been checked before it."""
    marker.parent.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    marker.write_text(json.dumps({"started": started, "checked": checked}))


def log_run(marker: Path, log: Path, checked: int) -> dict | None:
    """Append the run that `marker` started to `log` (and remove the marker); None if none was marked."""
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
    runs = json.loads(log.read_text()) if log.exists() else []
    log.write_text(json.dumps([*runs, run], indent=1) + "\n")
    marker.unlink()
    return run


def pace(log: Path, unchecked: int) -> str:
    """One sentence: mutants a minute over the logged runs, and the time the unchecked ones need."""
    runs = json.loads(log.read_text()) if log.exists() else []
    minutes, checked = sum(r["minutes"] for r in runs), sum(r["checked"] for r in runs)
    if not minutes or not checked:
        return "No run's time is logged yet."
    rate = checked / minutes
    said = f"Logged runs: {checked:,} mutants checked in {minutes / 60:.1f} h, {rate:.1f} a minute"
    left = (
        f"; the {unchecked:,} not yet checked need about {unchecked / rate / 60:.1f} h more"
        if unchecked
        else ""
    )
    return said + left + " (runs.json: each run's start, end and jobs)."
