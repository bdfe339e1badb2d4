"""Evaluation over several envs side by side: the same episodes, seeds and numbers as one env gives."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from robo2d.run.environment import make_env
from robo2d.run.evaluation import MIN_BATCH_ROWS, evaluate_policy
from robo2d.run.loading import load_agent
from robo2d.run.seeds import PERIODIC_EVALUATION, stream_seeds


class Countdown(gym.Env):
    """An episode of (seed % 3) + 1 steps, each rewarded seed % 7; a success for even seeds."""

    observation_space = gym.spaces.Box(-np.inf, np.inf, (2,), np.float32)
    action_space = gym.spaces.Box(-1.0, 1.0, (1,), np.float32)

    def __init__(self) -> None:
        self.seeds: list[int] = []

    def reset(self, *, seed=None, options=None):
        self.seeds.append(seed)
        self.left = seed % 3 + 1
        return np.array([seed, self.left], np.float32), {}

    def step(self, action):
        self.left -= 1
        seed = self.seeds[-1]
        obs = np.array([seed, self.left], np.float32)
        return obs, float(seed % 7), self.left == 0, False, {"is_success": seed % 2 == 0}


class Rows:
    """A model that acts 0 and records how many rows each batched call had."""

    def __init__(self) -> None:
        self.rows: list[int] = []

    def predict(self, obs, deterministic=True):
        batch = np.atleast_2d(obs)
        self.rows.append(len(batch))
        return np.zeros((len(batch), 1), np.float32), None


@pytest.mark.parametrize("n_envs", [1, 2, 3, 11, 40])
def test_every_seed_of_the_stream_runs_once_whatever_the_envs(n_envs):
    envs, model = [Countdown() for _ in range(n_envs)], Rows()
    result = evaluate_policy(model, envs, 11, seed=5, stream=PERIODIC_EVALUATION)
    seeds = list(stream_seeds(PERIODIC_EVALUATION, 5, 11))
    assert sorted(s for env in envs for s in env.seeds) == seeds
    # by hand: the mean over seeds of (steps x reward per step), and the share of even seeds
    assert result.mean_return == pytest.approx(np.mean([(s % 3 + 1) * (s % 7) for s in seeds]))
    assert result.success_rate == np.mean([s % 2 == 0 for s in seeds]) and result.first_seed == seeds[0]
    assert set(model.rows) == ({1} if n_envs == 1 else {max(n_envs, MIN_BATCH_ROWS)})


def test_a_trained_agent_scores_the_same_on_any_number_of_envs():
    """The shipped reacher over 30 episodes: 2, 7 or 25 envs give the same bits; one env (single-row
    predictions) the same successes and returns within float rounding."""
    agent, config = load_agent("Robo2DReacher-v0")
    envs = [make_env(config) for _ in range(25)]
    results = {n: evaluate_policy(agent, envs[:n], 30, 0, PERIODIC_EVALUATION) for n in (1, 2, 7, 25)}
    assert results[2] == results[7] == results[25]
    assert results[1].success_rate == results[25].success_rate
    assert results[1].mean_return == pytest.approx(results[25].mean_return, rel=1e-6)
