"""`robo2d bench`: env.step() throughput and step time over the time of its own physics substeps.

Each id runs the same seeded random action sequence twice per repeat: once plain (steps/s), once with
stepSimulation timed on the env's own client (physics seconds). Their ratio is what the env adds on top
of physics. Resets every ``max_episode_steps`` are included in both; a reference env (``--reference``)
runs the same actions with the same reset period as the robo2d id. Medians over repeats are printed.
``--breakdown`` splits a step into the time inside each PyBullet function and the Python around them.
"""

from __future__ import annotations

import statistics
import time

import gymnasium as gym
import numpy as np

from robo2d.catalog import entry
from robo2d.diagnostics.profiling import run_steps, timed_pybullet


def _physics_seconds(env, actions: np.ndarray, episode_steps: int) -> float:
    """Seconds inside stepSimulation on the env's client during the same run."""
    with timed_pybullet(env.sim, ["stepSimulation"]) as totals:
        run_steps(env, actions, episode_steps)
    return totals["stepSimulation"][0]


def camera_frames_per_s(env, frames: int = 200) -> float:
    """PyBullet's getCameraImage (TinyRenderer) on the same scene at the observation's size."""
    size = env.observation_space.shape[0]
    start = time.perf_counter()
    for _ in range(frames):
        env.sim.camera_image(size, size, target=(0, 0, 0), distance=0.6, yaw=0.0, pitch=-89.0)
    return frames / (time.perf_counter() - start)


