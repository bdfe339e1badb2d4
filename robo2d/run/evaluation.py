"""Deterministic evaluation and video recording of trained agents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gymnasium as gym
import numpy as np

from robo2d.run.seeds import HELD_OUT, stream_seeds
from robo2d.studies.statistics import wilson_interval


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


def evaluate_policy(model, env: gym.Env, episodes: int, seed: int = 0, stream: int = HELD_OUT) -> EvalResult:
    """Run `episodes` deterministic episodes from one seed stream (robo2d.run.seeds: held-out by
    default, the periodic-evaluation stream in training); success is the last step's flag."""
    successes, returns = [], []
    seeds = stream_seeds(stream, seed, episodes)
    for reset_seed in seeds:
        obs, info = env.reset(seed=reset_seed)
        total, done = 0.0, False
        while not done:
            action, _ = model.predict(obs, deterministic=True)
            obs, reward, terminated, truncated, info = env.step(action)
            total += float(reward)
            done = terminated or truncated
        successes.append(bool(info["is_success"]))
        returns.append(total)
    return EvalResult(float(np.mean(successes)), float(np.mean(returns)), episodes, seeds.start)


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
