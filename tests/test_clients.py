"""Clients nobody on the project wrote drive every id: TorchRL, Gymnasium's vector API and its
performance helpers. Each test is what a user of that client does first."""

import gymnasium as gym
import numpy as np
import pytest

import robo2d


@pytest.mark.parametrize("env_id", robo2d.ENV_IDS)
def test_unknown_argument_speaks_pythons_words(env_id):
    """Python's own wording first (clients match on it), then robo2d's hint and the valid names."""
    with pytest.raises(TypeError) as err:
        gym.make(env_id, frameskip=4)
    message = str(err.value)
    assert "got an unexpected keyword argument 'frameskip'" in message
    assert "Valid arguments:" in message and "render_mode" in message
    with pytest.raises(TypeError, match="Did you mean 'reward_type'"):
        gym.make(env_id, reward_typ="sparse")


@pytest.mark.parametrize("env_id", robo2d.ENV_IDS)
def test_torchrl_gym_env_and_its_spec_check(env_id):
    torchrl_envs = pytest.importorskip("torchrl.envs", reason="TorchRL is not installed (make installs it)")
    from torchrl.envs.utils import check_env_specs

    env = torchrl_envs.GymEnv(env_id)  # passes frameskip= first, retries without it on the TypeError
    try:
        check_env_specs(env, seed=0)
        rollout = env.rollout(5)
        assert rollout.batch_size[0] == 5
    finally:
        env.close()


@pytest.mark.parametrize("env_id", robo2d.ENV_IDS)
def test_autoreset_mode_is_declared_and_holds_in_a_vector_env(env_id):
    env = gym.make(env_id)
    mode = env.metadata["autoreset_mode"]
    env.close()
    vec = gym.make_vec(env_id, num_envs=2, vectorization_mode="sync")
    assert vec.metadata["autoreset_mode"] == mode
    vec.reset(seed=0)
    steps = gym.spec(env_id).max_episode_steps
    for _ in range(steps):
        _, _, _, truncated, _ = vec.step(np.zeros(vec.action_space.shape, dtype=np.float32))
    assert truncated.all()
    obs, rewards, *_ = vec.step(np.zeros(vec.action_space.shape, dtype=np.float32))  # the reset step
    assert np.all(rewards == 0.0), "next-step autoreset: the step after the end only resets"
    vec.close()
