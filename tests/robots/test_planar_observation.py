"""A planar arm's observation space bounds what its observation can hold, no wider."""

import gymnasium as gym
import numpy as np
import pytest

#: the planar ids whose observation is the arm's state (the pixel reacher's is an image)
STATE_IDS = ["Robo2DReacher-v0", "Robo2DPusher-v0", "Robo2DIKPusher-v0", "Robo2DOneJoint-v0"]


@pytest.mark.parametrize("env_id", STATE_IDS)
def test_joint_cos_sin_are_bounded_by_one_either_way(env_id):
    """A cosine or sine lies in [-1, 1], and the space says exactly that: a tighter space would flag
    real observations, a wider one would mislead a normaliser reading its bounds."""
    env = gym.make(env_id)
    layout = env.unwrapped.observation_layout
    part = next(p for p in layout.parts if p.name == "joint_cos_sin")
    assert set(part.low) == {-1.0} and set(part.high) == {1.0}
    indices = layout.read(np.arange(env.observation_space.shape[0]), "joint_cos_sin").astype(int)
    assert set(env.observation_space.low[indices]) == {-1.0}
    assert set(env.observation_space.high[indices]) == {1.0}
    env.close()
