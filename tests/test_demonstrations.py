"""Oracle demonstrations go into the replay buffer as whole episodes that HER can relabel."""

from pathlib import Path

import pytest

from robo2d.training.config import apply_overrides, load_config
from robo2d.training.demonstrations import add_demonstrations, demonstration_settings
from robo2d.training.train import _build_vec_env, _new_model, make_env

EPISODE_STEPS = 50  # Robo2DReacher-v0's time limit


def reacher_config(**demonstrations) -> dict:
    config = load_config("Robo2DReacher-v0")
    config["seed"] = 0
    return apply_overrides(config, [f"demonstrations={demonstrations!r}"]) if demonstrations else config


def test_demonstrations_fill_the_her_buffer_with_whole_episodes(tmp_path: Path):
    config = reacher_config(episodes=2, noise=0.0)
    model = _new_model(config, _build_vec_env(config, gui=False), tmp_path)
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
