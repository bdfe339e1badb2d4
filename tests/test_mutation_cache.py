"""The stored mutation results come back as the run's records in a fresh checkout, and only there."""

import json

from tools.mutation_cache import module_of, restore, source_of, stored_hashes
from tools.mutation_scores import mutant_statuses

STATUSES = {
    "robo2d.core.sim.x_step__mutmut_1": "killed",
    "robo2d.core.sim.x_step__mutmut_2": "survived",
    "robo2d.core.sim.xǁSimǁclose__mutmut_1": "not checked",
    "robo2d.oracles.x_oracle_for__mutmut_3": "could not start",
    "robo2d.rl.her.x_sample__mutmut_4": "timeout",
}
HASHES = {
    "robo2d/core/sim.py": {"x_step": "aaaaaaaaaaaa", "xǁSimǁclose": "bbbbbbbbbbbb"},
    "robo2d/oracles/__init__.py": {"x_oracle_for": "cccccccccccc"},
    "robo2d/rl/her.py": {"x_sample": "dddddddddddd"},
}


def _sources(root):
    for path in HASHES:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("")


def test_a_mutant_name_gives_its_module_and_file(tmp_path):
    _sources(tmp_path)
    assert module_of("robo2d.core.sim.xǁSimǁclose__mutmut_1") == "robo2d.core.sim"
    assert source_of("robo2d.core.sim", tmp_path) == "robo2d/core/sim.py"
    assert source_of("robo2d.oracles", tmp_path) == "robo2d/oracles/__init__.py"


def test_restored_records_read_back_as_the_stored_statuses_and_hashes(tmp_path):
    _sources(tmp_path)
    mutants = tmp_path / "mutants"
    written = restore(STATUSES, HASHES, mutants, tmp_path)
    assert written == sorted(HASHES)
    assert mutant_statuses(mutants) == STATUSES
    assert stored_hashes(mutants) == HASHES
    record = json.loads((mutants / "robo2d/core/sim.py.meta").read_text())
    assert record["exit_code_by_key"]["robo2d.core.sim.xǁSimǁclose__mutmut_1"] is None  # to be checked


def test_a_live_record_is_kept_and_a_module_without_hashes_is_left_to_the_run(tmp_path):
    _sources(tmp_path)
    mutants = tmp_path / "mutants"
    live = mutants / "robo2d/core/sim.py.meta"
    live.parent.mkdir(parents=True)
    live.write_text(json.dumps({"exit_code_by_key": {"robo2d.core.sim.x_step__mutmut_1": 0}}))
    without_her = {path: h for path, h in HASHES.items() if path != "robo2d/rl/her.py"}
    assert restore(STATUSES, without_her, mutants, tmp_path) == ["robo2d/oracles/__init__.py"]
    assert json.loads(live.read_text())["exit_code_by_key"] == {"robo2d.core.sim.x_step__mutmut_1": 0}
    assert not (mutants / "robo2d/rl/her.py.meta").exists()
