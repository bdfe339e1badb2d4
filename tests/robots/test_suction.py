"""The suction cup: attaches without a jump, holds through fast moves, releases, needs contact."""

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.oracles.kuka import CUP_ON_CUBE, KUKA_STEP
from robo2d.robots.manipulators.suction import SUCTION_FORCE

ENV_ID = "Robo2DKukaSuctionPickPlace-v0"


def _go(env, waypoint, suction, steps=60):
    """Drive the TCP towards `waypoint` with the suction command held; returns the last obs."""
    for _ in range(steps):
        tcp = env.unwrapped.robot.tcp
        move = np.clip((np.asarray(waypoint) - tcp) / KUKA_STEP, -1, 1)
        obs, *_ = env.step(np.array([*move, suction], np.float32))
    return obs


def _cube(env):
    task = env.unwrapped.task
    return np.array(pb.getBasePositionAndOrientation(task.cube, physicsClientId=env.unwrapped.sim.client)[0])


@pytest.fixture
def env():
    env = gym.make(ENV_ID)
    env.reset(seed=4)
    yield env
    env.close()


def _grab(env):
    cube = _cube(env)
    _go(env, cube + (0, 0, 0.12), -1.0, 40)
    _go(env, cube + (0, 0, 0.03), -1.0, 30)  # hover just above, suction off
    before = _cube(env)
    for _ in range(10):
        _go(env, before + (0, 0, CUP_ON_CUBE), 1.0, 1)
        if env.unwrapped.robot.tool.is_grasped:
            break
    return before


def test_attach_does_not_move_the_cube(env):
    before = _grab(env)
    assert env.unwrapped.robot.tool.is_grasped
    assert np.linalg.norm(_cube(env) - before) < 0.002


def test_holds_through_fast_moves_and_releases(env):
    _grab(env)
    robot = env.unwrapped.robot
    offset = _cube(env) - robot.tcp
    for waypoint in ([0.5, 0.2, 0.35], [0.7, -0.2, 0.15], [0.45, 0.0, 0.4]):  # full-speed moves
        _go(env, waypoint, 1.0, 25)
        assert robot.tool.is_grasped
        np.testing.assert_allclose(_cube(env) - robot.tcp, offset, atol=0.01)
    obs = _go(env, [0.45, 0.0, 0.4], -1.0, 20)
    assert not robot.tool.is_grasped and obs[7] == 0.0
    assert _cube(env)[2] < 0.03, "released cube falls to the table"


def test_no_attach_without_contact(env):
    cube = _cube(env)
    obs = _go(env, cube + (0, 0, 0.08), 1.0, 40)  # suction on, hovering 5 cm above the cube top
    assert obs[6] == 1.0 and obs[7] == 0.0
    assert not env.unwrapped.robot.tool.is_grasped


def test_tcp_never_reaches_the_table(env):
    obs = _go(env, [0.55, 0.25, -0.5], -1.0, 60)
    assert obs[2] >= 0.04


def test_randomised_suction_force_is_the_cups_hold():
    """suction_force is a factor on the cup's modelled holding force (what the weld may pull with)."""
    for factor in (0.8, 1.2):
        env = gym.make(
            "Robo2DKukaSuctionPickPlace-v0", randomize={"suction_force": factor, "others": "nominal"}
        )
        env.reset(seed=0)
        cup = env.unwrapped.robot.tool
        assert cup.max_force == pytest.approx(SUCTION_FORCE * factor)
        env.close()
