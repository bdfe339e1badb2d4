"""Stored mutation results find their mutants again by code, not by number, and only in a fresh checkout."""

import json
import subprocess

from tools import mutation_cache
from tools.mutation_cache import code_hashes, module_name, restore, restored_codes

MUTATED = """
def x_step__mutmut_orig(a):
    return a + 1
def x_step__mutmut_1(a):
    return a - 1
def x_step__mutmut_2(a):
    return a + 2
class Sim:
    def xǁSimǁclose__mutmut_1(self):
        return a - 1
"""
RENUMBERED = MUTATED.replace("x_step__mutmut_2", "x_step__mutmut_7")


def test_a_mutant_keeps_its_code_hash_when_renumbered_and_the_original_has_none(tmp_path):
    (tmp_path / "a.py").write_text(MUTATED)
    (tmp_path / "b.py").write_text(RENUMBERED)
    before, after = code_hashes(tmp_path / "a.py", "m"), code_hashes(tmp_path / "b.py", "m")
    assert sorted(before) == ["m.x_step__mutmut_1", "m.x_step__mutmut_2", "m.xǁSimǁclose__mutmut_1"]
    assert after["m.x_step__mutmut_7"] == before["m.x_step__mutmut_2"]
    assert before["m.x_step__mutmut_1"] != before["m.x_step__mutmut_2"]


def test_results_follow_the_code_within_a_function_and_unknown_code_is_left_to_check():
    stored = {"m.x_step__mutmut_1": "killed", "m.x_step__mutmut_2": "survived", "m.x_go__mutmut_1": "killed"}
    codes = {"m.x_step__mutmut_1": "aaa", "m.x_step__mutmut_2": "bbb", "m.x_go__mutmut_1": "ccc"}
    fresh = {"m.x_step__mutmut_1": "bbb", "m.x_step__mutmut_2": "ccc", "m.x_step__mutmut_3": "aaa"}
    # the same code as x_go's mutant, but in another function: not the same mutant
    assert restored_codes(fresh, stored, codes) == {
        "m.x_step__mutmut_1": 0,
        "m.x_step__mutmut_2": None,
        "m.x_step__mutmut_3": 1,
    }


def test_a_mutated_file_names_its_module(tmp_path):
    assert module_name(tmp_path / "robo2d/core/sim.py", tmp_path) == "robo2d.core.sim"
    assert module_name(tmp_path / "robo2d/oracles/__init__.py", tmp_path) == "robo2d.oracles"


def test_a_live_cache_is_kept_and_no_mutants_are_made(tmp_path, monkeypatch):
    meta = tmp_path / "robo2d/core/sim.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"exit_code_by_key": {"robo2d.core.sim.x_step__mutmut_1": None}}))
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: (_ for _ in ()).throw(AssertionError("made")))
    assert restore(tmp_path, {"robo2d.core.sim.x_step__mutmut_1": "killed"}, {}) is None
    assert json.loads(meta.read_text())["exit_code_by_key"] == {"robo2d.core.sim.x_step__mutmut_1": None}


def test_a_fresh_checkout_gets_the_stored_results_of_the_mutants_made(tmp_path, monkeypatch):
    def make(*args, **kwargs):
        (tmp_path / "robo2d").mkdir()
        (tmp_path / "robo2d/sim.py").write_text(RENUMBERED)
        names = [
            "robo2d.sim.x_step__mutmut_1",
            "robo2d.sim.x_step__mutmut_7",
            "robo2d.sim.xǁSimǁclose__mutmut_1",
        ]
        (tmp_path / "robo2d/sim.py.meta").write_text(json.dumps({"exit_code_by_key": dict.fromkeys(names)}))

    monkeypatch.setattr(mutation_cache.subprocess, "run", make)
    (tmp_path / "old.py").write_text(MUTATED)
    codes = code_hashes(tmp_path / "old.py", "robo2d.sim")
    stored = {"robo2d.sim.x_step__mutmut_1": "killed", "robo2d.sim.x_step__mutmut_2": "survived"}
    assert restore(tmp_path, stored, codes) == 2
    record = json.loads((tmp_path / "robo2d/sim.py.meta").read_text())["exit_code_by_key"]
    assert record == {
        "robo2d.sim.x_step__mutmut_1": 1,
        "robo2d.sim.x_step__mutmut_7": 0,
        "robo2d.sim.xǁSimǁclose__mutmut_1": None,
    }
