"""robo2d's parallel jaw gripper (urdf/jaw_gripper.urdf) on the Kuka's plain arm: it grasps, lifts, carries
and lets go of the cube, reports a grasp only with both fingers on it, varies as documented, and the jaw
oracle solves pick-and-place with it. The env is composed here from the shipped parts (no id)."""

import inspect
import re
import xml.etree.ElementTree as ET

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest
from gymnasium.utils.env_checker import check_env

from robo2d.core.assets import asset_path
from robo2d.core.env import ComposedEnv
from robo2d.core.parts import EnvParts
from robo2d.envs.kuka_jaw import PHYSICS
from robo2d.envs.pick_place import PICK_PLACE_ARGUMENTS, PICK_PLACE_TASK
from robo2d.oracles.kuka import JAW_YAW_STEP, KUKA_STEP, _cube_yaw, _wrap, jaw_oracle
from robo2d.robots.manipulators import parallel_jaw as jaw
from robo2d.robots.manipulators.shipped import ARM_ARGUMENTS, FLANGE_OFFSET, ArmRobot, rest_start
from robo2d.tasks.pick_place import CUBE_HALF
from tests.oracles.test_oracles import success_rate

MAX_STEPS = 100
ORACLE_SUCCESS = 1.0  # measured over seeds 0-49: 50/50 (rounded down to 0.05)
TCP_IN_TOOL = 0.115  # m from the flange face to the TCP link (urdf/jaw_gripper.urdf)
FINGERTIP_BELOW_TCP = 0.015  # m: half the pad height
SECTIONS = ("## Description", "## Action space", "## Observation space", "## Rewards", "## Starting state")
SECTIONS += ("## Episode end", "## Arguments", "## Physics", "## Domain randomization", "## Version history")


class KukaParallelJawPickPlaceEnv(ComposedEnv):
    """Pick a cube with robo2d's parallel jaw gripper on the Kuka iiwa and place it at a target point.

    ## Description
    The Kuka iiwa from pybullet_data (``kuka_iiwa/model.urdf``) with robo2d's parallel jaw gripper
    (``urdf/jaw_gripper.urdf``: 0.64 kg, two fingers each travelling 0-5 cm, 3 x 3 cm rubber pads,
    20 N grip at up to 0.1 m/s per finger) welded to its flange. The same 0.1 kg, 5 cm cube and target as
    Robo2DKukaJawPickPlace-v0 (same task code); only the arm model and the tool differ.

    ## Action space
    ``Box(-1, 1, (5,), float32)``; values outside [-1, 1] are clipped, NaN/inf or a wrong shape raise
    ValueError.

    | index | action | unit |
    |---|---|---|
    | 0 | TCP target dx | action * 0.025 m per step |
    | 1 | TCP target dy | action * 0.025 m per step |
    | 2 | TCP target dz | action * 0.025 m per step |
    | 3 | tool yaw change | action * 0.2 rad per step, yaw kept within +-pi/2 |
    | 4 | gripper | -1 closed ... +1 open (5 cm per finger, 10 cm between the pads) |

    The TCP (between the pad centres) target is clamped to x 0.3-0.7 m, y -0.25-0.25 m, z 0.025-0.35 m
    (the fingertips stay 1 cm above the table) and solved by PyBullet IK with the tool pointing down.

    ## Observation space
    ``Box(28,) float32`` (robot base at the origin, z up):

    | index | part | observation | unit |
    |---|---|---|---|
    | 0-2 | `tcp` | TCP x, y, z | m |
    | 3-5 | `flange_velocity` | flange velocity | m/s |
    | 6 | `tool_yaw` | tool yaw | rad |
    | 7 | `finger_opening` | gap between the pads | m |
    | 8 | `grasped` | cube held between both fingers (is_grasped) | 0/1 |
    | 9-11 | `cube_position` | cube x, y, z | m |
    | 12-15 | `cube_orientation` | cube orientation quaternion (x, y, z, w) | - |
    | 16-18 | `cube_velocity` | cube linear velocity | m/s |
    | 19-21 | `cube_angular_velocity` | cube angular velocity | rad/s |
    | 22-24 | `cube_minus_tcp` | cube minus TCP | m |
    | 25-27 | `target` | target x, y, z | m |

    ## Rewards
    As Robo2DKukaJawPickPlace-v0: dense ``-d - 0.5 * d_reach + 0.1 * grasped - 0.01 * |a|^2``; sparse
    ``-1`` while ``d >= distance_threshold``, else ``0``; ``info["is_grasped"]`` is both fingers touching
    the cube.

    ## Starting state
    Arm at its rest pose, gripper open, yaw 0; cube and target drawn as in Robo2DKukaJawPickPlace-v0.

    ## Episode end
    No termination; truncated after 100 steps (5 s at 20 Hz) by the TimeLimit these tests wrap it in.

    ## Arguments
    {arguments table}

    ## Physics
    Robo2DKukaJawPickPlace-v0's: time step 1/100 s, 5 substeps per action (20 Hz control), 30 solver
    iterations.

    ## Domain randomization
    What ``randomize=`` varies, with its default ranges ("x": a factor on the modelled value).

    {randomization table}

    ## Version history
    Composed in tests/robots/test_parallel_jaw.py only; no id is registered.
    """

    parts = EnvParts(
        PHYSICS,
        ArmRobot(jaw.ParallelJawTool(), yaw_control=True),  # robot="kuka": the plain arm
        PICK_PLACE_TASK,
        rest_start,
    )
    arguments = {**ARM_ARGUMENTS, **PICK_PLACE_ARGUMENTS}


