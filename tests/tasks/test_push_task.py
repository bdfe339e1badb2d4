"""The push task's start state: the puck rests on the table at any size, the goal marker lies on the
table at the goal, and the path test measures the base's distance from the puck-to-goal segment."""

import math

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.tasks.push import _segment_clearance


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
