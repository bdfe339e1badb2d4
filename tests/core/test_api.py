"""API compliance of every id: both env checkers, spaces, info, render, metadata."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env
from stable_baselines3.common.env_checker import check_env as sb3_check_env

import robo2d


@pytest.mark.parametrize("goal_conditioned", [False, True])
@pytest.mark.parametrize("reward_type", ["dense", "sparse"])
def test_env_checkers(case, goal_conditioned, reward_type):
    if goal_conditioned and not type(case.make().unwrapped).supports_goal_conditioned:
        with pytest.raises(ValueError, match="no goal-conditioned mode"):
            case.make(goal_conditioned=True)
        return
    env = case.make(goal_conditioned=goal_conditioned, reward_type=reward_type)
    check_env(env.unwrapped, skip_render_check=True)
    sb3_check_env(env.unwrapped, warn=False)
    env.close()


def test_flat_env_has_no_compute_reward(case):
    """SB3 treats any env with compute_reward as a goal env, so only goal mode may expose it."""
    env = case.make()
    assert not hasattr(env.unwrapped, "compute_reward")
    env.close()


def test_spaces_and_info(case):
    env = case.make()
    assert env.action_space == gym.spaces.Box(-1, 1, env.action_space.shape, np.float32)
    assert env.observation_space.dtype in (np.float32, np.uint8)
    obs, info = env.reset(seed=0)
    assert obs in env.observation_space
    for _ in range(5):
        obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
        assert obs in env.observation_space and obs.dtype == env.observation_space.dtype
        assert isinstance(reward, float) and "is_success" in info
        terms = [v for k, v in info.items() if k.startswith("reward_")]
        assert len(terms) >= 2
    env.close()


def test_dense_reward_is_sum_of_named_terms(case):
    env = case.make()
    env.reset(seed=1)
    for _ in range(5):
        _, reward, _, _, info = env.step(env.action_space.sample())
        assert reward == pytest.approx(sum(v for k, v in info.items() if k.startswith("reward_")), abs=1e-9)
    env.close()


def test_time_limit_truncates(case):
    env = case.make()
    env.reset(seed=0)
    steps, truncated, terminated = 0, False, False
    while not (truncated or terminated):
        _, _, terminated, truncated, _ = env.step(env.action_space.sample())
        steps += 1
    assert truncated and not terminated
    assert steps == gym.spec(case.id).max_episode_steps
    env.close()


def test_render_rgb_array_and_fps(case):
    env = case.make(render_mode="rgb_array")
    env.reset(seed=0)
    frame = env.render()
    assert frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3
    assert frame.std() > 5, "the frame should show a scene, not a blank image"
    fps = env.unwrapped.metadata["render_fps"]
    assert fps == pytest.approx(1.0 / env.unwrapped.sim.control_dt)
    env.close()


def test_registry_lists_all_ids():
    assert len(robo2d.ENV_IDS) == len(set(robo2d.ENV_IDS)) >= 1
    for env_id in robo2d.ENV_IDS:
        assert env_id in gym.registry and env_id.startswith("Robo2D") and env_id.endswith("-v0")
