"""Record the golden trajectories of every id: `python -m tests.envs.golden.record`.

Each case is two episodes (reset(seed), noisy oracle and random actions to the time limit, reset with
the next seed) in one of the id's modes. The actions are stored, and every step's observation,
reward, flags and info are stored as a SHA-256 digest, so tests/envs/test_golden.py can replay the actions
and report the first step that differs. Re-record only for a deliberate, documented behaviour change.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import gymnasium as gym
import numpy as np

import robo2d

GOLDEN_FILE = Path(__file__).with_name("trajectories.json")
SEEDS = (3, 4)
CASES = (  # (name, make kwargs): default, sparse + goal-conditioned where offered
    ("default", {}),
    ("goal_sparse", {"goal_conditioned": True, "reward_type": "sparse"}),
)


def digest(obs, reward=None, terminated=None, truncated=None, info=None) -> str:
    """One step as a hash of its exact bytes and reprs."""
    h = hashlib.sha256()
    parts = obs.items() if isinstance(obs, dict) else [("obs", obs)]
    for key, value in sorted(parts):
        h.update(key.encode() + np.ascontiguousarray(value).tobytes())
    h.update(repr((reward, terminated, truncated, sorted((info or {}).items()))).encode())
    return h.hexdigest()[:16]


def replay(env_id: str, kwargs: dict, actions: list[list[np.ndarray]]) -> list[str]:
    """Digests of the episodes that `actions` (one list per seed) give."""
    env = gym.make(env_id, **kwargs)
    out = []
    for seed, episode in zip(SEEDS, actions):
        obs, info = env.reset(seed=seed)
        out.append(digest(obs, info=info))
        for action in episode:
            out.append(digest(*env.step(np.asarray(action, np.float32))))
    env.close()
    return out


def _record_actions(env_id: str, kwargs: dict) -> list[list[list[float]]]:
    from robo2d.oracles import make_oracle

    env = gym.make(env_id, **kwargs)
    oracle, rng, episodes = make_oracle(env), np.random.default_rng(0), []
    for seed in SEEDS:
        obs, _ = env.reset(seed=seed)
        actions, done = [], False
        while not done:
            flat = obs["observation"] if isinstance(obs, dict) else obs
            noisy = oracle(flat) + rng.normal(0, 0.3, env.action_space.shape)
            action = rng.uniform(-1.2, 1.2, env.action_space.shape) if rng.uniform() < 0.2 else noisy
            action = action.astype(np.float32)
            actions.append(action.tolist())
            obs, _, terminated, truncated, _ = env.step(action)
            done = terminated or truncated
        episodes.append(actions)
    env.close()
    return episodes


def cases() -> list[tuple[str, dict]]:
    """(label, kwargs) of every recorded case, per id."""
    out = []
    for env_id in robo2d.ENV_IDS:
        goal = type(gym.make(env_id).unwrapped).supports_goal_conditioned
        out += [(f"{env_id}/{name}", kw) for name, kw in CASES if goal or not kw.get("goal_conditioned")]
    return out


def main() -> None:
    """Record every case (the actions come from today's oracles, so a re-recording differs in them)."""
    golden = {}
    for label, kwargs in cases():
        env_id = label.split("/")[0]
        actions = _record_actions(env_id, kwargs)
        golden[label] = {"kwargs": kwargs, "actions": actions, "digests": replay(env_id, kwargs, actions)}
        print(label, len(golden[label]["digests"]), "steps")
    GOLDEN_FILE.write_text(json.dumps(golden))


if __name__ == "__main__":
    main()