def make_env(**kwargs) -> gym.Env:
    return gym.wrappers.TimeLimit(KukaParallelJawPickPlaceEnv(**kwargs), MAX_STEPS)


@pytest.fixture
def env():
    env = make_env()
    env.reset(seed=0)
    yield env
    env.close()


def _read(env, obs, name: str) -> np.ndarray:
    return env.unwrapped.observation_layout.read(obs, name)


def _go(env, waypoint, grip: float, steps: int, turn_to_cube: bool = False) -> np.ndarray:
    """Drive the TCP towards `waypoint` with the gripper command held; returns the last observation."""
    robot, obs = env.unwrapped.robot, None
    for _ in range(steps):
        turn = 0.0
        if turn_to_cube:
            quaternion = env.unwrapped.task.cube_state[:4]
            turn = float(np.clip(_wrap(_cube_yaw(quaternion) - robot.yaw) / JAW_YAW_STEP, -1, 1))
        move = np.clip((np.asarray(waypoint) - robot.tcp) / KUKA_STEP, -1, 1)
        obs, *_ = env.step(np.array([*move, turn, grip], np.float32))
    return obs


def _grasp(env) -> np.ndarray:
    """Above the cube turned to it, down to its centre, close; returns the last observation."""
    cube = env.unwrapped.task.cube_pos.copy()
    _go(env, cube + (0, 0, 0.12), 1.0, 15, turn_to_cube=True)
    _go(env, cube, 1.0, 15)
    return _go(env, cube, -1.0, 10)


def _finger_contacts(env, side: int) -> list:
    tool, task = env.unwrapped.robot.tool, env.unwrapped.task
    index = jaw.link_indices(env.unwrapped.sim, tool.body)
    links = {index[name] for name in jaw.SIDE_LINKS[side]}
    contacts = pb.getContactPoints(bodyA=tool.body, bodyB=task.cube, physicsClientId=env.unwrapped.sim.client)
    return [c for c in contacts if c[3] in links]


