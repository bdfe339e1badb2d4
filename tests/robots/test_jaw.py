"""The jaw gripper: grasp, lift 0.2 m, carry 0.15 m sideways, hold 1 s; measure the slip."""

import math

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.oracles.kuka import JAW_TCP_MIN, JAW_YAW_STEP, KUKA_STEP, _cube_yaw, _wrap
from robo2d.robots.manipulators import jaw
from robo2d.tasks.pick_place import CUBE_HALF

ENV_ID = "Robo2DKukaJawPickPlace-v0"
PALM = jaw.WRIST_JOINT  # the gripper's base link, which its wrist joint turns
MAX_SLIP = 0.008  # m of cube motion relative to the TCP from lift-off to the end of the hold (4.6 mm at most)


def _go(env, waypoint, grip, steps, turn_to=None):
    """Drive the TCP towards `waypoint` with the gripper command held; returns the last observation."""
    for _ in range(steps):
        unwrapped = env.unwrapped
        obs = unwrapped._observation(unwrapped.task.achieved_goal())
        turn = 0.0 if turn_to is None else np.clip(_wrap(turn_to(obs) - obs[6]) / JAW_YAW_STEP, -1, 1)
        move = np.clip((np.asarray(waypoint) - env.unwrapped.robot.tcp) / KUKA_STEP, -1, 1)
        obs, *_ = env.step(np.array([*move, turn, grip], np.float32))
    return obs


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


def _grasped(env, obs) -> float:
    return env.unwrapped.observation_layout.read(obs, "grasped")[0]


def _links_on(env, body) -> set[int]:
    """The gripper arm's links in contact with `body`."""
    robot, cid = env.unwrapped.robot, env.unwrapped.sim.client
    return {c[3] for c in pb.getContactPoints(bodyA=robot.body, bodyB=body, physicsClientId=cid)}


def test_one_fingertip_on_the_cube_is_no_grasp_both_pads_are():
    """The open left fingertip (7 cm to the TCP's +x side) pressed on the cube's top: one finger on it, no
    grasp; closed around the cube instead, both pads on it: a grasp."""
    env = gym.make(ENV_ID)
    env.reset(seed=0)
    task = env.unwrapped.task
    cube = task.cube_pos.copy()
    _go(env, cube + (-0.068, 0, 0.12), 1.0, 15)
    obs = _go(env, cube + (-0.068, 0, 0.045), 1.0, 15)  # the fingertip's underside is 2.5 cm below the TCP
    assert _links_on(env, task.cube) == {jaw.LEFT_TIP}
    assert np.linalg.norm(task.cube_pos - cube) < 0.002, "the cube stays where it was"
    assert _grasped(env, obs) == 0.0 and not env.unwrapped.robot.tool.is_grasped
    env.reset(seed=0)
    _go(env, cube + (0, 0, 0.12), 1.0, 15, turn_to=lambda obs: _cube_yaw(obs[12:16]))
    _go(env, [cube[0], cube[1], JAW_TCP_MIN], 1.0, 15)
    obs = _go(env, [cube[0], cube[1], JAW_TCP_MIN], -1.0, 8)
    assert {jaw.LEFT_TIP, jaw.RIGHT_TIP} <= _links_on(env, task.cube)
    assert _grasped(env, obs) == 1.0 and env.unwrapped.robot.tool.is_grasped
    env.close()


