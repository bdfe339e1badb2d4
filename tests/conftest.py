import gymnasium as gym
import numpy as np
import pytest

import robo2d
from robo2d.catalog import PLANAR_IDS, entry

GOAL_IDS = tuple(i for i in robo2d.ENV_IDS if type(gym.make(i).unwrapped).supports_goal_conditioned)
#: every shipped planar arm other than an id's default, per planar id: (id, robot)
ARMS = tuple(
    (env_id, arm)
    for env_id in PLANAR_IDS
    for arm in ("planar_arm_3link",)
    if entry(env_id).id != "Robo2DOneJoint-v0"
)


@pytest.fixture(params=robo2d.ENV_IDS)
def env_id(request) -> str:
    return request.param


@pytest.fixture(params=GOAL_IDS)
def goal_env_id(request) -> str:
    """Ids that offer goal_conditioned=True."""
    return request.param


def rollout(env: gym.Env, seed: int, actions: np.ndarray):
    """Observations and rewards of one reset(seed) followed by `actions`."""
    obs, _ = env.reset(seed=seed)
    observations, rewards = [obs], []
    for a in actions:
        obs, reward, *_ = env.step(a)
        observations.append(obs)
        rewards.append(reward)
    return observations, rewards


def flatten(obs) -> np.ndarray:
    if isinstance(obs, dict):
        return np.concatenate([np.ravel(obs[k]) for k in sorted(obs)])
    return np.ravel(obs)