def test_the_urdf_states_what_the_module_documents(env):
    """Travel, grip force, speed and pad friction as the constants say; the TCP midway between the pads;
    every link with a mass and an inertia, every finger joint with its limits."""
    tool, sim = env.unwrapped.robot.tool, env.unwrapped.sim
    assert (tool.travel, tool.model_force, tool.speed) == (
        jaw.FINGER_TRAVEL,
        jaw.FINGER_FORCE,
        jaw.FINGER_SPEED,
    )
    assert tool.model_friction == jaw.PAD_FRICTION
    np.testing.assert_allclose(env.unwrapped.robot.tcp_offset, (0, 0, FLANGE_OFFSET + TCP_IN_TOOL), atol=1e-6)
    assert jaw.ParallelJawTool.length == pytest.approx(TCP_IN_TOOL)  # what the arm's reach search uses
    index = jaw.link_indices(sim, tool.body)
    pads = [pb.getLinkState(tool.body, index[p], physicsClientId=sim.client)[4] for p in jaw.PAD_LINKS]
    tcp = pb.getLinkState(tool.body, index[jaw.TCP_LINK], physicsClientId=sim.client)[4]
    np.testing.assert_allclose(np.mean(pads, axis=0), tcp, atol=1e-6)
    robot = ET.parse(asset_path(jaw.JAW_URDF)).getroot()
    for link in robot.iter("link"):
        inertia = link.find("inertial/inertia")
        assert float(link.find("inertial/mass").get("value")) > 0, link.get("name")
        assert all(float(inertia.get(k)) > 0 for k in ("ixx", "iyy", "izz")), link.get("name")
    for joint in robot.iter("joint"):
        if joint.get("type") == "prismatic":
            assert set(joint.find("limit").attrib) == {"lower", "upper", "effort", "velocity"}


def test_closes_on_the_cube_and_lifts_it_with_the_tcp(env):
    obs = _grasp(env)
    robot, task = env.unwrapped.robot, env.unwrapped.task
    assert _read(env, obs, "grasped")[0] == 1.0
    assert _read(env, obs, "finger_opening")[0] == pytest.approx(
        2 * CUBE_HALF, abs=0.001
    )  # m between the pads
    below_tcp = robot.tcp[2] - task.cube_pos[2]
    cube = task.cube_pos.copy()
    for height in (0.05, 0.1, 0.2):
        _go(env, cube + (0, 0, height), -1.0, 10)
        assert task.cube_pos[2] > CUBE_HALF + height - 0.01, "the cube rises with the TCP"
        assert robot.tcp[2] - task.cube_pos[2] == pytest.approx(below_tcp, abs=0.002)


def test_opening_drops_the_cube(env):
    _grasp(env)
    task = env.unwrapped.task
    _go(env, task.cube_pos + (0, 0, 0.15), -1.0, 15)
    assert task.cube_pos[2] > 0.15
    obs = _go(env, env.unwrapped.robot.tcp_target.copy(), 1.0, 15)
    assert task.cube_pos[2] == pytest.approx(CUBE_HALF, abs=0.002), "it fell to the table"
    assert _read(env, obs, "grasped")[0] == 0.0
    assert _read(env, obs, "finger_opening")[0] == pytest.approx(2 * jaw.FINGER_TRAVEL, abs=0.001)


def test_grasped_only_with_both_fingers_on_the_cube(env):
    task = env.unwrapped.task
    cube = task.cube_pos.copy()
    obs = _go(env, cube + (0, 0, 0.15), -1.0, 20)  # closed on nothing above the cube
    assert _read(env, obs, "finger_opening")[0] < 0.001 and _read(env, obs, "grasped")[0] == 0.0
    _go(env, cube + (0, -jaw.FINGER_TRAVEL, 0.15), 1.0, 15)  # open, the left finger above the cube
    obs = _go(env, cube + (0, -jaw.FINGER_TRAVEL, CUBE_HALF), 1.0, 15)  # that finger presses on its top
    assert _finger_contacts(env, 0) and not _finger_contacts(env, 1)
    assert _read(env, obs, "grasped")[0] == 0.0
    env.reset(seed=0)
    obs = _grasp(env)
    assert _finger_contacts(env, 0) and _finger_contacts(env, 1)
    assert _read(env, obs, "grasped")[0] == 1.0


