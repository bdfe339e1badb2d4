"""Timing helpers of `robo2d bench`: run an action sequence, and time PyBullet calls while it runs.

robo2d modules call PyBullet through the module (``pb.name(...)``), so replacing a module attribute
for the duration of a run times every call robo2d makes; the one cached reference, the Sim's bound
stepSimulation, is re-bound alongside. Everything is restored on exit, also after an error.
"""

from __future__ import annotations

import contextlib
import functools
import time
import types
from collections.abc import Iterable, Iterator

import gymnasium as gym
import numpy as np
import pybullet as pb

from robo2d.core.sim import Sim


def run_steps(env: gym.Env, actions: np.ndarray, episode_steps: int) -> float:
    """Seconds for len(actions) env steps with a reset every `episode_steps` (resets included)."""
    env.reset(seed=0)
    start = time.perf_counter()
    for i, action in enumerate(actions):
        env.step(action)
        if (i + 1) % episode_steps == 0:
            env.reset()
    return time.perf_counter() - start


def pybullet_functions() -> list[str]:
    """Names of every function the pybullet module exports."""
    return [name for name, value in vars(pb).items() if isinstance(value, types.BuiltinFunctionType)]


def _timed(func, total: list) -> types.FunctionType:
    clock = time.perf_counter

    def timed(*args, **kwargs):
        start = clock()
        result = func(*args, **kwargs)
        total[0] += clock() - start
        total[1] += 1
        return result

    return timed


@contextlib.contextmanager
def timed_pybullet(sim: Sim, names: Iterable[str] | None = None) -> Iterator[dict[str, list]]:
    """Time the named PyBullet functions (default: all) while inside; yields {name: [seconds, calls]}.

    Only the time inside each call is counted; the wrapper's own cost falls outside it.
    """
    names = pybullet_functions() if names is None else list(names)
    originals = {name: getattr(pb, name) for name in names}
    totals = {name: [0.0, 0] for name in names}
    step_once = sim._step_once
    try:
        for name in names:
            setattr(pb, name, _timed(originals[name], totals[name]))
        # one call per control period binds PyBullet's function once, outside the patched module: bind
        # the timed one instead (torque control's one call per physics step finds it in the module)
        if "stepSimulation" in totals and isinstance(step_once, functools.partial):
            sim._step_once = functools.partial(pb.stepSimulation, physicsClientId=sim.client)
        yield totals
    finally:
        for name, func in originals.items():
            setattr(pb, name, func)
        sim._step_once = step_once
