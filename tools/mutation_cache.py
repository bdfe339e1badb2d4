"""The mutation run's results kept with the repository, so that a fresh checkout resumes the run.

`make mutation` keeps each mutant's result in ``mutants/`` (one ``.meta`` file per module), which is
not in the repository: a new checkout would check every mutant again, hours of work.
``docs/results/mutation/mutants.json`` stores every mutant's status and ``mutant_code.json`` a hash
of each mutant's code (the mutated function, its name left out). A mutant's name is not enough to
find its result again: mutmut numbers a function's mutants in order over the lines the tests cover,
so a test that covers one more line renumbers them. ``python -m tools.mutation_scores --restore``
makes the mutants as the run would (mutmut's own steps, before `mutmut run` makes them again from
the same files) and gives each the stored result of the mutant with the same code in the same
function; the others, a changed function's among them, are left for the run to check.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

#: mutmut's exit codes, by what they mean for a mutant (as mutmut's own summary reads them)
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}
STATUS |= {36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout"}
#: 255: pytest refused to run the mutant's tests (its usage-error exit, which mutmut files under timeout):
#: with the mutant on, robo2d or the tests' conftest no longer imports, or the tests' ids changed
STATUS |= {255: "could not start", -11: "segfault", -9: "segfault", None: "not checked"}
#: a status as the run's records write it back (its first code above); a status not here: to be checked
EXIT_CODE = {status: code for code, status in reversed(STATUS.items()) if code is not None}
MUTANT_FUNCTION = re.compile(r"^(?P<function>.+)__mutmut_(?P<number>\d+)$")


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef]:
    """The module's functions and its classes' methods (where mutmut puts a method's mutants)."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node
        elif isinstance(node, ast.ClassDef):
            yield from (n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))


def code_hashes(mutated_module: Path, module: str) -> dict[str, str]:
    """Per mutant of a module mutmut wrote (``mutants/robo2d/...py``) its name and a 12-digit hash of
    its function's code without its name: the same for the same mutation whatever its number."""
    hashes = {}
    for node in _functions(ast.parse(mutated_module.read_text())):
        if MUTANT_FUNCTION.match(node.name):
            name, node.name = node.name, ""
            hashes[f"{module}.{name}"] = hashlib.sha256(ast.dump(node).encode()).hexdigest()[:12]
    return hashes


def _key(name: str, code: str) -> tuple[str, str]:
    """The function a mutant belongs to and its code's hash: what identifies it across runs."""
    return MUTANT_FUNCTION.match(name)["function"], code


def restored_codes(
    names: dict[str, str], stored: dict[str, str], stored_codes: dict[str, str]
) -> dict[str, int | None]:
    """Exit codes for freshly made mutants (`names`: name -> code hash) from the stored statuses and
    code hashes: the stored result of the mutant with the same code in the same function, else None."""
    by_code = {_key(n, stored_codes[n]): status for n, status in stored.items() if n in stored_codes}
    return {name: EXIT_CODE.get(by_code.get(_key(name, code))) for name, code in names.items()}


def module_name(mutated_module: Path, mutants: Path) -> str:
    """``mutants/robo2d/core/sim.py`` -> ``robo2d.core.sim``; a package's ``__init__.py`` -> the package."""
    parts = mutated_module.relative_to(mutants).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stored_code_hashes(mutants: Path, names: set[str]) -> dict[str, str]:
    """The code hash of each mutant `names` lists, from the modules the run mutated."""
    hashes: dict[str, str] = {}
    for meta in sorted(mutants.glob("robo2d/**/*.py.meta")):
        module = meta.with_suffix("")
        hashes |= code_hashes(module, module_name(module, mutants))
    return {name: code for name, code in hashes.items() if name in names}


def make_mutants() -> None:
    """The first steps of `mutmut run`, by mutmut's own functions: copy the sources, measure the
    selected tests' line coverage, write each module's mutants and its record (every result None)."""
    from mutmut.__main__ import create_mutants, store_lines_covered_by_tests
    from mutmut.mutation.trampoline import set_mutant_under_test
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths

    set_mutant_under_test("mutant_generation")
    Path("mutants").mkdir(exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    store_lines_covered_by_tests()
    create_mutants(max_children=2)


def restore(mutants: Path, stored: dict[str, str], stored_codes: dict[str, str]) -> int | None:
    """In a fresh checkout (no records under ``mutants/``; records there are the live cache, newer
    than the stored results, and are kept) make the mutants and give each the stored result of its
    code; returns how many results were restored, None if there was a live cache."""
    if any(mutants.glob("robo2d/**/*.py.meta")):
        return None
    # in a fresh interpreter: the tests mutmut runs for coverage are the copy under mutants/, which
    # pytest cannot import where the repository's own tests package already is (this process's)
    subprocess.run([sys.executable, "-c", f"import {__name__} as m; m.make_mutants()"], check=True)
    restored = 0
    for meta in sorted(mutants.glob("robo2d/**/*.py.meta")):
        record = json.loads(meta.read_text())
        module = meta.with_suffix("")
        codes = code_hashes(module, module_name(module, mutants))
        fresh = {name: codes[name] for name in record["exit_code_by_key"]}
        found = {n: c for n, c in restored_codes(fresh, stored, stored_codes).items() if c is not None}
        record["exit_code_by_key"].update(found)
        meta.write_text(json.dumps(record, indent=4))
        restored += len(found)
    return restored