def test_an_object_pressed_against_the_palm_is_not_grasped(env):
    """A tall box (6 x 6 x 14 cm, 0.3 kg) fits between the open pads: lowered over it, the palm presses
    on its top while neither finger touches it, and that is no grasp."""
    tool, cid = env.unwrapped.robot.tool, env.unwrapped.sim.client
    shape = pb.createCollisionShape(pb.GEOM_BOX, halfExtents=[0.03, 0.03, 0.07], physicsClientId=cid)
    box = pb.createMultiBody(0.3, shape, basePosition=[0.5, 0.0, 0.07], physicsClientId=cid)
    _go(env, [0.5, 0.0, 0.25], 1.0, 15)
    obs = _go(env, [0.5, 0.0, 0.06], 1.0, 15)  # the palm's underside is 6.5 cm above the TCP
    links = {c[3] for c in pb.getContactPoints(bodyA=tool.body, bodyB=box, physicsClientId=cid)}
    assert links == {-1}, "only the palm (the base link) touches the box"
    assert _read(env, obs, "grasped")[0] == 0.0 and not tool.is_grasped


def test_a_static_body_between_the_pads_is_not_grasped(env):
    """Closed on a fixed 5 cm block (mass 0): both pads squeeze it, but it cannot be carried: no grasp."""
    tool, sim = env.unwrapped.robot.tool, env.unwrapped.sim
    block = sim.load("cube.urdf", (0.5, 0.0, CUBE_HALF), useFixedBase=True)
    assert pb.getDynamicsInfo(block, -1, physicsClientId=sim.client)[0] == 0.0
    _go(env, [0.5, 0.0, 0.15], 1.0, 10)
    _go(env, [0.5, 0.0, CUBE_HALF], 1.0, 10)
    obs = _go(env, [0.5, 0.0, CUBE_HALF], -1.0, 10)
    pads = {jaw.link_indices(sim, tool.body)[name] for name in jaw.PAD_LINKS}
    contacts = pb.getContactPoints(bodyA=tool.body, bodyB=block, physicsClientId=sim.client)
    assert pads <= {c[3] for c in contacts}, "both pads are on the block"
    assert _read(env, obs, "finger_opening")[0] == pytest.approx(2 * CUBE_HALF, abs=0.001)
    assert _read(env, obs, "grasped")[0] == 0.0 and not tool.is_grasped


def test_another_grippers_grasp_is_not_this_ones(env):
    """A second jaw gripper in the scene, fixed away from the arm, squeezes a second cube; this gripper,
    open and touching nothing, reports no grasp."""
    tool, sim = env.unwrapped.robot.tool, env.unwrapped.sim
    other = sim.load(jaw.JAW_URDF, (0.45, -0.4, 0.14), (1, 0, 0, 0), useFixedBase=True)  # pointing down
    cube = sim.load("cube.urdf", (0.45, -0.4, CUBE_HALF))
    index = jaw.link_indices(sim, other)
    for finger in (jaw.DRIVE_LINK, jaw.MIRROR_LINK):  # pads on the cube's sides, squeezing
        pb.resetJointState(other, index[finger], CUBE_HALF, physicsClientId=sim.client)
        pb.setJointMotorControl2(
            other,
            index[finger],
            pb.POSITION_CONTROL,
            targetPosition=0.0,
            force=20.0,
            physicsClientId=sim.client,
        )
    for _ in range(5):
        obs, *_ = env.step(np.array([0, 0, 0, 0, 1.0], np.float32))
    held = {c[3] for c in pb.getContactPoints(bodyA=other, bodyB=cube, physicsClientId=sim.client)}
    assert {index[name] for name in jaw.PAD_LINKS} <= held, "the other gripper holds its cube"
    assert not pb.getContactPoints(bodyA=tool.body, physicsClientId=sim.client)
    assert _read(env, obs, "grasped")[0] == 0.0 and not tool.is_grasped


