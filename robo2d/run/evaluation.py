"""Deterministic evaluation and video recording of trained agents."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import gymnasium as gym
import numpy as np

from robo2d.run.seeds import HELD_OUT, stream_seeds

#: envs a training run evaluates on side by side (or fewer, for fewer episodes): one batched predict per
#: step for all of them. Timed once on the shipped agents: the reacher's evaluation about 5x faster on 25
#: envs than on one, the jaw's 1.4x (its physics dominates); 50 or 100 envs gained little more
EVALUATION_ENVS = 25
#: rows of every batched predict (at least): from 16 rows up, a row's actions were the same bits whatever
#: the row count, for every shipped agent's networks
MIN_BATCH_ROWS = 16
Z_95 = 1.959963984540054  # two-sided 95% quantile of the standard normal


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval of a success rate: honest near 0 and 1, where the normal interval is not."""
    if trials <= 0:
        raise ValueError(f"an interval needs at least one trial, got {trials}")
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be within 0-{trials}, got {successes}")
    p, z2 = successes / trials, z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    low = 0.0 if successes == 0 else max(0.0, centre - half)  # exact at the ends (no rounding past p)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@dataclass
class EvalResult:
    success_rate: float
    mean_return: float
    episodes: int
    first_seed: int = HELD_OUT  # reset seeds first_seed ... first_seed + episodes - 1

    @property
    def interval(self) -> tuple[float, float]:
        """Wilson 95% confidence interval of the success rate."""
        return wilson_interval(round(self.success_rate * self.episodes), self.episodes)


def evaluate_policy(
    model, env: gym.Env | Sequence[gym.Env], episodes: int, seed: int = 0, stream: int = HELD_OUT
) -> EvalResult:
    """Run `episodes` deterministic episodes from one seed stream (robo2d.run.seeds: held-out by
    default, the periodic-evaluation stream in training); success is the last step's flag.

    Given several envs (copies of one env), they run episodes side by side and the model acts for all
    of them in one batched ``predict`` per step: the same reset seeds, one network call per step
    instead of one per env. Batches have a fixed number of rows (``MIN_BATCH_ROWS``, or one per env if
    more; the tail padded with copies): a network's output for a row can differ in its last bits
    between a 1-row and a many-row product, and a contact-rich episode can then end otherwise; with a
    fixed row count the numbers do not depend on how many envs run them. One env is the plain loop, as
    ``robo2d evaluate`` runs it. (The pushers' contacts also remember an env's previous episode, so
    the split of episodes over envs still shows there: a training run always uses
    ``EVALUATION_ENVS``.)"""
    envs = [env] if isinstance(env, gym.Env) else list(env)
    rows = 1 if len(envs) == 1 else max(len(envs), MIN_BATCH_ROWS)
    seeds = stream_seeds(stream, seed, episodes)
    queue = iter(enumerate(seeds))
    running: dict[int, _Episode] = {}  # env index -> its episode
    successes, returns = np.zeros(episodes, bool), np.zeros(episodes)
    for k in range(min(len(envs), episodes)):
        running[k] = _Episode.start(envs[k], *next(queue))
    while running:
        slots = list(running)
        actions = _act(model, [running[k].obs for k in slots], rows)
        for k, action in zip(slots, actions):
            episode = running[k]
            if episode.step(envs[k], action):
                successes[episode.index], returns[episode.index] = episode.success, episode.total
                following = next(queue, None)
                if following is None:
                    del running[k]
                else:
                    running[k] = _Episode.start(envs[k], *following)
    return EvalResult(float(np.mean(successes)), float(np.mean(returns)), episodes, seeds.start)


@dataclass
class _Episode:
    """One evaluation episode in progress: its place in the seed stream, observation and return."""

    index: int
    obs: object
    total: float = 0.0
    success: bool = False

    @classmethod
    def start(cls, env: gym.Env, index: int, reset_seed: int) -> _Episode:
        obs, _ = env.reset(seed=reset_seed)
        return cls(index, obs)

    def step(self, env: gym.Env, action: np.ndarray) -> bool:
        """Act once; True when the episode has ended (success is then its last step's flag)."""
        self.obs, reward, terminated, truncated, info = env.step(action)
        self.total += float(reward)
        self.success = bool(info["is_success"])
        return terminated or truncated


def _act(model, observations: list, rows: int) -> list:
    """The model's deterministic actions for these observations: one plain ``predict`` for one env (any
    policy with the agents' interface, an oracle's too), else one batched call of `rows` rows (the tail
    padded with copies)."""
    if rows == 1:
        return [model.predict(observations[0], deterministic=True)[0]]
    batch = observations + observations[:1] * (rows - len(observations))
    actions, _ = model.predict(_stacked(batch), deterministic=True)
    return list(actions[: len(observations)])


def _stacked(observations: list):
    """A batch of observations, as a vectorised env gives them: arrays stacked, dicts key by key."""
    if isinstance(observations[0], dict):
        return {key: np.stack([obs[key] for obs in observations]) for key in observations[0]}
    return np.stack(observations)


def record_video(
    model, env: gym.Env, path: Path, episodes: int, seed: int = 0, observations: bool = False
) -> Path:
    """Write `episodes` deterministic episodes to an MP4 or GIF (by suffix): rgb_array renders, or with
    `observations` the image observations themselves (what a pixel agent sees, last 3 channels)."""
    import imageio.v2 as imageio

    space = env.observation_space
    if observations and not (space.dtype == np.uint8 and len(space.shape) == 3):
        raise ValueError(
            "observations=True records image observations (uint8, height x width x channels), but this "
            f"env's are {type(space).__name__} {space.shape} {space.dtype}; use an image env "
            "(Robo2DPixelReacher-v0), or record renders"
        )

    def frame(obs):
        return np.asarray(obs)[..., -3:] if observations else env.render()

    frames = []
    for reset_seed in stream_seeds(HELD_OUT, seed, episodes):
        obs, _ = env.reset(seed=reset_seed)
        frames.append(frame(obs))
        done = False
        while not done:
            action, _ = model.predict(obs, deterministic=True)
            obs, _, terminated, truncated, _ = env.step(action)
            frames.append(frame(obs))
            done = terminated or truncated
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fps = env.metadata.get("render_fps", 20)
    if path.suffix == ".gif":
        imageio.mimsave(path, frames, duration=1000 / fps, loop=0)
    else:
        imageio.mimsave(path, frames, fps=fps, macro_block_size=1)
    return path
