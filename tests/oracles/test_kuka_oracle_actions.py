"""The Kuka oracles' single actions, from observations set by hand: the values a dataset collected from
the oracle records (with no action noise the oracle's action is stored as it is)."""

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

SUCTION_ID = "Robo2DKukaSuctionPickPlace-v0"
JAW_ID = "Robo2DKukaJawPickPlace-v0"
UPRIGHT = (0.0, 0.0, 0.0, 1.0)  # the cube's quaternion (x, y, z, w) at yaw 0


def _made(env_id):
    """The env, reset once, and its oracle; the env is closed after the test."""
    from robo2d.oracles import make_oracle

    env = gym.make(env_id)
    obs, _ = env.reset(seed=0)
    return env, make_oracle(env), obs


def _with_parts(env, obs, **parts):
    """`obs` with the named parts set to the given values (the rest as the reset gave them)."""
    layout, out = env.unwrapped.observation_layout, obs.copy()
    for name, value in parts.items():
        out[layout.slices[name]] = value
    return out


def _jaw_at_rest(env, obs, tcp, cube, opening, grasped, target):
    """A jaw observation with the TCP still, the wrist and an upright cube at yaw 0, and these parts."""
    return _with_parts(
        env,
        obs,
        tcp=tcp,
        flange_velocity=(0.0, 0.0, 0.0),
        tool_yaw=0.0,
        finger_opening=opening,
        grasped=grasped,
        cube_position=cube,
        cube_orientation=UPRIGHT,
        target=target,
    )


@pytest.fixture
def suction():
    env, oracle, obs = _made(SUCTION_ID)
    yield env, oracle, obs
    env.close()


@pytest.fixture
def jaw():
    env, oracle, obs = _made(JAW_ID)
    yield env, oracle, obs
    env.close()


def test_suction_oracle_far_from_the_cube_moves_at_full_speed_within_the_action_space(suction):
    """TCP at (0.3, 0.2, 0.3), cube at (0.6, -0.1, 0.025), nothing attached: the oracle heads for the
    point 12 cm above the cube, (0.3, -0.3, -0.155) m away, i.e. (12, -12, -6.2) steps of 2.5 cm. Each
    axis moves at full speed, so the action is exactly (1, -1, -1) with suction off (-1): a float32
    action inside the env's action space."""
    env, oracle, obs = suction
    obs = _with_parts(env, obs, tcp=(0.3, 0.2, 0.3), attached=0.0, cube_position=(0.6, -0.1, 0.025))
    action = oracle(obs)
    np.testing.assert_array_equal(action, [1.0, -1.0, -1.0, -1.0])
    assert action.dtype == np.float32
    assert env.action_space.contains(action)


@pytest.mark.parametrize(
    ("opening", "lifts"),
    [(0.07, True), (0.15, False)],
    ids=["closed-on-the-cube-34%", "half-open-50%"],
)
def test_jaw_oracle_reads_a_closed_jaw_as_holding_without_a_grasp_flag(jaw, opening, lifts):
    """The SDF gripper's fingers span -0.1 to 0.4 rad; closed on the 5 cm cube they read ~0.07 rad, 34%
    of that range, under the 40% the oracle takes as holding (contact flags flicker, so it does not need
    `grasped`). The cube 2.5 cm above the table, the TCP 1 cm above the cube centre, the target 14 cm
    away: holding, the oracle lifts straight up at full speed, jaw closed (0, 0, 1, 0, -1). At 0.15 rad
    (50%) nothing is held: it goes back down the 1 cm to the cube and closes (0, 0, -0.4, 0, -1)."""
    env, oracle, obs = jaw
    cube = np.array([0.5, 0.0, 0.05])
    obs = _jaw_at_rest(
        env,
        obs,
        tcp=cube + (0.0, 0.0, 0.01),
        cube=cube,
        opening=opening,
        grasped=0.0,
        target=(0.6, 0.1, 0.025),
    )
    expected = [0.0, 0.0, 1.0, 0.0, -1.0] if lifts else [0.0, 0.0, -0.4, 0.0, -1.0]
    np.testing.assert_allclose(oracle(obs), expected, atol=1e-5)


@pytest.mark.parametrize("offset", [(0.006, 0.0, 0.0), (0.0, -0.004, 0.008)], ids=["6mm-aside", "9mm-off"])
def test_jaw_oracle_holds_still_and_closed_once_the_cube_is_within_a_centimetre_of_the_target(jaw, offset):
    """A held cube (grasp reported, TCP 5 mm above its centre) less than 1 cm from the target counts as
    placed: the oracle neither moves nor turns the wrist and keeps the jaw closed, exactly
    (0, 0, 0, 0, -1), an action inside the env's action space. Chasing the last millimetres would
    instead move the TCP by the offset, 0.16 to 0.32 of a full 2.5 cm step along an axis."""
    env, oracle, obs = jaw
    cube = np.array([0.55, 0.05, 0.025])
    obs = _jaw_at_rest(
        env, obs, tcp=cube + (0.0, 0.0, 0.005), cube=cube, opening=0.07, grasped=1.0, target=cube + offset
    )
    action = oracle(obs)
    np.testing.assert_array_equal(action, [0.0, 0.0, 0.0, 0.0, -1.0])
    assert env.action_space.contains(action)