def test_reported_opening_stays_within_the_fingers_travel(env):
    """Full-speed moves with the jaw open shake the fingers a little past their 5 cm limits; the reported
    gap stays within 0-10 cm, the observation space's bounds for it."""
    high = _read(env, env.observation_space.high, "finger_opening")[0]
    assert high == np.float32(2 * jaw.FINGER_TRAVEL)
    for waypoint in ([0.5, 0.2, 0.3], [0.7, -0.2, 0.15]):
        for _ in range(20):
            obs = _go(env, waypoint, 1.0, 1)
            assert 0.0 <= _read(env, obs, "finger_opening")[0] <= high


def test_holds_through_fast_moves_with_the_fingers_mirrored(env):
    """Full-speed moves across the workspace: the cube stays between the pads, which stay mirror images."""
    _grasp(env)
    robot, task = env.unwrapped.robot, env.unwrapped.task
    tool, cid = robot.tool, env.unwrapped.sim.client
    _go(env, task.cube_pos + (0, 0, 0.1), -1.0, 10)
    offset = task.cube_pos - robot.tcp
    for waypoint in ([0.5, 0.2, 0.3], [0.7, -0.2, 0.15], [0.4, 0.0, 0.35]):
        _go(env, waypoint, -1.0, 20)
        assert tool.is_grasped
        np.testing.assert_allclose(task.cube_pos - robot.tcp, offset, atol=0.005)
        drive, mirror = (
            s[0] for s in pb.getJointStates(tool.body, [tool.drive, tool.mirror], physicsClientId=cid)
        )
        assert drive == pytest.approx(mirror, abs=0.0015)


def test_fingertips_stay_above_the_table(env):
    _go(env, [0.5, 0.0, -1.0], 1.0, 30)  # down as far as the workspace allows
    tool, sim = env.unwrapped.robot.tool, env.unwrapped.sim
    index = jaw.link_indices(sim, tool.body)
    lowest = min(
        pb.getAABB(tool.body, index[link], physicsClientId=sim.client)[0][2] for link in jaw.PAD_LINKS
    )
    assert lowest == pytest.approx(jaw.LOWEST_TCP - FINGERTIP_BELOW_TCP, abs=0.003)
    assert lowest > 0.007


def test_the_command_sets_the_pad_gap_and_the_fingers_close_at_their_speed(env):
    """Held high above the cube: from fully open, each finger closes at 0.1 m/s, so the gap shrinks by
    2 x 0.1 m/s x 0.05 s = 1 cm per step; a held command c settles the gap at 2 x 5 cm x (c + 1) / 2."""
    above = [0.45, 0.15, 0.25]
    obs = _go(env, above, 1.0, 15)
    gaps = [_read(env, obs, "finger_opening")[0]]
    for _ in range(5):
        gaps.append(_read(env, _go(env, above, -1.0, 1), "finger_opening")[0])
    assert gaps[0] == pytest.approx(0.1, abs=0.0005)
    np.testing.assert_allclose(-np.diff(gaps), 0.01, atol=0.0005)
    for command, gap in ((0.5, 0.075), (0.0, 0.05), (-0.5, 0.025)):
        obs = _go(env, above, command, 20)
        assert _read(env, obs, "finger_opening")[0] == pytest.approx(gap, abs=0.0005), command


