"""`robo2d bench --training ID`: where the time of a training step goes, measured against the CPU's floor.

A shipped config's SAC model is trained for a few hundred env steps after its random warm-up and a
few untimed policy steps (first calls, where SBX compiles, are not what a long run pays), with the
methods SB3 calls on the way timed in place (nothing in SB3 is changed): the env step, the action the
policy picks, the rest of the rollout (buffer add, callbacks), replay sampling, HER relabelling inside it,
the optimisers, and the networks (the update's time less sampling and optimisers). One periodic
evaluation of the config is timed as well and spread over its ``eval_freq`` env steps.

The floor is the arithmetic of one gradient update (every matrix product SAC runs, forward and backward,
counted by PyTorch's FLOP counter on a real update) at the rate this CPU multiplies matrices of the
config's hidden width in the same process: what one update would cost with no overhead at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch.utils.flop_counter import FlopCounterMode

from robo2d.rl.backends import is_sbx
from robo2d.rl.models import new_model
from robo2d.run.config import RunConfig, load_config
from robo2d.run.config_checks import check_arguments
from robo2d.run.environment import make_env
from robo2d.run.evaluation import EVALUATION_ENVS, evaluate_policy
from robo2d.run.loading import Agent
from robo2d.run.seeds import PERIODIC_EVALUATION
from robo2d.run.train import build_vec_env

PARTS = (
    "env step",
    "action selection",
    "rollout bookkeeping",
    "replay sampling",
    "HER relabelling",
    "networks",
    "optimiser",
    "evaluation",
)
UPDATE_PARTS = ("replay sampling", "HER relabelling", "networks", "optimiser")
_CLASS_METHOD = object()  # marks a timed method that the instance did not hold itself
RATE_REPEATS = 200  # matrix products per rate reading; the median of 5 readings is kept
UNTIMED_POLICY_STEPS = 20  # training steps with the policy acting before timing: first calls compile
# (SBX's JIT builds its sampling and update programs on first use) and would otherwise be counted


@dataclass(frozen=True)
class TrainingProfile:
    """Milliseconds per env step for each part of training, and the floor of one gradient update."""

    env_id: str
    backend: str
    steps: int
    updates_per_step: float  # gradient_steps / train_freq
    ms: dict[str, float]
    update_gflop: float
    gflops: float
    cpu_ms: float = 0.0  # CPU time of the whole process (all threads) per training env step
    wall_ms: float = 0.0  # wall-clock per training env step over the same steps
    core: int | None = None  # the one CPU the bench held itself to, for a one-thread config

    @property
    def step_ms(self) -> float:
        return sum(self.ms.values())

    @property
    def update_ms(self) -> float:
        """Milliseconds of one gradient update: sampling, relabelling, networks, optimiser."""
        return sum(self.ms[part] for part in UPDATE_PARTS) / self.updates_per_step

    @property
    def floor_ms(self) -> float:
        """Milliseconds of one update's matrix products at the measured rate."""
        return 1e3 * self.update_gflop / self.gflops


class _Timers:
    """Seconds spent in named methods, timed by replacing them on their instance for a while."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._restore: list[tuple[object, str, object]] = []

    def time(self, owner: object, method: str, name: str) -> None:
        inner = getattr(owner, method)
        own = vars(owner).get(method, _CLASS_METHOD)  # an attribute of the instance itself, if any

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - start

        setattr(owner, method, timed)
        self._restore.append((owner, method, own))

    def restore(self) -> None:
        for owner, method, own in reversed(self._restore):
            if own is _CLASS_METHOD:
                delattr(owner, method)  # the class's own method shows through again
            else:
                setattr(owner, method, own)
        self._restore.clear()


@contextlib.contextmanager
def _timed_training(model) -> Iterator[_Timers]:
    timers = _Timers()
    timers.time(model, "train", "update")
    timers.time(model, "collect_rollouts", "rollout")
    timers.time(model.env, "step", "env step")
    timers.time(model, "_sample_action", "action selection")
    timers.time(model.replay_buffer, "sample", "replay sampling")
    if hasattr(model.replay_buffer, "_get_virtual_samples"):
        timers.time(model.replay_buffer, "_get_virtual_samples", "HER relabelling")
    for optimizer in _optimizers(model):
        timers.time(optimizer, "step", "optimiser")
    try:
        yield timers
    finally:
        timers.restore()


def _optimizers(model) -> list[torch.optim.Optimizer]:
    """SB3's optimisers; none for SBX, whose optimiser steps are compiled into the update."""
    if is_sbx(model):
        return []
    found = [model.actor.optimizer, model.critic.optimizer]
    return found + ([model.ent_coef_optimizer] if model.ent_coef_optimizer is not None else [])