def _prepared(
    env_id: str, steps: int, episode_steps: int | None = None, kwargs: dict | None = None
) -> tuple[gym.Env, np.ndarray, int]:
    """The unwrapped env, its seeded random actions and reset period (default: its time limit), warmed up."""
    env = gym.make(env_id, **(kwargs or {})).unwrapped
    episode_steps = episode_steps or gym.spec(env_id).max_episode_steps or 1000
    actions = np.random.default_rng(0).uniform(-1, 1, (steps, env.action_space.shape[0])).astype(np.float32)
    run_steps(env, actions[: steps // 10], episode_steps)
    return env, actions, episode_steps


def bench_env(env_id: str, steps: int, repeats: int, kwargs: dict | None = None) -> dict:
    env, actions, episode_steps = _prepared(env_id, steps, kwargs=kwargs)
    rates, ratios, physics_us = [], [], []
    for _ in range(repeats):
        seconds = run_steps(env, actions, episode_steps)
        physics = _physics_seconds(env, actions, episode_steps)
        rates.append(steps / seconds)
        ratios.append(seconds / physics)
        physics_us.append(1e6 * physics / steps)
    row = {
        "steps_per_s": statistics.median(rates),
        "ratio": statistics.median(ratios),
        "physics_us": statistics.median(physics_us),
    }
    if env.sensor is not None:  # image observations: compare with rendering them by PyBullet's camera
        row["camera_fps"] = camera_frames_per_s(env)
    env.close()
    return row


def bench_reference(module: str, ref_id: str, steps: int, repeats: int, episode_steps: int) -> float | None:
    """Median steps/s of a reference env (unwrapped, reset every `episode_steps`), None if not installed."""
    try:
        __import__(module)
    except ImportError:
        return None
    env, actions, episode_steps = _prepared(ref_id, steps, episode_steps)
    rates = [steps / run_steps(env, actions, episode_steps) for _ in range(repeats)]
    env.close()
    return statistics.median(rates)


def step_breakdown(env_id: str, steps: int, repeats: int) -> dict:
    """Where env.step() spends its time: µs per step in each PyBullet function, and the rest (Python).

    Each repeat runs the actions plainly (total) and again with every PyBullet call timed; "python"
    is the plain total minus the time inside PyBullet calls. Medians over repeats.
    """
    env, actions, episode_steps = _prepared(env_id, steps)
    totals, python, calls = [], [], {}
    for _ in range(repeats):
        seconds = run_steps(env, actions, episode_steps)
        with timed_pybullet(env.sim) as timed:
            run_steps(env, actions, episode_steps)
        used = {name: t for name, t in timed.items() if t[1]}
        for name, (spent, count) in used.items():
            calls.setdefault(name, []).append((spent, count))
        totals.append(seconds)
        python.append(seconds - sum(spent for spent, _ in used.values()))
    env.close()
    per_step = 1e6 / steps
    functions = {}
    for name, runs in calls.items():
        seconds, counts = zip(*runs)
        functions[name] = (statistics.median(seconds) * per_step, statistics.median(counts) / steps)
    return {
        "total_us": statistics.median(totals) * per_step,
        "python_us": statistics.median(python) * per_step,
        "functions": dict(sorted(functions.items(), key=lambda item: -item[1][0])),
    }


def print_breakdown(env_id: str, steps: int, repeats: int) -> dict:
    row = step_breakdown(env_id, steps, repeats)
    print(f"{env_id}: {row['total_us']:.1f} us per env.step (resets included)")
    print(f"  {'PyBullet function':32s} {'us/step':>8s} {'calls/step':>10s}")
    for name, (us, per_step) in row["functions"].items():
        print(f"  {name:32s} {us:8.2f} {per_step:10.2f}")
    print(f"  {'Python (the rest)':32s} {row['python_us']:8.2f}", flush=True)
    return row


def run_bench(
    env_ids: list[str], steps: int, repeats: int, reference: bool, kwargs: dict | None = None
) -> list[dict]:
    """One row per id; `kwargs` (e.g. robot=) go to every gym.make."""
    print(f"{'id':32s} {'steps/s':>9s} {'step/physics':>12s} {'physics us/step':>15s}  reference")
    rows = []
    for env_id in env_ids:
        row = {"id": env_id, **bench_env(env_id, steps, repeats, kwargs)}
        ref = entry(env_id).bench_reference if reference else None
        note = f"getCameraImage alone: {row['camera_fps']:,.0f} frames/s" if "camera_fps" in row else ""
        if ref:
            ref_rate = bench_reference(*ref, steps, repeats, gym.spec(env_id).max_episode_steps)
            if ref_rate is None:
                note = f"{ref[1]}: `pip install {ref[0].replace('_', '-')}` to compare"
            else:
                row["reference"], row["reference_steps_per_s"] = ref[1], ref_rate
                note = f"{ref[1]} {ref_rate:,.0f} steps/s (x{row['steps_per_s'] / ref_rate:.2f})"
        print(
            f"{env_id:32s} {row['steps_per_s']:9,.0f} {row['ratio']:12.2f} {row['physics_us']:15.1f}  {note}",
            flush=True,
        )
        rows.append(row)
    return rows


def _step_and_reset_us(env, actions: np.ndarray, episode_steps: int) -> tuple[float, float]:
    """Microseconds per step() and per reset() over one run, each timed on its own."""
    clock, stepping, resetting, resets = time.perf_counter, 0.0, 0.0, 0
    for i, action in enumerate(actions):
        if i % episode_steps == 0:
            start = clock()
            env.reset(seed=i)
            resetting += clock() - start
            resets += 1
        start = clock()
        env.step(action)
        stepping += clock() - start
    return 1e6 * stepping / len(actions), 1e6 * resetting / resets


def bench_randomization(env_id: str, steps: int, repeats: int, kwargs: dict | None = None) -> dict:
    """step() and reset() times without and with the default randomisation, alternating runs; medians."""
    envs = {
        randomize: _prepared(env_id, steps, kwargs={**(kwargs or {}), "randomize": randomize})
        for randomize in (False, True)
    }
    times = {False: [], True: []}
    for _ in range(repeats):
        for randomize, (env, actions, episode_steps) in envs.items():
            times[randomize].append(_step_and_reset_us(env, actions, episode_steps))
    row = {}
    for randomize, runs in times.items():
        name = "randomized" if randomize else "nominal"
        row[f"{name}_step_us"] = statistics.median(step for step, _ in runs)
        row[f"{name}_reset_us"] = statistics.median(reset for _, reset in runs)
        envs[randomize][0].close()
    return row


def print_randomization(
    env_ids: list[str], steps: int, repeats: int, kwargs: dict | None = None
) -> list[dict]:
    print(f"{'id':32s} {'step us':>9s} {'randomized':>10s} {'reset us':>9s} {'randomized':>10s}")
    rows = []
    for env_id in env_ids:
        row = {"id": env_id, **bench_randomization(env_id, steps, repeats, kwargs)}
        print(
            f"{env_id:32s} {row['nominal_step_us']:9.1f} {row['randomized_step_us']:10.1f} "
            f"{row['nominal_reset_us']:9.1f} {row['randomized_reset_us']:10.1f}",
            flush=True,
        )
        rows.append(row)
    return rows


def gymnasium_rates(env_ids: list[str], seconds: float, reference: bool, repeats: int) -> list[dict]:
    """Steps/s by Gymnasium's own ``utils.performance.benchmark_step`` (a measure neither side wrote:
    gym.make's wrappers included, random actions, resets at the time limit), each id beside its bench
    reference where that is installed; medians over `repeats`, the two alternating."""
    from gymnasium.utils.performance import benchmark_step

    def rate(env_id: str) -> float:
        env = gym.make(env_id)
        rates = [benchmark_step(env, target_duration=seconds, seed=0) for _ in range(repeats)]
        env.close()
        return statistics.median(rates)

    print(f"{'id':32s} {'steps/s':>9s}  reference (benchmark_step alike)")
    rows = []
    for env_id in env_ids:
        row = {"id": env_id, "steps_per_s": rate(env_id)}
        ref = entry(env_id).bench_reference if reference else None
        note = ""
        if ref:
            try:
                __import__(ref[0])
            except ImportError:
                note = f"{ref[1]}: `pip install {ref[0].replace('_', '-')}` to compare"
            else:
                ref_rate = rate(ref[1])
                row["reference"], row["reference_steps_per_s"] = ref[1], ref_rate
                note = f"{ref[1]} {ref_rate:,.0f} steps/s (x{row['steps_per_s'] / ref_rate:.2f})"
        print(f"{env_id:32s} {row['steps_per_s']:9,.0f}  {note}", flush=True)
        rows.append(row)
    return rows