def test_one_finger_on_an_obstacle_presses_with_the_randomised_grip_force():
    """A fixed block between the open pads, 1-3 cm from the centre on the drive's side: closing, only
    that pad meets it (no grasp), and it presses with the grip force limit, 0.5 x 20 N = 10 N here."""
    env = make_env(randomize={"finger_force": 0.5, "others": "nominal"})
    env.reset(seed=0)
    tool, sim = env.unwrapped.robot.tool, env.unwrapped.sim
    above = [0.45, 0.15, 0.2]
    _go(env, above, 1.0, 15)
    index = jaw.link_indices(sim, tool.body)
    left, right = (
        np.array(pb.getLinkState(tool.body, index[pad], physicsClientId=sim.client)[4])
        for pad in jaw.PAD_LINKS
    )
    axis = (left - right) / np.linalg.norm(left - right)
    shape = pb.createCollisionShape(pb.GEOM_BOX, halfExtents=[0.01, 0.03, 0.03], physicsClientId=sim.client)
    block = pb.createMultiBody(
        0,
        shape,
        basePosition=((left + right) / 2 + 0.02 * axis).tolist(),
        baseOrientation=pb.getQuaternionFromEuler((0, 0, np.arctan2(axis[1], axis[0]))),
        physicsClientId=sim.client,
    )
    _go(env, above, -1.0, 6)  # at 1 cm a step, the drive's pad meets the block in the fourth
    for _ in range(3):
        obs = _go(env, above, -1.0, 1)
        contacts = pb.getContactPoints(bodyA=tool.body, bodyB=block, physicsClientId=sim.client)
        assert {c[3] for c in contacts} == {index["left_pad"]}
        force = sum(c[9] for c in contacts) * sim.substeps  # as in _squeeze
        assert force == pytest.approx(0.5 * jaw.FINGER_FORCE, rel=0.01)
        assert _read(env, obs, "grasped")[0] == 0.0
    env.close()


def test_opening_a_millimetre_past_the_cube_lets_go_of_it(env):
    """Closed on the cube, a command whose finger travel lies 1 mm outside the cube's faces is a position
    target like any other: the pads move out to it (a 5.2 cm gap) and no longer squeeze the cube."""
    _grasp(env)
    tcp = env.unwrapped.robot.tcp_target.copy()
    command = 2 * (CUBE_HALF + 0.001) / jaw.FINGER_TRAVEL - 1
    obs = _go(env, tcp, command, 10)
    assert _read(env, obs, "finger_opening")[0] == pytest.approx(2 * CUBE_HALF + 0.002, abs=0.0005)
    assert not _finger_contacts(env, 0) and not _finger_contacts(env, 1)
    assert _read(env, obs, "grasped")[0] == 0.0


def test_a_held_cube_does_not_creep_between_the_pads(env):
    """The pads' contacts are friction-anchored: through full-speed moves and a 3 s hold the lifted cube
    stays within 1 mm of where it sat relative to the TCP (unanchored, it creeps 2-3 mm)."""
    _grasp(env)
    robot, task = env.unwrapped.robot, env.unwrapped.task
    _go(env, task.cube_pos + (0, 0, 0.1), -1.0, 10)
    offset = task.cube_pos - robot.tcp
    for waypoint in ([0.5, 0.2, 0.3], [0.7, -0.2, 0.15], [0.4, 0.0, 0.35]):
        _go(env, waypoint, -1.0, 20)
    _go(env, robot.tcp_target.copy(), -1.0, 60)
    assert robot.tool.is_grasped
    assert np.linalg.norm(task.cube_pos - robot.tcp - offset) < 0.001


def test_reset_starts_with_the_fingers_open_and_at_rest(env):
    """After an episode that ends closed on the cube, the next reset reports the full 10 cm gap and no
    grasp, with both fingers at rest at their 5 cm travel."""
    _grasp(env)
    obs, _ = env.reset(seed=1)
    tool, cid = env.unwrapped.robot.tool, env.unwrapped.sim.client
    assert _read(env, obs, "finger_opening")[0] == pytest.approx(2 * jaw.FINGER_TRAVEL)
    assert _read(env, obs, "grasped")[0] == 0.0
    for travel, speed, *_ in pb.getJointStates(tool.body, [tool.drive, tool.mirror], physicsClientId=cid):
        assert (travel, speed) == (pytest.approx(jaw.FINGER_TRAVEL), 0.0)


