"""The push task's start state: the puck rests on the table at any size, the goal marker lies on the
table at the goal, and the path test measures the base's distance from the puck-to-goal segment."""

import math

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.tasks.push import GOAL_RGBA, _segment_clearance


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((1.0, -1.0), (1.0, 1.0), 1.0),  # the nearest point inside the segment, on the x axis
        ((-1.0, 0.5), (1.0, 0.5), 0.5),  # the same across y
        ((2.0, 0.0), (3.0, 0.0), 2.0),  # nearest at the start
        ((3.0, 0.0), (2.0, 0.0), 2.0),  # nearest at the end
        ((0.3, 0.1), (-0.1, 0.5), 0.4 / math.sqrt(2)),  # on x + y = 0.4, its foot (0.2, 0.2) inside
        ((0.1, 0.3), (0.5, -0.1), 0.4 / math.sqrt(2)),  # the same segment's mirror image in x = y
        ((0.3, 0.4), (0.6, 0.8), 0.5),  # pointing away from the base: nearest at the start
    ],
)
def test_the_segment_clearance_is_the_bases_distance_from_the_segment(a, b, expected):
    assert _segment_clearance(a, b) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("size", [0.8, 1.0, 1.2])
def test_a_resized_puck_starts_resting_on_the_table(size):
    """Neither sunk into the table (it would be pushed up) nor above it (it would drop): whatever its
    size it settles within 1.1 mm above its start (PyBullet rests a puck of any size 1 mm above its
    geometric contact) and never below it."""
    env = gym.make("Robo2DPusher-v0", randomize={"others": "nominal", "object_size": size}).unwrapped
    for seed in (0, 1):
        env.reset(seed=seed)
        puck, cid = env.task.puck, env.sim.client
        start = pb.getBasePositionAndOrientation(puck, physicsClientId=cid)[0][2]
        for _ in range(10):
            env.step(np.zeros(env.action_space.shape, np.float32))
            height = pb.getBasePositionAndOrientation(puck, physicsClientId=cid)[0][2]
            assert start - 1e-4 < height < start + 1.1e-3
    env.close()


def test_the_goal_marker_lies_on_the_table_at_the_goal():
    env = gym.make("Robo2DPusher-v0").unwrapped
    for seed in (0, 1):
        env.reset(seed=seed)
        position = pb.getBasePositionAndOrientation(env.task.marker, physicsClientId=env.sim.client)[0]
        np.testing.assert_allclose(position[:2], env.task.goal_values, atol=1e-9)
        assert 0.0 < position[2] < 0.005
    env.close()


def test_a_bigger_arms_pushes_are_drawn_at_its_own_scale():
    """The 3-link arm reaches 1.4 times as far as the 2-link one, and so do the task's distances: starts
    and goals 0.119-0.21 m from the base, pushes of 0.07-0.168 m whose path keeps 0.084 m from the
    base. Over 300 resets every draw keeps to these, and the draws reach near each end."""
    env = gym.make("Robo2DPusher-v0", robot="planar_arm_3link").unwrapped
    base, cid = np.array(env.robot.base_xy), env.sim.client
    radii, pushes, clearances = [], [], []
    for seed in range(300):
        env.reset(seed=seed)
        start = np.array(pb.getBasePositionAndOrientation(env.task.puck, physicsClientId=cid)[0][:2]) - base
        goal = np.array(env.task.goal_values) - base
        radii += [np.linalg.norm(start), np.linalg.norm(goal)]
        pushes.append(np.linalg.norm(goal - start))
        clearances.append(_segment_clearance(tuple(start), tuple(goal)))
    env.close()
    assert 0.119 - 1e-9 <= min(radii) < 0.125 and 0.205 < max(radii) <= 0.21 + 1e-9
    assert 0.07 - 1e-9 <= min(pushes) < 0.08 and 0.15 < max(pushes) <= 0.168 + 1e-9
    assert min(clearances) >= 0.084 - 1e-9


def test_a_negative_tip_object_weight_is_refused_by_name():
    with pytest.raises(ValueError, match=r"^tip_object_weight must be zero or positive"):
        gym.make("Robo2DPusher-v0", tip_object_weight=-1.0)


def test_the_goal_marker_has_the_goal_colour():
    env = gym.make("Robo2DPusher-v0").unwrapped
    colour = pb.getVisualShapeData(env.task.marker, physicsClientId=env.sim.client)[0][7]
    assert colour == pytest.approx(GOAL_RGBA)
    env.close()


def test_the_puck_yaws_cosine_and_sine_are_bounded_to_1():
    env = gym.make("Robo2DPusher-v0")
    layout, space = env.unwrapped.observation_layout, env.observation_space
    assert list(layout.read(space.low, "puck_yaw_cos_sin")) == [-1.0, -1.0]
    assert list(layout.read(space.high, "puck_yaw_cos_sin")) == [1.0, 1.0]
    env.close()
