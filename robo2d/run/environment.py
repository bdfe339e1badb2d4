"""The env a run trains and evaluates in, as its config describes it."""

from __future__ import annotations

import gymnasium as gym

import robo2d  # noqa: F401  (registers the ids)
from robo2d.rl.drq import ChannelFrameStack
from robo2d.run.config import RunConfig


def make_env(config: RunConfig, render_mode: str | None = None) -> gym.Env:
    """One env as the config trains it: goal-conditioned for HER, frames stacked for image agents."""
    env = gym.make(config.env_id, render_mode=render_mode, **config.env_arguments)
    if config.frame_stack:
        env = ChannelFrameStack(env, config.frame_stack)
    return env