def test_a_box_against_the_palm_and_one_finger_is_no_grasp():
    """A 0.1 kg box held in place (fixed to the world) under the palm's +x edge touches the palm and the
    open left finger's root, no part of the right finger: that is no grasp."""
    env = gym.make(ENV_ID)
    env.reset(seed=0)
    robot, cid = env.unwrapped.robot, env.unwrapped.sim.client
    tcp = np.array([0.5, 0.2, 0.15])  # clear of the cube
    _go(env, tcp, 1.0, 20)
    palm_bottom = pb.getAABB(robot.body, PALM, physicsClientId=cid)[0][2]
    shape = pb.createCollisionShape(pb.GEOM_BOX, halfExtents=[0.03, 0.02, 0.02], physicsClientId=cid)
    position = [tcp[0] + 0.045, tcp[1] - 0.02, palm_bottom - 0.02]  # x 0.515-0.575 m, top at the palm
    box = pb.createMultiBody(0.1, shape, basePosition=position, physicsClientId=cid)
    pb.createConstraint(box, -1, -1, -1, pb.JOINT_FIXED, (0, 0, 0), (0, 0, 0), position, physicsClientId=cid)
    for _ in range(3):
        obs = _go(env, tcp, 1.0, 1)
        assert _links_on(env, box) == {PALM, jaw.LEFT_FINGER}
        assert _grasped(env, obs) == 0.0 and not robot.tool.is_grasped
    env.close()


def test_a_static_block_between_the_pads_is_not_grasped():
    """Closed on a fixed 5 cm block (mass 0): both pads squeeze it, but it cannot be carried: no grasp."""
    env = gym.make(ENV_ID)
    env.reset(seed=0)
    sim = env.unwrapped.sim
    block = sim.load("cube.urdf", (0.5, 0.2, CUBE_HALF), useFixedBase=True)  # clear of the task's cube
    assert pb.getDynamicsInfo(block, -1, physicsClientId=sim.client)[0] == 0.0
    _go(env, [0.5, 0.2, 0.15], 1.0, 10)
    _go(env, [0.5, 0.2, JAW_TCP_MIN], 1.0, 10)
    obs = _go(env, [0.5, 0.2, JAW_TCP_MIN], -1.0, 8)
    assert {jaw.LEFT_TIP, jaw.RIGHT_TIP} <= _links_on(env, block), "both pads are on the block"
    assert _grasped(env, obs) == 0.0 and not env.unwrapped.robot.tool.is_grasped
    env.close()


def test_another_grippers_grasp_is_not_this_ones():
    """A second gripper arm, hung upside down from a fixed base away from this one, squeezes a cube of
    its own between its pads; this gripper, open and touching nothing, reports no grasp."""
    env = gym.make(ENV_ID)
    env.reset(seed=0)
    robot, sim = env.unwrapped.robot, env.unwrapped.sim
    cid = sim.client
    other = sim.load("kuka_iiwa/kuka_with_gripper2.sdf", (0.45, -0.4, 1.475), (1, 0, 0, 0))
    joints = pb.getNumJoints(other, physicsClientId=cid)
    targets = [0.0] * joints  # arm straight down, fingers closing from fully open onto the cube
    for joint in range(joints):
        opening = {jaw.LEFT_FINGER: -jaw.OPEN_ANGLE, jaw.RIGHT_FINGER: jaw.OPEN_ANGLE}.get(joint, 0.0)
        pb.resetJointState(other, joint, opening, physicsClientId=cid)
    forces = [300.0] * jaw.LEFT_FINGER + [jaw.FINGER_FORCE] * (joints - jaw.LEFT_FINGER)
    pb.setJointMotorControlArray(
        other, range(joints), pb.POSITION_CONTROL, targets, forces=forces, physicsClientId=cid
    )
    tips = [pb.getLinkState(other, tip, physicsClientId=cid)[4] for tip in (jaw.LEFT_TIP, jaw.RIGHT_TIP)]
    between = np.mean(tips, axis=0)
    cube = sim.load("cube.urdf", (between[0], between[1], CUBE_HALF))
    for _ in range(6):
        obs, *_ = env.step(np.array([0, 0, 0, 0, 1.0], np.float32))
    held = {c[3] for c in pb.getContactPoints(bodyA=other, bodyB=cube, physicsClientId=cid)}
    assert {jaw.LEFT_TIP, jaw.RIGHT_TIP} <= held, "the other gripper squeezes its cube"
    assert not pb.getContactPoints(bodyA=robot.body, physicsClientId=cid)
    assert _grasped(env, obs) == 0.0 and not robot.tool.is_grasped
    env.close()


