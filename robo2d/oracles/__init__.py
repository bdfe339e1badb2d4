"""Scripted policies that read only the public observation: proof that each task is solvable.

Each id's catalog entry names its oracle factory: ``factory(env) -> act(observation) -> action``,
built for one env (unwrapped) so it can use the robot's geometry; it reads the observation through
the env's named parts. A test asserts each oracle's success rate, with every shipped robot.
"""

from __future__ import annotations

import importlib

from robo2d.oracles.planar import Oracle


def make_oracle(env) -> Oracle:
    """The oracle of `env`'s id, built for this env (its robot and observation layout)."""
    from robo2d.catalog import entry

    unwrapped = env.unwrapped
    spec = unwrapped.spec  # gym.make sets it on the env it makes, whatever wraps that env after
    if spec is None:
        raise ValueError("make_oracle needs an env made by gym.make (its id names the oracle)")
    module, _, name = entry(spec.id).oracle.partition(":")
    return getattr(importlib.import_module(module), name)(unwrapped)


class ScriptedPolicy:
    """An oracle with the `predict` interface of trained agents (for evaluation and videos)."""

    def __init__(self, env) -> None:
        self.act = make_oracle(env)

    def predict(self, obs, deterministic: bool = True):
        return self.act(obs), None
