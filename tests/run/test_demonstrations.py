"""Oracle demonstrations go into the replay buffer as whole episodes that HER can relabel."""

from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from stable_baselines3.common.vec_env import VecTransposeImage

from robo2d.catalog import ENV_IDS
from robo2d.rl.models import new_model
from robo2d.run import periodic
from robo2d.run import train as training
from robo2d.run.config import ConfigError, Demonstrations, RunConfig, apply_overrides, load_config
from robo2d.run.config_checks import check_arguments
from robo2d.run.demonstrations import add_demonstrations
from robo2d.run.environment import make_env
from robo2d.run.seeds import DEMONSTRATION, HELD_OUT, PERIODIC_EVALUATION, STREAM_WIDTH, stream_seeds
from robo2d.run.train import build_vec_env
from tests.conftest import flatten

EPISODE_STEPS = 50  # Robo2DReacher-v0's time limit


def reacher_config(**demonstrations) -> RunConfig:
    config = load_config("Robo2DReacher-v0", seed=0)
    return apply_overrides(config, [f"demonstrations={demonstrations!r}"]) if demonstrations else config


def test_demonstrations_fill_the_her_buffer_with_whole_episodes(tmp_path: Path):
    config = reacher_config(episodes=2, noise=0.0)
    model = new_model(config.model, build_vec_env(config, gui=False))
    steps, success = add_demonstrations(model, make_env(config), config.env_id, 2, 0.0, seed=0)
    buffer = model.replay_buffer
    assert steps == buffer.size() == 2 * EPISODE_STEPS
    assert success == 1.0  # the noiseless oracle solves the reacher
    assert list(buffer.ep_length[: buffer.size(), 0]) == [EPISODE_STEPS] * buffer.size()
    batch = buffer.sample(64, env=model.get_vec_normalize_env())  # HER relabels demonstration goals
    assert batch.rewards.shape == (64, 1)


def test_demonstration_settings_are_checked():
    assert reacher_config().demonstrations is None
    assert reacher_config(episodes=5, noise=0.1).demonstrations == Demonstrations(5, 0.1)
    with pytest.raises(ConfigError, match="noise"):
        reacher_config(episodes=5, noise=-1)
    with pytest.raises(ConfigError, match="episodes"):
        reacher_config(episodes=2.5)
    with pytest.raises(ConfigError, match="demonstrations.noize is not an entry"):
        reacher_config(episodes=5, noize=0.1)
    with pytest.raises(ConfigError, match="n_envs"):
        check_arguments(reacher_config(episodes=5).replace(n_envs=2))


def test_demonstrations_with_stacked_image_frames(tmp_path: Path):
    """The pixel oracle reads the newest frame of the stack; transitions go to the DrQ buffer."""
    config = apply_overrides(
        load_config("Robo2DPixelReacher-v0"), ["seed=0", "sac.buffer_size=500", "env_kwargs.image_size=40"]
    )
    model = new_model(config.model, build_vec_env(config, gui=False))
    env = make_env(config)
    steps, _ = add_demonstrations(model, env, config.env_id, 1, 0.1, seed=0)
    assert steps == model.replay_buffer.size() == EPISODE_STEPS
    first, _ = env.reset(seed=DEMONSTRATION)  # the demonstration's own first observation
    assert np.array_equal(model.replay_buffer.observations[0, 0], VecTransposeImage.transpose_image(first))
    assert model.replay_buffer.sample(8).observations.shape == (8, 9, 40, 40)


class StartStates(gym.Wrapper):
    """Records the observation every reset starts from."""

    def __init__(self, env) -> None:
        super().__init__(env)
        self.starts: list[bytes] = []

    def reset(self, **kwargs):
        obs, info = self.env.reset(**kwargs)
        self.starts.append(flatten(obs).tobytes())
        return obs, info


def test_no_evaluation_episode_starts_from_a_demonstrated_state(tmp_path: Path, monkeypatch):
    """A real run with demonstrations and periodic evaluations, then a held-out evaluation: the start
    states each saw (recorded in the envs the run built) do not meet."""
    envs = []

    def recorded(config, render_mode=None):
        envs.append(StartStates(make_env(config, render_mode)))
        return envs[-1]

    monkeypatch.setattr(training, "make_env", recorded)
    monkeypatch.setattr(periodic, "make_env", recorded)
    # evaluated in this process, where the envs are recorded (a second process uses the same seeds)
    schedule = ["total_timesteps=100", "eval_freq=50", "eval_episodes=20", "checkpoint_freq=0", "n_envs=1"]
    config = apply_overrides(
        reacher_config(episodes=20, noise=0.1), [*schedule, "background_evaluation=false"]
    )
    training.train(config, tmp_path / "run", progress_bar=False)
    demonstration, *evaluation = envs  # train() builds them in this order
    evaluation_starts = [start for env in evaluation for start in env.starts]
    assert len(demonstration.starts) == 20 and len(evaluation_starts) == 40
    held_out = StartStates(make_env(config))
    for seed in stream_seeds(HELD_OUT, 0, 100):
        held_out.reset(seed=seed)
    demonstrated, evaluated = set(demonstration.starts), set(evaluation_starts)
    assert len(demonstrated) == 20  # each demonstration from a state of its own
    assert not demonstrated & evaluated and not demonstrated & set(held_out.starts)


@pytest.mark.parametrize("env_id", ENV_IDS)
def test_shipped_configs_keep_their_streams_apart(env_id):
    """Every shipped config at run seeds up to 100: demonstration and periodic-evaluation seeds stay inside
    their streams, which are disjoint from each other and from held-out evaluation at --seed < 1000."""
    config = load_config(env_id)
    demos = config.demonstrations.episodes if config.demonstrations else 0
    for seed in range(100):
        streams = [
            set(stream_seeds(DEMONSTRATION, seed, demos)),
            set(stream_seeds(PERIODIC_EVALUATION, seed, config.eval_episodes)),
            set(stream_seeds(HELD_OUT, 1000, 200)),
        ]
        assert sum(map(len, streams)) == len(set().union(*streams))
        assert max(max(s, default=0) - min(s, default=0) for s in streams) < STREAM_WIDTH