def test_unvaried_pads_have_the_documented_friction():
    """Without randomisation the pads have the lateral friction 1.0 the env documents (the SDF's 0.8 is
    replaced), on every pad link, after every reset."""
    env = gym.make(ENV_ID)
    tool, client = env.unwrapped.robot.tool, env.unwrapped.sim.client
    for seed in (0, 1):
        env.reset(seed=seed)
        for link in jaw.PAD_LINKS:
            assert pb.getDynamicsInfo(tool.body, link, physicsClientId=client)[1] == 1.0
    env.close()


def test_observation_bounds_of_the_opening_and_the_grasp_flag():
    """`grasped` is bounded to [0, 1]. The `finger_opening` bounds hold every opening the fingers take,
    closing on nothing (towards 0 rad, pads touching) and opening fully (0.3 rad), and stay within 0.1 rad
    of that travel, so scaling the observation by its bounds keeps the opening's resolution."""
    env = gym.make(ENV_ID)
    layout, space = env.unwrapped.observation_layout, env.observation_space
    assert layout.read(space.low, "grasped")[0] == 0.0
    assert layout.read(space.high, "grasped")[0] == 1.0
    obs, _ = env.reset(seed=0)
    openings = [layout.read(obs, "finger_opening")[0]]
    for grip in (-1.0, 1.0, -1.0):
        openings += [layout.read(_go(env, [0.5, 0.2, 0.15], grip, 1), "finger_opening")[0] for _ in range(10)]
    env.close()
    assert min(openings) == pytest.approx(0.0, abs=0.002) and max(openings) == pytest.approx(0.3, abs=0.001)
    low, high = layout.read(space.low, "finger_opening")[0], layout.read(space.high, "finger_opening")[0]
    assert -0.1 - 1e-6 <= low <= min(openings) and max(openings) <= high <= 0.3 + 0.1 + 1e-6


def _push_into_wall(finger_force: float) -> np.ndarray:
    """The open gripper driven 0.2 m sideways into a fixed wall beside its left fingertip (20 steps):
    per step, the motor torques (N m) of the left finger, left tip, right finger and right tip."""
    env = gym.make(ENV_ID, randomize={"finger_force": finger_force, "others": "nominal"})
    env.reset(seed=0)
    robot, cid = env.unwrapped.robot, env.unwrapped.sim.client
    tcp = np.array([0.5, 0.2, 0.15])  # clear of the cube
    _go(env, tcp, 1.0, 20)
    tip = pb.getLinkState(robot.body, jaw.LEFT_TIP, physicsClientId=cid)[0]
    outer = pb.getAABB(robot.body, jaw.LEFT_TIP, physicsClientId=cid)[1][0]
    shape = pb.createCollisionShape(pb.GEOM_BOX, halfExtents=[0.01, 0.05, 0.03], physicsClientId=cid)
    pb.createMultiBody(0, shape, basePosition=[outer + 0.014, tcp[1], tip[2]], physicsClientId=cid)
    joints = [jaw.LEFT_FINGER, jaw.LEFT_TIP, jaw.RIGHT_FINGER, jaw.RIGHT_TIP]
    torques = []
    for _ in range(20):
        _go(env, tcp + (0.2, 0, 0), 1.0, 1)
        torques.append([s[3] for s in pb.getJointStates(robot.body, joints, physicsClientId=cid)])
    env.close()
    return np.array(torques)


def test_a_force_limit_above_what_a_push_needs_changes_nothing():
    """Pushed hard into a wall, the fingers and fingertips need at most about 19 N m, under the nominal
    30 N m limit; so with finger_force 10 (every finger motor, tips included, allowed 300 N m) they
    resist exactly as they do at 30 N m: no motor is held back by a lower limit."""
    nominal, strong = _push_into_wall(1.0), _push_into_wall(10.0)
    assert np.abs(nominal).max() < jaw.FINGER_FORCE
    assert np.abs(nominal[:, 1]).max() > 3.0, "the left fingertip's motor pushes back with more than 3 N m"
    np.testing.assert_allclose(strong, nominal, rtol=0, atol=1e-9)
