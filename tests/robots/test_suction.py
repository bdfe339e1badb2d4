"""The suction cup: attaches without a jump, holds through fast moves, releases, needs contact."""

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.oracles.kuka import CUP_ON_CUBE, KUKA_STEP
from robo2d.robots.manipulators.suction import SUCTION_FORCE, SUCTION_TCP, SuctionTool

ENV_ID = "Robo2DKukaSuctionPickPlace-v0"
CUP_HALF_HEIGHT, SHAFT_RADIUS = 0.0075, 0.015  # m (suction_tool.urdf)


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


def test_another_cups_contact_is_not_this_ones(env):
    """A second suction tool, fixed upside down away from this arm, presses its cup on a cube of its
    own; this cup, on and hovering over its cube, touches nothing and attaches to nothing. The other
    tool is loaded before its cube, so PyBullet lists their contact with the cup as body A, as it lists
    this cup's own contacts when asked for this tool's."""
    sim, tool = env.unwrapped.sim, env.unwrapped.robot.tool
    cid = sim.client
    face = SUCTION_TCP + CUP_HALF_HEIGHT  # m from the tool's frame to the cup's lower face
    top = 0.05 - 0.001  # the cube's top, pressed 1 mm in
    other = sim.load("suction_tool.urdf", (0.45, -0.4, top + face), (1, 0, 0, 0), useFixedBase=True)
    other_cube = sim.load("cube.urdf", (0.45, -0.4, 0.025))
    obs = _go(env, _cube(env) + (0, 0, 0.08), 1.0, 20)
    pressed = pb.getContactPoints(
        bodyA=other, bodyB=other_cube, linkIndexA=tool.cup_link, physicsClientId=cid
    )
    assert pressed, "the other cup presses on its cube"
    assert not pb.getContactPoints(bodyA=tool.body, physicsClientId=cid)
    assert obs[6] == 1.0 and obs[7] == 0.0
    assert not tool.is_grasped


def _box(env, centre, half: float, mass: float) -> int:
    """A box of side 2 * half m; a movable one is held where it is by a weld to the world."""
    cid = env.unwrapped.sim.client
    shape = pb.createCollisionShape(pb.GEOM_BOX, halfExtents=[half] * 3, physicsClientId=cid)
    box = pb.createMultiBody(mass, shape, basePosition=list(centre), physicsClientId=cid)
    if mass > 0:
        pb.createConstraint(
            box, -1, -1, -1, pb.JOINT_FIXED, (0, 0, 0), (0, 0, 0), list(centre), physicsClientId=cid
        )
    return box


def _suck_in_place(env, steps: int = 5):
    """Suction on, the TCP held where it is; the tool's contacts by link, and the last observation."""
    for _ in range(steps):
        obs, *_ = env.step(np.array([0, 0, 0, 1.0], np.float32))
    tool = env.unwrapped.robot.tool
    return {c[3] for c in pb.getContactPoints(bodyA=tool.body, physicsClientId=env.unwrapped.sim.client)}, obs


def test_a_static_block_under_the_cup_is_not_held(env):
    """The cup pressed 1 mm into a block with no mass (fixed in the world, friction 0.5) does not weld
    to it: only what can be carried is held."""
    tcp = env.unwrapped.robot.tcp
    _box(env, tcp - (0, 0, CUP_HALF_HEIGHT - 0.001 + 0.03), 0.03, mass=0.0)
    touched, obs = _suck_in_place(env)
    assert env.unwrapped.robot.tool.cup_link in touched
    assert obs[7] == 0.0 and not env.unwrapped.robot.tool.is_grasped


def test_a_cube_against_the_shaft_is_not_held(env):
    """A 0.1 kg cube, held in place, touching the shaft's side 5 cm above the cup: the cup's face touches
    nothing, so suction holds nothing."""
    tcp = env.unwrapped.robot.tcp
    _box(env, tcp + (SHAFT_RADIUS + 0.02 - 0.001, 0, CUP_HALF_HEIGHT + 0.05), 0.02, mass=0.1)
    touched, obs = _suck_in_place(env)
    assert touched == {-1}, "the shaft (the tool's base link) touches the cube, the cup nothing"
    assert obs[7] == 0.0 and not env.unwrapped.robot.tool.is_grasped


def test_a_zero_suction_command_is_off(env):
    """The action table: suction > 0 on, <= 0 off; a zero action (the most common one) leaves it off."""
    for command, on in ((0.0, 0.0), (1e-6, 1.0), (0.0, 0.0), (-1.0, 0.0)):
        obs, *_ = env.step(np.array([0, 0, 0, command], np.float32))
        assert obs[6] == on and env.unwrapped.robot.tool.on == bool(on)


def test_the_suction_flags_are_bounded_to_0_and_1(env):
    layout, space = env.unwrapped.observation_layout, env.observation_space
    for part in ("suction_on", "attached"):
        assert (layout.read(space.low, part)[0], layout.read(space.high, part)[0]) == (0.0, 1.0), part


def test_a_suction_tool_built_with_its_own_force_holds_with_it(env):
    """SuctionTool(max_force=...) is the cup's modelled hold, which suction_force randomisation scales."""
    cup, _ = SuctionTool(max_force=12.5).attach(env.unwrapped.robot)
    assert cup.max_force == cup.model_force == 12.5


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
