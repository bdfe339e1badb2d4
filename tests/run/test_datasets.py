"""Minari datasets of robo2d episodes: written by `robo2d collect`, reloaded, replayed bit for bit from
their seeds and actions, and read back as demonstrations."""

from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

import robo2d
from robo2d.cli import main

minari = pytest.importorskip("minari", reason="Minari is not installed (the datasets extra)")

from robo2d.run.datasets import collect, episode_seeds, load  # noqa: E402


def _observations_equal(a, b) -> bool:
    if isinstance(a, dict):
        return all(np.array_equal(a[k], b[k]) for k in a)
    return np.array_equal(a, b)


def _at(observations, t):
    return {k: v[t] for k, v in observations.items()} if isinstance(observations, dict) else observations[t]


@pytest.mark.parametrize("env_id", robo2d.ENV_IDS)
def test_a_dataset_round_trips_and_replays_bit_for_bit(env_id, tmp_path: Path):
    kwargs = {"image_size": 40} if env_id == "Robo2DPixelReacher-v0" else {}
    dataset = collect(env_id, "oracle", 2, tmp_path, noise=0.1, seed=11, env_kwargs=kwargs)
    folder = tmp_path / dataset.spec.dataset_id
    loaded = load(str(folder))
    assert loaded.total_episodes == 2 and episode_seeds(loaded) == [11, 12]
    env = loaded.recover_environment()
    assert env.spec.id == env_id and env.spec.kwargs == {**gym.spec(env_id).kwargs, **kwargs}
    episode = list(loaded.iterate_episodes())[1]
    obs, _ = env.reset(seed=12)
    assert _observations_equal(obs, _at(episode.observations, 0))
    for t, action in enumerate(episode.actions):
        obs, reward, *_ = env.step(action)
        assert _observations_equal(obs, _at(episode.observations, t + 1)), f"step {t} differs"
        assert reward == episode.rewards[t]
    env.close()


def test_collect_command_writes_a_goal_conditioned_dataset(tmp_path: Path, capsys):
    args = ["collect", "Robo2DReacher-v0", "--episodes", "3", "--env-kwargs", "{goal_conditioned: true}"]
    main([*args, "--out", str(tmp_path), "--noise", "0.2"])
    assert "3 episodes, 150 steps" in capsys.readouterr().out
    dataset = load(str(tmp_path / "robo2d" / "reacher-oracle-v0"))
    assert set(dataset.observation_space.spaces) == {"observation", "achieved_goal", "desired_goal"}


def test_demonstrations_read_from_a_dataset_fill_the_her_buffer(tmp_path: Path):
    from robo2d.rl.models import new_model
    from robo2d.run.config import apply_overrides, load_config
    from robo2d.run.demonstrations import add_dataset_demonstrations
    from robo2d.run.environment import make_env
    from robo2d.run.train import build_vec_env

    collect("Robo2DReacher-v0", "oracle", 3, tmp_path, env_kwargs={"goal_conditioned": True})
    folder = tmp_path / "robo2d" / "reacher-oracle-v0"
    config = load_config("Robo2DReacher-v0")
    config = apply_overrides(config, ["seed=0", f"demonstrations={{'dataset': '{folder}', 'episodes': 2}}"])
    name, episodes = config.demonstrations.dataset, config.demonstrations.episodes
    model = new_model(config.model, build_vec_env(config, gui=False))
    steps, taken = add_dataset_demonstrations(model, make_env(config), load(name), episodes)
    assert (steps, taken) == (100, 2) and model.replay_buffer.size() == 100
    assert model.replay_buffer.sample(32, env=model.get_vec_normalize_env()).rewards.shape == (32, 1)


def test_a_dataset_of_another_env_is_refused(tmp_path: Path):
    from robo2d.rl.models import new_model
    from robo2d.run.config import apply_overrides, load_config
    from robo2d.run.demonstrations import add_dataset_demonstrations
    from robo2d.run.environment import make_env
    from robo2d.run.train import build_vec_env

    dataset = collect("Robo2DReacher-v0", "oracle", 1, tmp_path)  # flat observations; the recipe uses HER
    config = apply_overrides(load_config("Robo2DReacher-v0"), ["seed=0"])
    model = new_model(config.model, build_vec_env(config, gui=False))
    with pytest.raises(ValueError, match="collect it with the run's env arguments"):
        add_dataset_demonstrations(model, make_env(config), dataset)
