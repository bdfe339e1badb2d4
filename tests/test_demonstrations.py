"""Oracle demonstrations go into the replay buffer as whole episodes that HER can relabel."""

from pathlib import Path

import numpy as np
import pytest
from stable_baselines3.common.vec_env import VecTransposeImage

from robo2d.training.config import apply_overrides, load_config
from robo2d.training.demonstrations import (
    DEMO_SEED_OFFSET,
    add_demonstrations,
    demonstration_settings,
)
from robo2d.training.models import make_env, new_model
from robo2d.training.train import _build_vec_env

EPISODE_STEPS = 50  # Robo2DReacher-v0's time limit


def reacher_config(**demonstrations) -> dict:
    config = load_config("Robo2DReacher-v0")
    config["seed"] = 0
    return apply_overrides(config, [f"demonstrations={demonstrations!r}"]) if demonstrations else config


def test_demonstrations_fill_the_her_buffer_with_whole_episodes(tmp_path: Path):
    config = reacher_config(episodes=2, noise=0.0)
    model = new_model(config, _build_vec_env(config, gui=False))
    steps, success = add_demonstrations(model, make_env(config), config["env_id"], 2, 0.0, seed=0)
    buffer = model.replay_buffer
    assert steps == buffer.size() == 2 * EPISODE_STEPS
    assert success == 1.0  # the noiseless oracle solves the reacher
    assert list(buffer.ep_length[: buffer.size(), 0]) == [EPISODE_STEPS] * buffer.size()
    batch = buffer.sample(64, env=model.get_vec_normalize_env())  # HER relabels demonstration goals
    assert batch.rewards.shape == (64, 1)


def test_demonstration_settings():
    assert demonstration_settings(reacher_config()) is None
    assert demonstration_settings(reacher_config(episodes=5, noise=0.1)) == (5, 0.1)
    with pytest.raises(ValueError, match="noise"):
        demonstration_settings(reacher_config(episodes=5, noise=-1))
    with pytest.raises(ValueError, match="n_envs"):
        demonstration_settings(dict(reacher_config(episodes=5), n_envs=2))


def test_demonstrations_with_stacked_image_frames(tmp_path: Path):
    """The pixel oracle reads the newest frame of the stack; transitions go to the DrQ buffer."""
    config = apply_overrides(
        load_config("Robo2DPixelReacher-v0"), ["seed=0", "sac.buffer_size=500", "env_kwargs.image_size=40"]
    )
    model = new_model(config, _build_vec_env(config, gui=False))
    env = make_env(config)
    steps, _ = add_demonstrations(model, env, config["env_id"], 1, 0.1, seed=0)
    assert steps == model.replay_buffer.size() == EPISODE_STEPS
    first, _ = env.reset(seed=DEMO_SEED_OFFSET)  # the demonstration's own first observation
    assert np.array_equal(model.replay_buffer.observations[0, 0], VecTransposeImage.transpose_image(first))
    assert model.replay_buffer.sample(8).observations.shape == (8, 9, 40, 40)
