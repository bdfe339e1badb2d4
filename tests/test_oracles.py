"""Scripted oracles reading only the public observation solve each task."""

import gymnasium as gym
import numpy as np
import pytest

from robo2d.oracles import ORACLES

N_SEEDS = 50
REQUIRED = {
    "Robo2DOneJoint-v0": 0.95,
    "Robo2DKukaSuctionPickPlace-v0": 0.95,
    "Robo2DKukaJawPickPlace-v0": 0.95,  # measured 50/50 (100/100 over seeds 0-99)
    "Robo2DPixelReacher-v0": 0.75,  # measured 38/50: one frame cannot show a target hidden under the arm
    "Robo2DReacher-v0": 0.95,
    "Robo2DPusher-v0": 0.95,
    "Robo2DIKPusher-v0": 0.95,
}


@pytest.mark.parametrize("env_id", sorted(ORACLES))
def test_oracle_success_rate(env_id):
    env = gym.make(env_id)
    oracle = ORACLES[env_id]
    successes = []
    for seed in range(N_SEEDS):
        obs, _ = env.reset(seed=seed)
        done = False
        while not done:
            obs, _, terminated, truncated, info = env.step(oracle(obs))
            done = terminated or truncated
        successes.append(info["is_success"])
    rate = float(np.mean(successes))
    assert rate >= REQUIRED[env_id], f"{env_id} oracle success {rate:.2f}"
    env.close()