def _parts_ms(seconds: dict[str, float], steps: int, evaluation_ms: float) -> dict[str, float]:
    """Exclusive milliseconds per env step for each part (nested timers subtracted from their parent)."""
    s = {name: 1e3 * value / steps for name, value in seconds.items()}
    relabel = s.get("HER relabelling", 0.0)
    return {
        "env step": s["env step"],
        "action selection": s["action selection"],
        "rollout bookkeeping": s["rollout"] - s["env step"] - s["action selection"],
        "replay sampling": s["replay sampling"] - relabel,
        "HER relabelling": relabel,
        "networks": s["update"] - s["replay sampling"] - s.get("optimiser", 0.0),
        "optimiser": s.get("optimiser", 0.0),
        "evaluation": evaluation_ms,
    }


def update_gflop(model, config: RunConfig) -> float:
    """GFLOP of one gradient update of `model`, counted on a real one (the model is updated once). An SBX
    model's update is counted on an SB3 model of the same config drawing from the same replay buffer:
    the same networks, the same products."""
    if is_sbx(model):
        sb3 = config.replace(backend="sb3", network_init="pytorch")
        twin = new_model(sb3.model, model.get_env(), buffer_size=1000)
        twin.replay_buffer, twin._logger = model.replay_buffer, model.logger
        model = twin
    with FlopCounterMode(display=False) as counter:
        model.train(gradient_steps=1, batch_size=model.batch_size)
    return counter.get_total_flops() / 1e9


def matmul_gflops(batch: int, width: int) -> float:
    """GFLOP/s of this CPU for (batch x width) @ (width x width) products, with torch's thread setting."""
    a, b = torch.randn(batch, width), torch.randn(width, width)
    readings = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(RATE_REPEATS):
            torch.mm(a, b)
        readings.append(2 * batch * width * width * RATE_REPEATS / (time.perf_counter() - start) / 1e9)
    return statistics.median(readings)


def _evaluation_ms(model, config: RunConfig) -> float:
    """One periodic evaluation of the config, as training runs it, in milliseconds per env step of its
    eval_freq."""
    envs = [make_env(config) for _ in range(min(EVALUATION_ENVS, config.eval_episodes))]
    agent = Agent(model, model.get_vec_normalize_env())
    evaluate_policy(agent, envs, 1, config.run_seed, PERIODIC_EVALUATION)  # first deterministic calls
    start = time.perf_counter()
    evaluate_policy(agent, envs, config.eval_episodes, config.run_seed, PERIODIC_EVALUATION)
    for env in envs:
        env.close()
    return 1e3 * (time.perf_counter() - start) / config.eval_freq


def hidden_width(config: RunConfig) -> int:
    """The widest hidden layer of the config's networks (SB3's default 256 when it names none)."""
    net_arch = (config.sac.get("policy_kwargs") or {}).get("net_arch", [256, 256])
    if isinstance(net_arch, dict):
        net_arch = [*net_arch.get("pi", []), *net_arch.get("qf", [])]
    return max(net_arch)


