"""Goal-conditioned mode: batched compute_reward agrees with step rewards, and HER trains."""

import numpy as np
import pytest


@pytest.mark.parametrize("reward_type", ["dense", "sparse"])
def test_compute_reward_batches_and_agrees(goal_case, reward_type):
    env = goal_case.make(goal_conditioned=True, reward_type=reward_type)
    obs, _ = env.reset(seed=0)
    achieved, desired, infos, rewards = [], [], [], []
    for _ in range(30):
        obs, reward, _, _, info = env.step(env.action_space.sample())
        achieved.append(obs["achieved_goal"])
        desired.append(obs["desired_goal"])
        infos.append(info)
        rewards.append(reward)
        assert env.unwrapped.compute_reward(obs["achieved_goal"], obs["desired_goal"], info) == reward
    batch = env.unwrapped.compute_reward(np.array(achieved), np.array(desired), np.array(infos))
    assert batch.shape == (30,)
    np.testing.assert_allclose(batch, rewards, rtol=0, atol=1e-12)
    env.close()


def test_relabelled_goal_gives_success(goal_case):
    """Hindsight: achieved goal as desired goal is a success (sparse reward 0)."""
    env = goal_case.make(goal_conditioned=True, reward_type="sparse")
    obs, _ = env.reset(seed=0)
    obs, _, _, _, info = env.step(env.action_space.sample())
    r = env.unwrapped.compute_reward(obs["achieved_goal"][None], obs["achieved_goal"][None], [info])
    assert r.shape == (1,) and r[0] == 0.0
    env.close()


@pytest.mark.slow
def test_her_smoke(goal_case):
    from stable_baselines3 import SAC, HerReplayBuffer

    env = goal_case.make(goal_conditioned=True, reward_type="sparse")
    model = SAC(
        "MultiInputPolicy",
        env,
        replay_buffer_class=HerReplayBuffer,
        learning_starts=100,
        buffer_size=2000,
        batch_size=32,
        policy_kwargs={"net_arch": [32, 32]},
        seed=0,
    )
    model.learn(300)
    assert model.num_timesteps == 300 and model.replay_buffer.size() > 0
    batch = model.replay_buffer.sample(256)  # hindsight goals mixed in: their rewards are recomputed
    unwrapped = env.unwrapped
    expected = unwrapped.compute_reward(
        batch.next_observations["achieved_goal"].numpy(), batch.observations["desired_goal"].numpy(), {}
    )
    np.testing.assert_array_equal(batch.rewards.numpy().ravel(), expected)
    env.close()


def test_the_goal_conditioned_env_keeps_the_ids_spec_and_home(goal_case):
    """help() and the docs of a goal-conditioned env show the id's docstring, and its class is named
    and placed beside the id's own class (where pickles and reprs look for it)."""
    env = goal_case.make(goal_conditioned=True)
    plain = goal_case.make()
    cls, base = type(env.unwrapped), type(plain.unwrapped)
    assert cls.__doc__ == base.__doc__ and cls.__doc__
    assert (cls.__module__, cls.__name__) == (base.__module__, f"{base.__name__}GoalConditioned")
    env.close()
    plain.close()
