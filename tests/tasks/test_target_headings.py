"""Targets are drawn where the arm can point: a shoulder that turns only part of the way limits them."""

import math

import gymnasium as gym
import numpy as np

from tests.conftest import edited_robot

SHOULDER_LIMIT = 1.0  # rad either side


def _arm_with_a_limited_shoulder(tmp_path, limit: float = SHOULDER_LIMIT):
    """The shipped 2-link arm with its continuous shoulder made a revolute joint of +-`limit` rad."""
    return edited_robot(
        tmp_path,
        "planar_arm",
        ('<joint name="shoulder" type="continuous"', '<joint name="shoulder" type="revolute"'),
        (
            '<limit effort="1.0" velocity="3.0"/>',
            f'<limit lower="-{limit}" upper="{limit}" effort="1.0" velocity="3.0"/>',
        ),
    )


def _bearings(robot: str, resets: int) -> np.ndarray:
    """The bearing (rad) of the reacher's target from the arm's base after each of `resets` resets."""
    env = gym.make("Robo2DReacher-v0", robot=robot)
    base_x, base_y = env.unwrapped.robot.base_xy
    found = []
    for seed in range(resets):
        env.reset(seed=seed)
        goal_x, goal_y = env.unwrapped.task.goal_values
        found.append(math.atan2(goal_y - base_y, goal_x - base_x))
    env.close()
    return np.array(found)


def test_reacher_targets_lie_within_the_shoulders_range(tmp_path):
    """Over 200 resets every target's bearing from the arm's base is within +-1 rad, and targets come
    near both ends of that range; with the shipped continuous shoulder they fill the whole circle."""
    limited = _bearings(str(_arm_with_a_limited_shoulder(tmp_path)), 200)
    shipped = _bearings("planar_arm", 200)
    assert limited.min() >= -SHOULDER_LIMIT and limited.max() <= SHOULDER_LIMIT
    assert limited.min() < -0.9 * SHOULDER_LIMIT and limited.max() > 0.9 * SHOULDER_LIMIT
    assert shipped.min() < -3.0 and shipped.max() > 3.0


def test_a_shoulder_turning_more_than_a_turn_spreads_targets_evenly_round_the_circle(tmp_path):
    """A shoulder of +-4 rad points every way: of 400 targets, the share in the 1.72 rad arc behind the
    base is that arc's share of the circle (27%), not more (drawing over +-4 rad would put 43% there,
    the directions past a half turn counted twice)."""
    bearings = _bearings(str(_arm_with_a_limited_shoulder(tmp_path, 4.0)), 400)
    behind = np.mean(np.abs(bearings) > 2 * math.pi - 4.0)
    assert abs(behind - (2 * (4.0 - math.pi)) / (2 * math.pi)) < 0.07  # 3 standard deviations
