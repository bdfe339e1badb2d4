"""The jaw gripper: grasp, lift 0.2 m, carry 0.15 m sideways, hold 1 s; measure the slip."""

import math

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.oracles.kuka import JAW_TCP_MIN, JAW_YAW_STEP, KUKA_STEP, _cube_yaw, _wrap
from robo2d.robots.manipulators import jaw

ENV_ID = "Robo2DKukaJawPickPlace-v0"
MAX_SLIP = 0.008  # m of cube motion relative to the TCP from lift-off to the end of the hold (4.6 mm at most)


def _go(env, waypoint, grip, steps, turn_to=None):
    for _ in range(steps):
        unwrapped = env.unwrapped
        obs = unwrapped._observation(unwrapped.task.achieved_goal())
        turn = 0.0 if turn_to is None else np.clip(_wrap(turn_to(obs) - obs[6]) / JAW_YAW_STEP, -1, 1)
        move = np.clip((np.asarray(waypoint) - env.unwrapped.robot.tcp) / KUKA_STEP, -1, 1)
        env.step(np.array([*move, turn, grip], np.float32))


def grasp_lift_carry_hold(env, seed: int) -> float:
    """Slip (m) of the cube relative to the TCP from lift-off to the end of the hold (a drop is ~0.2 m)."""
    env.reset(seed=seed)
    robot, task = env.unwrapped.robot, env.unwrapped.task
    cube = task.cube_pos.copy()
    _go(env, cube + (0, 0, 0.12), 1.0, 15, turn_to=lambda obs: _cube_yaw(obs[12:16]))
    _go(env, [cube[0], cube[1], JAW_TCP_MIN], 1.0, 15)
    _go(env, [cube[0], cube[1], JAW_TCP_MIN], -1.0, 8)  # close
    _go(env, [cube[0], cube[1], JAW_TCP_MIN + 0.2], -1.0, 15)  # lift 0.2 m
    start = task.cube_pos - robot.tcp
    side = -0.15 if cube[1] > 0 else 0.15
    _go(env, [cube[0], cube[1] + side, JAW_TCP_MIN + 0.2], -1.0, 15)  # carry 0.15 m sideways
    _go(env, robot.tcp_target.copy(), -1.0, 20)  # hold 1 s (20 steps at 20 Hz)
    return float(np.linalg.norm(task.cube_pos - robot.tcp - start))


def test_grasp_holds_through_lift_carry_hold():
    """Every grasp of seeds 0-19 holds through lift, carry and hold; the median slip stays under 2 mm."""
    env = gym.make(ENV_ID)
    slips = np.array([grasp_lift_carry_hold(env, seed) for seed in range(20)])
    env.close()
    held = slips < MAX_SLIP
    assert held.all(), f"held {held.sum()}/20, slips (mm): {np.round(slips * 1000, 1)}"
    assert np.median(slips) < 0.002


def test_fingertips_stay_above_table():
    env = gym.make(ENV_ID)
    env.reset(seed=0)
    _go(env, [0.5, 0.0, -1.0], 1.0, 30)  # drive down as far as the workspace allows
    assert env.unwrapped.robot.tcp[2] >= JAW_TCP_MIN - 0.005
    env.close()


def _flange_heading(robot) -> float:
    """The flange's x axis about the vertical (rad), read from the simulated link."""

    orn = pb.getLinkState(
        robot.body, robot.flange_link, computeForwardKinematics=1, physicsClientId=robot.sim.client
    )
    x_axis = pb.getMatrixFromQuaternion(orn[5])[0:7:3]
    return math.atan2(x_axis[1], x_axis[0])


def test_tool_turns_0_2_rad_a_step_and_stops_a_quarter_turn_either_way():
    """The yaw action turns the tool by at most 0.2 rad per step (5 steps: about 1 rad), up to pi/2 from
    its rest heading and no further, either way."""
    env = gym.make(ENV_ID)
    env.reset(seed=0)
    robot = env.unwrapped.robot
    start = _flange_heading(robot)

    def turned(sign: float, steps: int) -> float:
        for _ in range(steps):
            env.step(np.array([0, 0, 0, sign, 0], np.float32))
        return _wrap(_flange_heading(robot) - start)

    assert abs(turned(1.0, 5) - 1.0) < 0.1
    assert abs(turned(1.0, 40) - np.pi / 2) < 0.01
    assert abs(turned(-1.0, 60) + np.pi / 2) < 0.01


def test_randomised_pad_friction_reaches_the_pads():
    """The pads' friction is the model's times the episode's pad_friction (1.0 unvaried)."""
    for factor in (1.0, 1.2, 0.8):
        env = gym.make(ENV_ID, randomize={"pad_friction": factor, "others": "nominal"})
        _, info = env.reset(seed=0)
        tool, client = env.unwrapped.robot.tool, env.unwrapped.sim.client
        for link in jaw.PAD_LINKS:
            friction = pb.getDynamicsInfo(tool.body, link, physicsClientId=client)[1]
            assert friction == np.float32(jaw.PAD_FRICTION * factor)
        env.close()


def test_a_finger_pushed_from_outside_is_held_with_the_randomised_force_limit():
    """The open gripper driven sideways into a fixed wall beside its left fingertip: the wall forces the
    finger inwards, and its motor resists with at most its force limit, 0.1 x 30 N m = 3 N m here (the
    push needs more: the finger gives way)."""
    env = gym.make(ENV_ID, randomize={"finger_force": 0.1, "others": "nominal"})
    env.reset(seed=0)
    robot, cid = env.unwrapped.robot, env.unwrapped.sim.client
    tcp = np.array([0.5, 0.2, 0.15])  # clear of the cube
    _go(env, tcp, 1.0, 20)
    left, right = (
        np.array(pb.getLinkState(robot.body, tip, physicsClientId=cid)[0])
        for tip in (jaw.LEFT_TIP, jaw.RIGHT_TIP)
    )
    np.testing.assert_allclose((left - right) / np.linalg.norm(left - right), (1, 0, 0), atol=0.01)
    outer = pb.getAABB(robot.body, jaw.LEFT_TIP, physicsClientId=cid)[1][0]
    shape = pb.createCollisionShape(pb.GEOM_BOX, halfExtents=[0.01, 0.05, 0.03], physicsClientId=cid)
    wall = pb.createMultiBody(0, shape, basePosition=[outer + 0.014, tcp[1], left[2]], physicsClientId=cid)
    torques = []
    for _ in range(10):
        _go(env, tcp + (0.04, 0, 0), 1.0, 1)
        torques.append(pb.getJointState(robot.body, jaw.LEFT_FINGER, physicsClientId=cid)[3])
    assert pb.getContactPoints(bodyA=robot.body, bodyB=wall, linkIndexA=jaw.LEFT_TIP, physicsClientId=cid)
    assert max(abs(t) for t in torques) == pytest.approx(0.1 * jaw.FINGER_FORCE, rel=1e-3)
    env.close()
