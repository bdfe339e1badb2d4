"""reset(seed) replays bit for bit: in one env after other episodes, and in a fresh process."""

import json
import subprocess
import sys

import gymnasium as gym
import numpy as np
import pytest

from robo2d import ENV_IDS
from robo2d.oracles import make_oracle
from tests.conftest import flatten, rollout

N_STEPS = 40


def _actions(env, seed=7):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (N_STEPS, env.action_space.shape[0])).astype(np.float32)


def test_same_seed_same_episode_after_other_episodes(any_case):
    case = any_case
    env = case.make()
    actions = _actions(env)
    first_obs, first_rew = rollout(env, 5, actions)
    rollout(env, 6, actions[::-1])
    rollout(env, 7, actions)
    for _ in range(2):  # after other episodes, and straight after itself
        again_obs, again_rew = rollout(env, 5, actions)
        assert first_rew == again_rew
        for a, b in zip(first_obs, again_obs):
            np.testing.assert_array_equal(flatten(a), flatten(b))
    env.close()


#: ids whose episodes through contacts still carry their env's earlier episodes: PyBullet's collision
#: pairs (the order the solver takes the contacts in) survive restoreState, so an episode that pushes
#: the puck can differ in its last digits, then more, from the same episode in a fresh env (about 1 in
#: 10 oracle episodes). Bullet's `deterministicOverlappingPairs` removes it, but also changes the
#: pushers' and the suction id's recorded trajectories, which are the ids' contract.
CONTACT_HISTORY = {"Robo2DPusher-v0", "Robo2DIKPusher-v0"}


def _oracle_rewards(env, seed: int) -> list[float]:
    act, (obs, _) = make_oracle(env), env.reset(seed=seed)
    rewards, done = [], False
    while not done:
        obs, reward, terminated, truncated, _ = env.step(act(obs))
        rewards.append(reward)
        done = terminated or truncated
    return rewards


@pytest.mark.parametrize(
    "env_id",
    [
        pytest.param(i, marks=pytest.mark.xfail(strict=True, reason="contact pairs outlive restoreState"))
        if i in CONTACT_HISTORY
        else i
        for i in ENV_IDS
    ],
)
def test_an_episode_through_contacts_does_not_remember_the_one_before(env_id):
    """The oracle's episodes (grasps, pushes): each the same in a fresh env and after another episode."""
    env = gym.make(env_id)
    for seed in range(10):
        fresh_env = gym.make(env_id)
        fresh = _oracle_rewards(fresh_env, seed)
        fresh_env.close()
        _oracle_rewards(env, 100 + seed)
        assert _oracle_rewards(env, seed) == fresh, f"seed {seed}"
    env.close()


def test_different_seeds_differ(any_case):
    case = any_case
    env = case.make()
    a, _ = env.reset(seed=1)
    b, _ = env.reset(seed=2)
    assert not np.array_equal(flatten(a), flatten(b))
    env.close()


_CHILD = """
import json, sys, numpy as np, gymnasium as gym
env = gym.make(sys.argv[1], **json.loads(sys.argv[2]))
rng = np.random.default_rng(7)
actions = rng.uniform(-1, 1, ({n}, env.action_space.shape[0])).astype(np.float32)
obs, _ = env.reset(seed=11)
out = [np.asarray(obs).ravel().tobytes().hex()]
for a in actions:
    obs, r, *_ = env.step(a)
    out.append(np.asarray(obs).ravel().tobytes().hex() + repr(r))
print(json.dumps(out))
"""


@pytest.mark.child_process
def test_determinism_across_processes(any_case):
    """A fresh process (empty registry: gym.make('robo2d:ID')) reproduces this one's episode."""
    case = any_case
    code = _CHILD.format(n=N_STEPS).replace("gym.make(sys.argv[1]", "gym.make('robo2d:' + sys.argv[1]")
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code, case.id, json.dumps(case.kwargs)],
                capture_output=True,
                text=True,
                check=True,
                timeout=300,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    env = case.make()
    actions = np.random.default_rng(7).uniform(-1, 1, (N_STEPS, env.action_space.shape[0])).astype(np.float32)
    obs, rew = rollout(env, 11, actions)
    local = [np.asarray(obs[0]).ravel().tobytes().hex()]
    local += [np.asarray(o).ravel().tobytes().hex() + repr(r) for o, r in zip(obs[1:], rew)]
    assert local == runs[0]
    env.close()