def profile_training(model, config: RunConfig, steps: int) -> TrainingProfile:
    """Time `steps` env steps of training `model` (already past learning_starts) part by part."""
    if model.num_timesteps < model.learning_starts:
        raise ValueError(f"warm the model up past learning_starts ({model.learning_starts}) first")
    with _timed_training(model) as timers:
        wall, cpu = time.perf_counter(), time.process_time()
        model.learn(steps, reset_num_timesteps=False)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    evaluation_ms = _evaluation_ms(model, config)
    flop = update_gflop(model, config)
    rate = matmul_gflops(model.batch_size, hidden_width(config))
    ms = _parts_ms(timers.seconds, steps, evaluation_ms)
    per_step = model.gradient_steps / model.train_freq.frequency
    profile = TrainingProfile(config.env_id, config.backend, steps, per_step, ms, flop, rate)
    return dataclasses.replace(profile, cpu_ms=1e3 * cpu / steps, wall_ms=1e3 * wall / steps)


@contextlib.contextmanager
def _one_core(threads: int) -> Iterator[int | None]:
    """For a one-thread config, hold the process to one CPU while it runs: JAX keeps runtime threads of
    its own whatever XLA's flags say, and an SBX model would otherwise compute on a second core that an
    SB3 model with one torch thread does not use. Threads started meanwhile stay on that CPU."""
    if threads != 1 or not hasattr(os, "sched_setaffinity"):
        yield None
        return
    allowed = os.sched_getaffinity(0)
    core = min(allowed)
    os.sched_setaffinity(0, {core})
    try:
        yield core
    finally:
        os.sched_setaffinity(0, allowed)


def bench_training(env_id: str, steps: int, overrides: list[str] = (), seed: int = 0) -> TrainingProfile:
    """Profile the shipped config of `env_id` (with `overrides`) after its random warm-up steps, on one
    CPU for a one-thread config."""
    config = load_config(env_id, seed=seed).with_overrides(list(overrides))
    with _one_core(config.torch_threads) as core:
        check_arguments(config)  # starts JAX for an SBX config: on the one CPU
        torch.set_num_threads(config.torch_threads)
        env = build_vec_env(config, gui=False)
        model = new_model(config.model, env)
        try:
            model.learn(model.learning_starts + 1)  # the config's random warm-up, no update timed
            model.learn(UNTIMED_POLICY_STEPS, reset_num_timesteps=False)
            profile = profile_training(model, config, steps)
        finally:
            env.close()
    return dataclasses.replace(profile, core=core)


def format_profile(profile: TrainingProfile) -> str:
    """The profile as a Markdown table: ms per env step for each part, then update time over floor."""
    lines = [
        f"{profile.env_id} ({profile.backend}): {profile.steps} env steps, "
        f"{profile.updates_per_step:g} gradient update(s) per env step",
        "",
        "| part | ms per env step | share |",
        "|---|---:|---:|",
    ]
    for part in PARTS:
        value = profile.ms[part]
        if part == "optimiser" and profile.backend == "sbx":
            lines.append("| optimiser | in networks (one compiled update) | |")
            continue
        lines.append(f"| {part} | {value:.2f} | {100 * value / profile.step_ms:.0f}% |")
    lines += [
        f"| **total** | **{profile.step_ms:.2f}** | {1e3 / profile.step_ms:.0f} env steps/s |",
        "",
        f"one update (sampling, relabelling, networks, optimiser): {profile.update_ms:.2f} ms; "
        f"floor {profile.floor_ms:.2f} ms ({profile.update_gflop:.3f} GFLOP at {profile.gflops:.0f} "
        f"GFLOP/s measured now); update / floor = {profile.update_ms / profile.floor_ms:.1f}x",
        "",
        f"process CPU time while training: {profile.cpu_ms:.2f} ms per env step (all threads) over "
        f"{profile.wall_ms:.2f} ms of wall-clock; "
        + (f"held to CPU {profile.core}" if profile.core is not None else "not held to one CPU"),
    ]
    return "\n".join(lines)
