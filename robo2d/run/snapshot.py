"""What a checkpoint holds besides SB3's model and replay buffer, so a resumed run continues bit for bit.

SB3 saves networks, optimisers and the replay buffer, not the random streams: torch's, CPU and GPU (action
sampling, SAC's updates), numpy's global generator (replay batches, hindsight goals), Python's and
the action space's (random actions before ``learning_starts``), and of an SBX model the JAX key its
updates draw from (its load starts that key afresh from the seed). Nor the training envs, whose PyBullet
state lives in memory only. Envs can be rebuilt exactly where each has just begun an episode: it then
replays its last reset from the generator state it had before it. robo2d episodes all have a fixed
length, so checkpoints at multiples of it (every shipped config) are such points; elsewhere a resumed
run begins new episodes and continues close to, not exactly like, the uninterrupted run.
"""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import numpy as np
import torch
from stable_baselines3 import SAC

from robo2d.rl.backends import is_sbx
from robo2d.run.folder import atomic_file

RANDOM_STATE_FILE = "random_state.pkl"


def save_random_state(model: SAC, folder: Path, consistent: bool = True) -> None:
    """Random streams and each env's episode state; `consistent` False: the run stopped mid-step."""
    env = model.get_env()
    state = {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        "numpy": np.random.get_state(),
        "python": random.getstate(),
        "action_space": model.action_space.np_random.bit_generator.state,
        "jax_key": np.asarray(model.key) if is_sbx(model) else None,
        "at_episode_start": consistent and all(steps == 0 for steps in env.get_attr("_elapsed_steps")),
        "episode_random_states": env.get_attr("episode_random_state"),
    }
    with atomic_file(folder / RANDOM_STATE_FILE) as temporary, temporary.open("wb") as f:
        pickle.dump(state, f)


def read_random_state(folder: Path) -> dict | None:
    """The saved state, or None for a checkpoint written without one."""
    path = folder / RANDOM_STATE_FILE
    if not path.is_file():
        return None
    with path.open("rb") as f:
        return pickle.load(f)


def restore_random_state(model: SAC, state: dict) -> None:
    """Random streams back; at an episode start also each env, by replaying its last reset.

    Call after loading model and replay buffer (loading draws from torch's stream to build networks).
    """
    torch.set_rng_state(state["torch"])
    if state.get("cuda") is not None and torch.cuda.is_available():  # checkpoints from before lack it
        torch.cuda.set_rng_state_all(state["cuda"])
    np.random.set_state(state["numpy"])
    random.setstate(state["python"])
    model.action_space.np_random.bit_generator.state = state["action_space"]
    if state.get("jax_key") is not None:  # checkpoints from before lack it
        import jax.numpy as jnp

        model.key = jnp.asarray(state["jax_key"])
    if not state["at_episode_start"]:
        return
    env = model.get_env()
    for index, generator_state in enumerate(state["episode_random_states"]):
        generator = np.random.Generator(getattr(np.random, generator_state["bit_generator"])())
        generator.bit_generator.state = generator_state
        env.set_attr("np_random", generator, indices=index)
    env.env_method("reset")  # each env's whole wrapper stack; observation statistics stay as saved
