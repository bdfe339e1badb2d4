"""The suction pick-and-place oracle, one step at a time: what it commands in each phase of the task.

Robo2DKukaSuctionPickPlace-v0's action is (dx, dy, dz, suction), each in [-1, 1]; a full move is
2.5 cm per step, and suction is on above 0 (the env's docs). The expected actions below are worked by
hand from the task's geometry: the 5 cm cube's top is 2.5 cm above its centre, and the cup face is
7.5 mm below the TCP (the 15 mm cup is centred on it, urdf/suction_tool.urdf).
"""

import gymnasium as gym
import numpy as np
import pytest

from robo2d.oracles import make_oracle
from robo2d.oracles.kuka import suction_action

ENV_ID = "Robo2DKukaSuctionPickPlace-v0"
FREE, HELD = 0.0, 1.0  # the observation's `attached` flag
TABLE_TARGET = (0.65, 0.10, 0.025)  # a cube resting on the table at the target has its centre 2.5 cm up


def _act(tcp, attached, cube, target=TABLE_TARGET) -> np.ndarray:
    """The oracle's action for these observed parts (float32, as the env observes them)."""
    parts = (tcp, (attached,), cube, target)
    return suction_action(*(np.asarray(part, dtype=np.float32) for part in parts))


@pytest.mark.parametrize(
    ("tcp_z", "dz"),
    [(0.145, 0.0), (0.1575, -0.5)],  # 12 cm over the cube centre: stay; 1.25 cm higher: half a step down
)
def test_travelling_to_the_cube_keeps_12_cm_of_clearance_with_suction_off(tcp_z, dz):
    """Away from the cube (10 cm off in x and y), the TCP heads over it at full speed, 12 cm above its
    centre (0.025 + 0.12 = 0.145 m), with the suction command off (-1)."""
    action = _act((0.50, 0.00, tcp_z), FREE, (0.60, 0.10, 0.025))
    np.testing.assert_allclose(action, [1.0, 1.0, dz, -1.0], atol=1e-5)


def test_a_low_tcp_rises_straight_up_before_it_moves_across():
    """With the TCP at 6 cm its cup face is 2.5 mm over the cube top (5 cm): a sideways move could sweep
    a cube away, so the oracle first rises a full step straight up, suction still off."""
    action = _act((0.50, 0.00, 0.06), FREE, (0.60, 0.10, 0.025))
    np.testing.assert_allclose(action, [0.0, 0.0, 1.0, -1.0], atol=1e-5)


@pytest.mark.parametrize(
    ("tcp_z", "dz"),
    [(0.0670, -0.5), (0.0545, 0.0)],  # 1.25 cm above the press-in height: half a step; at it: stay
)
def test_over_the_cube_it_descends_with_suction_on_until_the_cup_presses_3_mm_in(tcp_z, dz):
    """Within 1 cm of the cube's centre (here 5 mm off in x) the oracle turns suction on (+1) and
    descends until the cup face (7.5 mm below the TCP) is 3 mm into the cube top: the TCP at
    0.025 + 0.025 + 0.0075 - 0.003 = 0.0545 m. It also closes the 5 mm (a fifth of a step)."""
    action = _act((0.555, 0.00, tcp_z), FREE, (0.55, 0.00, 0.025))
    np.testing.assert_allclose(action, [-0.2, 0.0, dz, 1.0], atol=1e-5)


@pytest.mark.parametrize(
    ("tcp_z", "action"),
    [
        (0.0545, [0.0, 0.0, 1.0, 1.0]),  # just picked, the TCP at 5.45 cm: straight up at full speed
        (0.11, [1.0, 1.0, 0.4, 1.0]),  # over 10 cm: towards the target, rising the last 1 cm to 12 cm
    ],
)
def test_a_held_cube_is_lifted_to_12_cm_before_it_is_carried(tcp_z, action):
    """Holding the cube (2.95 cm below the TCP) 10 cm from the target in x and y, the oracle keeps suction
    on and lifts straight up until the TCP is at 10 cm; from there it carries towards the target while
    rising to a TCP height of 12 cm (1 cm is 0.4 of a step)."""
    cube = (0.55, 0.00, tcp_z - 0.0295)
    np.testing.assert_allclose(_act((0.55, 0.00, tcp_z), HELD, cube), action, atol=1e-5)


def test_a_cube_carried_high_stays_high_until_it_is_over_its_table_target():
    """From the start height (TCP at 0.3 m), carrying to a target on the table goes across at that
    height: no descent until the cube is over the target."""
    action = _act((0.55, 0.00, 0.30), HELD, (0.55, 0.00, 0.2705))
    np.testing.assert_allclose(action, [1.0, 1.0, 0.0, 1.0], atol=1e-5)


def test_a_cube_carried_to_a_raised_target_climbs_on_the_way():
    """Towards a target 13 cm up, the held cube (2.95 cm below the TCP) climbs while it is carried:
    the TCP heads for 0.13 + 0.0295 = 0.1595 m, 9.5 mm above it (0.38 of a step)."""
    action = _act((0.55, 0.00, 0.15), HELD, (0.55, 0.00, 0.1205), target=(0.65, 0.10, 0.13))
    np.testing.assert_allclose(action, [1.0, 1.0, 0.38, 1.0], atol=1e-5)


@pytest.mark.parametrize(
    ("cube", "action"),
    [
        ((0.655, 0.10, 0.05), [-0.2, 0.0, -1.0, 1.0]),  # 5 mm off, 2.5 cm up: down a full step
        ((0.65, 0.10, 0.025), [0.0, 0.0, 0.0, 1.0]),  # on the target: hold still, still holding
    ],
)
def test_over_the_target_the_cube_is_lowered_onto_it_and_held(cube, action):
    """Within 1 cm of the target (on the table) the held cube is lowered straight onto it and then held
    there: suction stays on, so the cube is never dropped."""
    tcp = np.add(cube, (0.0, 0.0, 0.0295))
    np.testing.assert_allclose(_act(tcp, HELD, cube), action, atol=1e-5)


def test_an_oracle_episode_commands_only_actions_in_the_action_space():
    """A dataset collected from the oracle stores its actions as given: each must lie in the env's
    action space, with the suction command exactly on (+1) or off (-1)."""
    env = gym.make(ENV_ID)
    oracle = make_oracle(env)
    obs, _ = env.reset(seed=0)
    for _ in range(100):
        action = oracle(obs)
        assert env.action_space.contains(action), action
        assert action[3] in (-1.0, 1.0)
        obs, *_ = env.step(action)
    env.close()
