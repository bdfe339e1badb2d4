"""Helpers for the tutorials (examples/ and their notebooks): a small-budget switch and the shared
train / evaluate / record / plot recipe of the RL tutorials."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import gymnasium as gym

from robo2d.run.config import RunConfig, agents_dir, load_config
from robo2d.run.environment import make_env
from robo2d.run.evaluation import evaluate_policy, record_video
from robo2d.run.folder import RunFolder
from robo2d.run.loading import load_agent
from robo2d.run.train import train

SMALL_BUDGET_VARIABLE = "ROBO2D_SMALL_BUDGET"
SMALL_STEPS = 300


def small_budget() -> bool:
    return os.environ.get(SMALL_BUDGET_VARIABLE) == "1"


def budget(full: int, small: int) -> int:
    """`full` normally; `small` when ROBO2D_SMALL_BUDGET=1 (the test suite, quick looks)."""
    return small if small_budget() else full


def show(path: Path) -> None:
    """Display an image or GIF inline in a notebook; print its path elsewhere."""
    try:
        from IPython.display import Image, display

        display(Image(filename=str(path)))
    except ImportError:
        print(f"wrote {path}")


def tutorial_config(env_id: str, steps: int) -> RunConfig:
    """The shipped config with the tutorial's budget (tiny networks' worth under the small budget)."""
    config = load_config(env_id)
    sac = dict(
        config.sac,
        learning_starts=budget(config.sac.get("learning_starts", 1000), 100),
        buffer_size=budget(config.sac.get("buffer_size", 100000), 1000),
    )
    env_kwargs = config.env_kwargs
    if small_budget():
        sac["batch_size"] = 16
        if "Pixel" in env_id:
            env_kwargs = {**env_kwargs, "image_size": 40}
    demos = config.demonstrations
    if demos is not None:
        demos = dataclasses.replace(demos, episodes=budget(demos.episodes, 2))
    return config.replace(
        seed=0,
        total_timesteps=budget(steps, SMALL_STEPS),
        eval_freq=budget(max(steps // 10, 1000), 300),
        eval_episodes=budget(50, 1),
        checkpoint_freq=budget(config.checkpoint_freq, 300),
        sac=sac,
        env_kwargs=env_kwargs,
        demonstrations=demos,
    )


def run_tutorial(env_id: str, steps: int) -> Path:
    """Train SAC with the shipped config, evaluate, record, plot; then show the shipped agent if any."""
    env = gym.make(env_id)
    print(env_id, "observation", env.observation_space, "action", env.action_space)
    env.close()
    run = train(tutorial_config(env_id, steps), Path("runs") / f"tutorial_{env_id}", progress_bar=False)
    agent, config = load_agent(str(run))
    result = evaluate_policy(agent, make_env(config), episodes=budget(50, 1))
    print(f"trained here: success {result.success_rate:.2f}, mean return {result.mean_return:.2f}")
    show(RunFolder(run).curve)
    show(record_video(agent, make_env(config, render_mode="rgb_array"), run / "episode.gif", episodes=1))
    if (agents_dir() / f"{env_id}.zip").is_file():
        shipped, shipped_config = load_agent(env_id)
        result = evaluate_policy(shipped, make_env(shipped_config), episodes=budget(100, 2))
        print(f"shipped agent: success {result.success_rate:.2f} over {result.episodes} episodes")
        show(record_video(shipped, make_env(shipped_config, render_mode="rgb_array"), run / "shipped.gif", 1))
    else:
        print(f"no trained agent is shipped for {env_id} yet: train it with `robo2d train {env_id}`")
    return run
