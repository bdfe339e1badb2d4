"""Targets are drawn where the arm can point: a shoulder that turns only part of the way limits them."""

import math

import gymnasium as gym
import numpy as np

from robo2d.core.assets import robot_path

SHOULDER_LIMIT = 1.0  # rad either side


def _arm_with_a_limited_shoulder(tmp_path):
    """The shipped 2-link arm with its continuous shoulder made a revolute joint of +-1 rad."""
    text = robot_path("planar_arm").read_text()
    old = ('<joint name="shoulder" type="continuous"', '<limit effort="1.0" velocity="3.0"/>')
    new = (
        '<joint name="shoulder" type="revolute"',
        f'<limit lower="-{SHOULDER_LIMIT}" upper="{SHOULDER_LIMIT}" effort="1.0" velocity="3.0"/>',
    )
    for before, after in zip(old, new):
        assert before in text
        text = text.replace(before, after, 1)
    path = tmp_path / "limited_shoulder.urdf"
    path.write_text(text)
    return path


def test_reacher_targets_lie_within_the_shoulders_range(tmp_path):
    """Over 200 resets every target's bearing from the arm's base is within +-1 rad, and targets come
    near both ends of that range; with the shipped continuous shoulder they fill the whole circle."""
    bearings = {}
    for name, robot in (("limited", str(_arm_with_a_limited_shoulder(tmp_path))), ("shipped", "planar_arm")):
        env = gym.make("Robo2DReacher-v0", robot=robot)
        base_x, base_y = env.unwrapped.robot.base_xy
        found = []
        for seed in range(200):
            env.reset(seed=seed)
            goal_x, goal_y = env.unwrapped.task.goal_values
            found.append(math.atan2(goal_y - base_y, goal_x - base_x))
        bearings[name] = np.array(found)
        env.close()
    limited = bearings["limited"]
    assert limited.min() >= -SHOULDER_LIMIT and limited.max() <= SHOULDER_LIMIT
    assert limited.min() < -0.9 * SHOULDER_LIMIT and limited.max() > 0.9 * SHOULDER_LIMIT
    assert bearings["shipped"].min() < -3.0 and bearings["shipped"].max() > 3.0
