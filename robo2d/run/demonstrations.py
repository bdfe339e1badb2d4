"""Seed an off-policy agent's replay buffer with scripted-oracle episodes before it learns.

Where random exploration almost never shows the reward (closing a jaw gripper on a cube, then lifting
it), a few hundred episodes of the task's oracle, with exploration noise on its actions, put successful
grasps into the replay buffer from the first update. The agent still learns with SAC (and HER): the
demonstrations are ordinary transitions, relabelled like its own.

Config section (absent: no demonstrations; read into robo2d.run.config.Demonstrations)::

    demonstrations:
      episodes: 200   # oracle episodes added before training
      noise: 0.2      # std of Gaussian noise added to each oracle action (actions are in [-1, 1])

or, episodes read from a Minari dataset (``robo2d collect``; its env must be the run's, goal-conditioned
where the run uses HER)::

    demonstrations:
      dataset: datasets/robo2d/pusher-oracle-v0   # its folder, or its id under MINARI_DATASETS_PATH
      episodes: 200   # the first this many of its episodes (absent or 0: all of them)
"""

from __future__ import annotations

import numpy as np
from stable_baselines3 import SAC

from robo2d.oracles import make_oracle
from robo2d.run.seeds import DEMONSTRATION, stream_seeds


def add_demonstrations(
    model: SAC, env, env_id: str, episodes: int, noise: float, seed: int
) -> tuple[int, float]:
    """Roll out noisy oracle episodes in `env` (built like the training env) into model's replay buffer.

    Reset seeds are the demonstration stream's (robo2d.run.seeds), apart from every evaluation's.
    Observations are stored raw, as SB3 stores its own with VecNormalize.
    Returns (env steps, oracle success rate).
    """
    oracle = make_oracle(env)
    # SB3 stores images channel-first (VecTransposeImage); the oracle reads them as the env gives them
    channel_first = env.observation_space.shape != model.observation_space.shape
    seeds = stream_seeds(DEMONSTRATION, seed, episodes)
    rng = np.random.default_rng(seeds.start)
    steps, successes = 0, 0
    for reset_seed in seeds:
        obs, _ = env.reset(seed=reset_seed)
        done = False
        while not done:
            flat = obs["observation"] if isinstance(obs, dict) else obs
            action = np.clip(oracle(flat) + rng.normal(0.0, noise, env.action_space.shape), -1.0, 1.0)
            action = action.astype(np.float32)
            next_obs, reward, terminated, truncated, info = env.step(action)
            done = terminated or truncated
            info = dict(info, **({"TimeLimit.truncated": True} if truncated and not terminated else {}))
            model.replay_buffer.add(
                _batch(obs, channel_first),
                _batch(next_obs, channel_first),
                action[None],
                np.array([reward]),
                np.array([done]),
                [info],
            )
            obs, steps = next_obs, steps + 1
        successes += bool(info.get("is_success", False))
    return steps, successes / max(episodes, 1)


def _batch(obs, channel_first: bool = False):
    """One observation as a batch of one, the layout the replay buffer stores per env."""
    if isinstance(obs, dict):
        return {key: np.asarray(value)[None] for key, value in obs.items()}
    obs = np.asarray(obs)
    return (np.transpose(obs, (2, 0, 1)) if channel_first else obs)[None]


def add_dataset_demonstrations(model: SAC, env, dataset, episodes: int = 0) -> tuple[int, int]:
    """The dataset's first `episodes` episodes (0: all) into model's replay buffer, as the env gave them.
    `env` is built like the training env: the dataset must have been collected in it. Returns (env
    steps, episodes)."""
    if dataset.observation_space != env.observation_space or dataset.action_space != env.action_space:
        raise ValueError(
            f"the dataset's spaces ({dataset.observation_space}, {dataset.action_space}) are not the run "
            f"env's ({env.observation_space}, {env.action_space}): collect it with the run's env "
            "arguments (robo2d collect --env-kwargs)"
        )
    channel_first = env.observation_space.shape != model.observation_space.shape
    steps, taken = 0, 0
    for episode in dataset.iterate_episodes():
        if episodes and taken >= episodes:
            break
        for t in range(len(episode.actions)):
            terminated, truncated = bool(episode.terminations[t]), bool(episode.truncations[t])
            info = {key: value[t + 1] for key, value in (episode.infos or {}).items()}  # [0]: reset's
            info.update({"TimeLimit.truncated": True} if truncated and not terminated else {})
            model.replay_buffer.add(
                _batch(_at(episode.observations, t), channel_first),
                _batch(_at(episode.observations, t + 1), channel_first),
                np.asarray(episode.actions[t], dtype=np.float32)[None],
                np.array([episode.rewards[t]]),
                np.array([terminated or truncated]),
                [info],
            )
            steps += 1
        taken += 1
    return steps, taken


def _at(observations, t: int):
    """Step t of an episode's observations (a Dict observation is a dict of arrays)."""
    if isinstance(observations, dict):
        return {key: value[t] for key, value in observations.items()}
    return observations[t]
