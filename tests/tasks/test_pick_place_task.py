"""The pick-and-place task's observation of the cube, against what a rigid cube can do."""

import gymnasium as gym
import numpy as np
import pytest

PICK_PLACE = ["Robo2DKukaSuctionPickPlace-v0", "Robo2DKukaJawPickPlace-v0"]


@pytest.mark.parametrize("env_id", PICK_PLACE)
def test_the_cubes_orientation_is_a_unit_quaternion_bounded_by_one(env_id):
    """Each entry of a unit quaternion can reach -1 and 1 and nothing past them: the space says so, and
    the observed orientation has length 1 whatever random actions do to the cube."""
    env = gym.make(env_id)
    layout = env.unwrapped.observation_layout
    part = next(p for p in layout.parts if p.name == "cube_orientation")
    assert (part.size, part.low, part.high) == (4, (-1.0,) * 4, (1.0,) * 4)
    env.action_space.seed(0)
    obs, _ = env.reset(seed=0)
    for _ in range(20):
        assert np.linalg.norm(layout.read(obs, "cube_orientation")) == pytest.approx(1.0, abs=1e-6)
        obs, *_ = env.step(env.action_space.sample())
    env.close()
