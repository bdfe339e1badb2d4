"""`robo2d bench`: the timing helpers count every PyBullet call and leave PyBullet as they found it."""

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.catalog import ENV_IDS
from robo2d.cli import main
from robo2d.diagnostics.bench import step_breakdown
from robo2d.diagnostics.profiling import run_steps, timed_pybullet


def test_bench_runs(capsys):
    main(["bench", "Robo2DReacher-v0", "--steps", "300", "--repeats", "1"])
    assert "Robo2DReacher-v0" in capsys.readouterr().out


def test_bench_with_another_arm_times_the_ids_that_take_it(capsys):
    """--robot panda: the pick-and-place ids (they take 6/7-DoF arms), not the planar ones."""
    main(["bench", "--robot", "panda", "--steps", "100", "--repeats", "1"])
    rows = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:] if line.startswith("Robo2D")]
    assert rows == ["Robo2DKukaSuctionPickPlace-v0", "Robo2DKukaJawPickPlace-v0"]


def test_gymnasium_benchmark_step_for_every_id(capsys):
    """Gymnasium's own measure, through gym.make, on every id (a tenth of a second each)."""
    main(["bench", "--gymnasium", "--seconds", "0.1", "--repeats", "1"])
    out = capsys.readouterr().out
    for env_id in ENV_IDS:
        line = next(line for line in out.splitlines() if line.startswith(env_id))
        assert float(line.split()[1].replace(",", "")) > 0


def test_breakdown_counts_the_calls_of_each_step(capsys):
    row = step_breakdown("Robo2DIKPusher-v0", steps=200, repeats=1)
    calls = {name: per_step for name, (_, per_step) in row["functions"].items()}
    assert calls["stepSimulation"] == 1.0  # one call per control period; resets step nothing
    assert calls["calculateInverseKinematics"] == 1.0  # IK every step
    assert calls["restoreState"] == 3 / 200  # one per reset: at the start and every 100 steps
    assert row["functions"]["stepSimulation"][0] > 0
    main(["bench", "--breakdown", "Robo2DPusher-v0", "--steps", "200", "--repeats", "1"])
    out = capsys.readouterr().out
    assert "setJointMotorControlArray" in out and "Python (the rest)" in out


def test_torque_control_is_timed_as_it_runs():
    """Torque control steps one physics step per PyBullet call and sends its torques before each: timed,
    it makes those calls and moves the arm exactly as untimed."""
    env = gym.make("Robo2DReacher-v0", control="torque").unwrapped
    actions = np.full((3, 2), 0.01, np.float32)
    run_steps(env, actions, episode_steps=100)
    untimed = list(env.robot.dq)
    with timed_pybullet(env.sim) as totals:
        run_steps(env, actions, episode_steps=100)
    assert env.robot.dq == untimed and untimed != [0.0, 0.0]
    assert totals["stepSimulation"][1] == 3 * env.sim.substeps == totals["setJointMotorControlArray"][1]
    env.close()


def test_timing_is_removed_after_an_error():
    env = gym.make("Robo2DPusher-v0").unwrapped
    step_once, step_simulation = env.sim._step_once, pb.stepSimulation
    actions = np.zeros((5, 2), np.float32)
    with pytest.raises(RuntimeError, match="inside"), timed_pybullet(env.sim) as totals:
        run_steps(env, actions, episode_steps=100)
        raise RuntimeError("inside")
    assert totals["stepSimulation"][1] == 5
    assert pb.stepSimulation is step_simulation and env.sim._step_once is step_once
    run_steps(env, actions, episode_steps=100)
    assert totals["stepSimulation"][1] == 5  # nothing counted any more
    env.close()


def test_bench_refuses_bad_arguments(capsys):
    with pytest.raises(SystemExit, match="--reference"):
        main(["bench", "--breakdown", "--reference", "Robo2DPusher-v0"])
    with pytest.raises(SystemExit, match="unknown env id 'Pusher-v0'.*robo2d list"):
        main(["bench", "Pusher-v0"])
    with pytest.raises(SystemExit):
        main(["bench", "--steps", "0", "Robo2DPusher-v0"])
    assert "must be a positive integer" in capsys.readouterr().err
