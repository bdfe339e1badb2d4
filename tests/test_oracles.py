"""Scripted oracles reading only the public observation solve each task, with every shipped robot."""

import gymnasium as gym
import numpy as np
import pytest

from robo2d.catalog import ENV_IDS, entry
from robo2d.oracles import make_oracle
from tests.conftest import ARMS

N_SEEDS = 50
OTHER_ARM_SUCCESS = 0.9  # a planar id's oracle with another shipped arm (issue: bring your own robot)


def success_rate(env: gym.Env, seeds=range(N_SEEDS)) -> float:
    oracle, successes = make_oracle(env), []
    for seed in seeds:
        obs, _ = env.reset(seed=seed)
        done = False
        while not done:
            obs, _, terminated, truncated, info = env.step(oracle(obs))
            done = terminated or truncated
        successes.append(info["is_success"])
    return float(np.mean(successes))


@pytest.mark.parametrize("env_id", ENV_IDS)
def test_oracle_success_rate(env_id):
    env = gym.make(env_id)
    rate = success_rate(env)
    assert rate >= entry(env_id).oracle_success, f"{env_id} oracle success {rate:.2f}"
    env.close()


@pytest.mark.parametrize(("env_id", "robot"), ARMS)
def test_oracle_with_other_arms(env_id, robot):
    env = gym.make(env_id, robot=robot)
    rate = success_rate(env)
    assert rate >= OTHER_ARM_SUCCESS, f"{env_id} with {robot}: oracle success {rate:.2f}"
    env.close()


@pytest.mark.parametrize("env_id", ENV_IDS)
def test_oracle_under_default_randomization(env_id):
    """The default ranges leave every task solvable from the observation alone."""
    env = gym.make(env_id, randomize=True)
    rate = success_rate(env)
    assert rate >= OTHER_ARM_SUCCESS, f"{env_id} randomised: oracle success {rate:.2f}"
    env.close()
