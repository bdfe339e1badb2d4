"""Smoke test of a base install (no extras) on another Python: every id checked, reset and stepped."""

import platform

import gymnasium as gym
import numpy as np
from gymnasium.utils.env_checker import check_env

import robo2d

for env_id in robo2d.ENV_IDS:
    for randomize in (False, True):
        env = gym.make(env_id, randomize=randomize)
        check_env(env.unwrapped, skip_render_check=True)
        obs, _ = env.reset(seed=0)
        for action in np.random.default_rng(0).uniform(-1, 1, (20, env.action_space.shape[0])):
            obs, *_ = env.step(action.astype(np.float32))
        assert obs in env.observation_space, env_id
        env.close()
print(f"Python {platform.python_version()}: {len(robo2d.ENV_IDS)} ids checked, reset and stepped")
