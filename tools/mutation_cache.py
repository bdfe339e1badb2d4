"""The mutation run's results kept with the repository, so that a fresh checkout resumes the run.

`make mutation` keeps each mutant's result in ``mutants/`` (one ``.meta`` file per module), which is
not in the repository: a new checkout would check all 9,000 mutants again (about 16 h on 2 cores).
``docs/results/mutation/mutants.json`` stores every mutant's status and ``function_hashes.json`` the
hash of each mutated function's syntax tree that the result belongs to (the hash the run computes
itself). ``python -m tools.mutation_scores --restore`` writes those back as the run's records for every
module that has none; the run then compares the hashes with the modules as they are and checks again
every mutant of a function that changed, as it does with a kept cache.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

#: a status as the run's records write it (mutmut's exit code); None: to be checked
EXIT_CODE = {
    "killed": 1,
    "survived": 0,
    "no tests": 33,
    "skipped": 34,
    "timeout": 36,
    "could not start": 255,
    "segfault": -11,
}
#: the fields a record holds besides the results; the run fills them in as it goes
EMPTY_FIELDS = ("type_check_error_by_key", "durations_by_key", "estimated_durations_by_key")


def module_of(mutant: str) -> str:
    """The module a mutant's name belongs to: ``robo2d.core.sim.x_step__mutmut_2`` -> ``robo2d.core.sim``
    (its function part starts with ``x_``, or ``xǁ`` for a method)."""
    parts = mutant.split(".")
    first = next(i for i, part in enumerate(parts) if part.startswith(("x_", "xǁ")))
    return ".".join(parts[:first])


def source_of(module: str, root: Path) -> str:
    """A module's file, relative to the repository: ``robo2d/core/sim.py`` or a package's ``__init__.py``."""
    path = module.replace(".", "/")
    return f"{path}.py" if (root / f"{path}.py").exists() else f"{path}/__init__.py"


def stored_hashes(mutants: Path) -> dict[str, dict[str, str]]:
    """Per module file the function hashes its results belong to, from the run's records."""
    return {
        meta.relative_to(mutants).as_posix().removesuffix(".meta"): json.loads(meta.read_text()).get(
            "hash_by_function_name", {}
        )
        for meta in sorted(mutants.glob("robo2d/**/*.py.meta"))
    }


def restore(
    statuses: dict[str, str], hashes: dict[str, dict[str, str]], mutants: Path, root: Path
) -> list[str]:
    """Write the stored results as the run's records for each module file with none yet (a record
    already there is the live cache, newer than the stored one, and is kept); returns the files written."""
    by_file: dict[str, dict[str, int | None]] = defaultdict(dict)
    for name, status in statuses.items():
        by_file[source_of(module_of(name), root)][name] = EXIT_CODE.get(status)
    written = []
    for source, codes in sorted(by_file.items()):
        meta = mutants / f"{source}.meta"
        if meta.exists() or source not in hashes:
            continue
        record = {"exit_code_by_key": codes, "hash_by_function_name": hashes[source]}
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps(record | {field: {} for field in EMPTY_FIELDS}, indent=4))
        written.append(source)
    return written