def test_the_grasp_flag_is_bounded_0_to_1(env):
    assert _read(env, env.observation_space.low, "grasped")[0] == 0.0
    assert _read(env, env.observation_space.high, "grasped")[0] == 1.0


def _squeeze(env) -> float:
    """The grip force (N) on the lifted cube, from one pad's contact forces (PyBullet reports a
    stepSimulation call's impulse over all its substeps as a force over one)."""
    _grasp(env)
    _go(env, env.unwrapped.task.cube_pos + (0, 0, 0.1), -1.0, 10)
    return sum(c[9] for c in _finger_contacts(env, 0)) * env.unwrapped.sim.substeps


def test_randomization_sets_pad_friction_and_grip_force():
    """The documented parameters, fixed at a value: the pads' friction and the squeeze on the cube."""
    nominal = make_env()
    nominal.reset(seed=0)
    assert _squeeze(nominal) == pytest.approx(jaw.FINGER_FORCE, rel=0.05)
    nominal.close()
    env = make_env(randomize={"pad_friction": 1.2, "finger_force": 0.5, "others": "nominal"})
    _, info = env.reset(seed=0)
    assert (info["randomization"]["pad_friction"], info["randomization"]["finger_force"]) == (1.2, 0.5)
    tool, sim = env.unwrapped.robot.tool, env.unwrapped.sim
    for pad in jaw.PAD_LINKS:
        friction = pb.getDynamicsInfo(
            tool.body, jaw.link_indices(sim, tool.body)[pad], physicsClientId=sim.client
        )[1]
        assert friction == pytest.approx(1.2 * jaw.PAD_FRICTION)
    assert _squeeze(env) == pytest.approx(0.5 * jaw.FINGER_FORCE, rel=0.05)
    env.close()


def test_oracle_succeeds_with_this_gripper():
    env = make_env()
    rate = success_rate(env, range(50), oracle=jaw_oracle(env.unwrapped))
    env.close()
    assert rate >= ORACLE_SUCCESS, f"oracle success {rate:.2f}"


def test_same_seed_same_episode():
    """The gripper's state is reset with the episode: a seed replays the oracle's episode exactly."""
    env = make_env()
    oracle = jaw_oracle(env.unwrapped)
    runs = []
    for _ in range(2):
        obs, _ = env.reset(seed=3)
        trajectory = [obs]
        for _ in range(60):
            obs, *_ = env.step(oracle(obs))
            trajectory.append(obs)
        runs.append(np.array(trajectory))
    env.close()
    np.testing.assert_array_equal(runs[0], runs[1])


def test_gymnasium_check_env_passes():
    env = KukaParallelJawPickPlaceEnv()
    check_env(env, skip_render_check=True)
    env.close()


def test_docstring_is_the_composed_envs_spec():
    """Every section, the tables rendered from the declarations, the observation table as the layout."""
    doc = inspect.getdoc(KukaParallelJawPickPlaceEnv)
    assert all(section in doc for section in SECTIONS)
    assert "{" not in doc, "a placeholder left unrendered"
    assert "| `pad_friction` | x | [0.8, 1.2] | factor on the finger pads' lateral friction (1.0) |" in doc
    assert "| `finger_force` | x | [0.8, 1.2] | factor on the drive's grip force limit (20 N) |" in doc
    env = KukaParallelJawPickPlaceEnv()
    table = doc.split("## Observation space")[1].split("##")[0]
    rows = [line for line in table.splitlines() if re.match(r"^\| \d", line)]
    assert rows == [f"| {i} | `{n}` | {m} | {u} |" for i, n, m, u in env.observation_layout.rows()]
    env.close()