@pytest.mark.parametrize(
    ("tcp_z", "expected"),
    [(0.16, [1.0, 1.0, -0.6, 0.0, 1.0]), (0.06, [0.0, 0.0, 1.0, 0.0, 1.0])],
    ids=["high-heads-over-the-cube", "low-rises-first"],
)
def test_jaw_oracle_travels_to_the_cube_open_and_12_cm_above_it(jaw, tcp_z, expected):
    """Cube on the table (centre 2.5 cm up), the TCP 10 cm off in x and y, the wrist already turned to
    it, nothing held: from 16 cm the oracle heads over the cube to 12 cm above its centre (0.145 m, so
    down 1.5 cm: 0.6 of a 2.5 cm step) at full speed across, jaw open. From 6 cm, under 5 cm above the
    cube centre, fingertips could sweep the cube away, so it first rises a full step straight up."""
    env, oracle, obs = jaw
    cube = np.array([0.5, 0.0, 0.025])
    obs = _jaw_at_rest(
        env, obs, tcp=(0.4, -0.1, tcp_z), cube=cube, opening=0.3, grasped=0.0, target=(0.6, 0.1, 0.025)
    )
    np.testing.assert_allclose(oracle(obs), expected, atol=1e-5)


def _jaw_over_the_cube(env, obs, height, tool_yaw=0.0, orientation=UPRIGHT, velocity=0.0):
    """The TCP straight above an upright cube on the table (centre 2.5 cm up), `height` above its
    centre, moving down at `velocity` m/s, the jaw open and nothing held; the target far away."""
    cube = np.array([0.5, 0.0, 0.025])
    obs = _jaw_at_rest(
        env, obs, tcp=cube + (0, 0, height), cube=cube, opening=0.3, grasped=0.0, target=(0.6, 0.1, 0.025)
    )
    return _with_parts(
        env, obs, tool_yaw=tool_yaw, cube_orientation=orientation, flange_velocity=(0, 0, velocity)
    )


@pytest.mark.parametrize(("tool_yaw", "turn"), [(1.2, -1.0), (-1.2, 1.0), (0.4, -0.5)])
def test_jaw_oracle_turns_the_wrist_a_quarter_of_the_yaw_error_a_step_at_most_a_full_step(
    jaw, tool_yaw, turn
):
    """12 cm over the cube, the wrist turned away from it: the oracle stays there and turns, correcting a
    quarter of the error per step (a full action turns 0.2 rad, so a command of 1.25 x the error in rad),
    and at most a full step either way: 1.2 rad off asks for 1.5, sent as 1.0."""
    env, oracle, obs = jaw
    action = oracle(_jaw_over_the_cube(env, obs, 0.12, tool_yaw=tool_yaw))
    np.testing.assert_allclose(action, [0.0, 0.0, 0.0, turn, 1.0], atol=1e-6)
    assert env.action_space.contains(action)


@pytest.mark.parametrize("euler", [(0.0, 0.0, 1.0), (0.3, -0.2, 0.25), (0.2, 0.25, -1.2)])
def test_jaw_oracle_reads_a_cubes_yaw_as_pybullet_does_folded_to_the_nearest_quarter_turn(jaw, euler):
    """A cube tipped and turned (roll, pitch, yaw in rad): the wrist turns toward PyBullet's own yaw of it,
    less the quarter turns that leave a cube looking the same (1.0 rad is -0.571 rad to the gripper)."""
    env, oracle, obs = jaw
    yaw = pb.getEulerFromQuaternion(pb.getQuaternionFromEuler(euler))[2]
    folded = yaw - np.pi / 2 * round(yaw / (np.pi / 2))
    action = oracle(_jaw_over_the_cube(env, obs, 0.12, orientation=pb.getQuaternionFromEuler(euler)))
    np.testing.assert_allclose(action[3], np.clip(1.25 * folded, -1.0, 1.0), atol=1e-5)


@pytest.mark.parametrize(
    ("height", "velocity", "expected"),
    [
        (0.04, 0.0, [0.0, 0.0, -1.0, 0.0, 1.0]),
        (0.02, 0.0, [0.0, 0.0, -0.8, 0.0, -1.0]),
        (0.02, -0.05, [0.0, 0.0, -0.8, 0.0, 1.0]),
    ],
    ids=["above-the-reach-descends-open", "still-low-is-the-floor-closes", "still-descending-goes-on-open"],
)
def test_jaw_oracle_closes_at_the_cube_or_where_the_arm_stops_descending(jaw, height, velocity, expected):
    """Over the cube, turned to it: from 4 cm above its centre it descends open (a full 2.5 cm step) even
    while still; at 2 cm, under the 3 cm from which open pads reach around the cube, a TCP that no longer
    descends is at the workspace floor and closes, and one still descending goes on open."""
    env, oracle, obs = jaw
    action = oracle(_jaw_over_the_cube(env, obs, height, velocity=velocity))
    np.testing.assert_allclose(action, expected, atol=1e-5)


def test_jaw_oracle_lowers_a_held_cube_onto_the_target_without_turning(jaw):
    """Holding the cube 3.5 cm straight above the target: it lowers it a full step, closed, wrist still."""
    env, oracle, obs = jaw
    cube = np.array([0.5, 0.0, 0.06])
    obs = _jaw_at_rest(env, obs, tcp=cube, cube=cube, opening=0.1, grasped=1.0, target=(0.5, 0.0, 0.025))
    np.testing.assert_allclose(oracle(obs), [0.0, 0.0, -1.0, 0.0, -1.0], atol=1e-6)
