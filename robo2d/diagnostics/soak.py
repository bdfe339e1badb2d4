"""`robo2d soak`: long random runs, many envs made and closed, many alive at once (a benchmark).

What it checks, per id: every observation and reward finite, every observation inside the documented
observation space (which bounds every object the task places: a puck or cube pushed off the table
shows up there), resident memory over the run (growth after a warm-up, when caches are filled), and the
number of PyBullet clients (one per env, none left after close). Actions are the action space's seeded
random samples; episodes end at the time limit and are reset.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import time
from dataclasses import dataclass, field

import gymnasium as gym
import numpy as np

import robo2d  # noqa: F401  (registers the ids)
from robo2d.core.sim import connected_clients

RSS_SAMPLES = 20  # memory readings per run
WARMUP_FRACTION = 0.1  # memory growth is counted from here (first allocations and caches before)
MAX_PROBLEMS = 5  # examples kept per run


def resident_mb() -> float:
    """Resident memory of this process now (Linux /proc; elsewhere the peak, via getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def trimmed_mb() -> float:
    """Resident memory after asking glibc to return its free lists to the system (where there is glibc):
    freed memory it keeps for reuse is not a leak, this tells them apart."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return resident_mb()


@dataclass
class SoakRun:
    """One id's random run: steps, episodes, seconds, memory (MB) and what went wrong."""

    env_id: str
    steps: int
    episodes: int = 0
    seconds: float = 0.0
    memory: list[float] = field(default_factory=list)  # readings after the warm-up
    clients: tuple[int, int, int] = (0, 0, 0)  # before make, while running, after close
    problems: list[str] = field(default_factory=list)

    @property
    def growth_mb(self) -> float:
        return self.memory[-1] - self.memory[0]


def _problem(obs, reward, space) -> str | None:
    values = obs.values() if isinstance(obs, dict) else [obs]
    if not all(np.all(np.isfinite(v)) for v in values if np.issubdtype(np.asarray(v).dtype, np.floating)):
        return "non-finite observation"
    if not np.isfinite(reward):
        return f"non-finite reward {reward!r}"
    if not space.contains(obs):
        return "observation outside the observation space"
    return None


def soak_env(env_id: str, steps: int, seed: int = 0, **kwargs) -> SoakRun:
    """`steps` random steps of one env with resets; see the module docstring for the checks."""
    run, before = SoakRun(env_id, steps), connected_clients()
    env = gym.make(env_id, **kwargs)
    env.action_space.seed(seed)
    env.reset(seed=seed)
    during, warmup, every = connected_clients(), int(steps * WARMUP_FRACTION), max(1, steps // RSS_SAMPLES)
    start = time.perf_counter()
    for t in range(steps):
        obs, reward, terminated, truncated, _ = env.step(env.action_space.sample())
        problem = _problem(obs, reward, env.observation_space)
        if problem and len(run.problems) < MAX_PROBLEMS:
            run.problems.append(f"step {t}: {problem}")
        if terminated or truncated:
            env.reset()
            run.episodes += 1
        if t + 1 >= warmup and (t + 1 - warmup) % every == 0 or t + 1 == steps:
            run.memory.append(resident_mb())
    run.seconds = time.perf_counter() - start
    env.close()
    run.clients = (before, during, connected_clients())
    return run


def make_and_close(env_ids: list[str], cycles: int) -> dict:
    """`cycles` envs made, reset, stepped once and closed in turn (ids in rotation): memory (both readings
    after malloc_trim, see trimmed_mb) and clients."""
    before = connected_clients()
    for i in range(cycles):
        if i == len(env_ids):  # the first round fills caches (URDF parses, Python imports)
            start = trimmed_mb()
        env = gym.make(env_ids[i % len(env_ids)])
        env.reset(seed=i)
        env.step(env.action_space.sample())
        env.close()
    return {"cycles": cycles, "growth_mb": trimmed_mb() - start, "clients": (before, connected_clients())}


def many_alive(env_ids: list[str], count: int, steps: int = 20, rounds: int = 2) -> dict:
    """`count` envs alive at once (ids in rotation), each stepped in turn, then all closed; `rounds`
    times, so that memory the allocator keeps for reuse tells apart from memory lost each round."""
    before, start = connected_clients(), resident_mb()
    result = {"count": count, "clients": [], "after_close_mb": [], "after_trim_mb": []}
    for _ in range(rounds):
        envs = [gym.make(env_ids[i % len(env_ids)]) for i in range(count)]
        for i, env in enumerate(envs):
            env.reset(seed=i)
        for _ in range(steps):
            for env in envs:
                env.step(env.action_space.sample())
        result.setdefault("mb_per_env", (resident_mb() - start) / count)
        alive = connected_clients()
        for env in envs:
            env.close()
        result["clients"].append((before, alive, connected_clients()))
        result["after_close_mb"].append(resident_mb() - start)
        result["after_trim_mb"].append(trimmed_mb() - start)
    return result


def report(runs: list[SoakRun], cycled: dict | None, alive: dict | None) -> str:
    """The results as Markdown (stored as docs/results/soak.md, printed on the results pages)."""
    lines = [
        "| id | steps | episodes | steps/s | memory after warm-up (MB) | growth (MB) | clients before / "
        "running / after | problems |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r.env_id} | {r.steps:,} | {r.episodes:,} | {r.steps / r.seconds:,.0f} | {r.memory[0]:.1f} | "
            f"{r.growth_mb:+.1f} | {' / '.join(map(str, r.clients))} | {'; '.join(r.problems) or 'none'} |"
        )
    if cycled:
        lines.append(
            f"\n{cycled['cycles']:,} envs made, reset, stepped and closed in one process: memory "
            f"{cycled['growth_mb']:+.1f} MB after the first round (both after malloc_trim); "
            "clients before / after: "
            f"{' / '.join(map(str, cycled['clients']))}."
        )
    if alive:
        clients = "; ".join(" / ".join(map(str, c)) for c in alive["clients"])
        after = ", ".join(
            f"{mb:+.1f} ({trim:+.1f} after malloc_trim)"
            for mb, trim in zip(alive["after_close_mb"], alive["after_trim_mb"])
        )
        lines.append(
            f"\n{alive['count']} envs alive at once, {len(alive['clients'])} rounds: "
            f"{alive['mb_per_env']:.1f} MB each; clients before / alive / after close: {clients}; memory "
            f"after closing all, per round: {after} MB."
        )
    return "\n".join(lines) + "\n"
