"""The order a mutant's tests run in under mutation testing: killers of its siblings first."""

import json

from tests import mutation_order

SIM = "robo2d.core.sim.xǁSimǁstep__mutmut_{}"
OTHER_METHOD = "robo2d.core.sim.xǁSimǁreset__mutmut_1"
OTHER_MODULE = "robo2d.core.raster.x_draw__mutmut_4"


def write_log(path, entries):
    path.write_text("".join(json.dumps(e) + "\n" for e in entries) + '{"mutant": "cut sh')


def test_names_split_into_function_and_module():
    assert mutation_order.function_of(SIM.format(12)) == "robo2d.core.sim.xǁSimǁstep"
    assert mutation_order.module_of(SIM.format(12)) == "robo2d.core.sim"
    assert mutation_order.module_of(OTHER_MODULE) == "robo2d.core.raster"


def test_the_tests_that_killed_siblings_run_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stats = {"duration_by_test": {"slow_sibling": 9.0, "module": 5.0, "fast": 0.1, "faster": 0.05}}
    mutation_order.STATS.write_text(json.dumps(stats))
    log = tmp_path / "log.jsonl"
    write_log(
        log,
        [
            {"mutant": SIM.format(1), "killed_by": "slow_sibling"},
            {"mutant": SIM.format(1), "seconds": 9.5, "exit": 1},
            {"mutant": OTHER_METHOD, "killed_by": "module"},
            {"mutant": OTHER_MODULE, "killed_by": "fast"},
        ],
    )
    tests = ["fast", "module", "faster", "slow_sibling", "unknown"]
    assert mutation_order.order(tests, SIM.format(2), log) == [
        "slow_sibling",
        "module",
        "faster",
        "fast",
        "unknown",
    ]
    # a mutant's own earlier kill (a rerun) does not count as a sibling's
    assert mutation_order.order(tests, SIM.format(1), log)[0] == "module"


def test_the_log_is_written_only_in_a_mutation_runs_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    timer = mutation_order.MutantTimer(SIM.format(3))
    timer.failed("a_test")
    timer.finish(1)
    assert not mutation_order.LOG.exists()
    mutation_order.STATS.write_text("{}")
    timer = mutation_order.MutantTimer(SIM.format(3))
    timer.failed("first")
    timer.failed("second")
    timer.finish(1)
    entries = [json.loads(line) for line in mutation_order.LOG.read_text().splitlines()]
    assert entries[0] == {"mutant": SIM.format(3), "killed_by": "first"}
    assert entries[1]["exit"] == 1 and entries[1]["seconds"] >= 0 and len(entries) == 2
