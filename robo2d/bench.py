"""`robo2d bench`: env.step() throughput and step time over the time of its own physics substeps.

Each id runs the same seeded random action sequence twice per repeat: once plain (steps/s), once with
stepSimulation timed on the env's own client (physics seconds). Their ratio is what the env adds on top
of physics. Resets every ``max_episode_steps`` are included in both. Medians over repeats are printed.
"""

from __future__ import annotations

import statistics
import time

import gymnasium as gym
import numpy as np
import pybullet as pb

import robo2d  # noqa: F401

REFERENCES = {  # robo2d id -> a widely used counterpart, timed side by side with --reference
    "Robo2DReacher-v0": ("pybullet_envs_gymnasium", "ReacherBulletEnv-v0"),
    "Robo2DPusher-v0": ("panda_gym", "PandaPush-v3"),
    "Robo2DIKPusher-v0": ("panda_gym", "PandaPush-v3"),
    "Robo2DKukaSuctionPickPlace-v0": ("panda_gym", "PandaPickAndPlace-v3"),
    "Robo2DKukaJawPickPlace-v0": ("panda_gym", "PandaPickAndPlace-v3"),
}


def _run(env: gym.Env, actions: np.ndarray, episode_steps: int) -> float:
    """Seconds for len(actions) env steps with a reset every `episode_steps`."""
    env.reset(seed=0)
    start = time.perf_counter()
    for i, action in enumerate(actions):
        env.step(action)
        if (i + 1) % episode_steps == 0:
            env.reset()
    return time.perf_counter() - start


def _physics_seconds(env, actions: np.ndarray, episode_steps: int) -> float:
    """Same run with every stepSimulation call on the env's client timed."""
    sim = env.sim
    total = [0.0]
    client = sim.client
    clock = time.perf_counter

    def timed_step() -> None:
        t = clock()
        pb.stepSimulation(physicsClientId=client)
        total[0] += clock() - t

    original = sim._step_once
    sim._step_once = timed_step
    try:
        _run(env, actions, episode_steps)
    finally:
        sim._step_once = original
    return total[0]


def camera_frames_per_s(env, frames: int = 200) -> float:
    """PyBullet's getCameraImage (TinyRenderer) on the same scene at the observation's size."""
    size = env.observation_space.shape[0]
    start = time.perf_counter()
    for _ in range(frames):
        env.sim.camera_image(size, size, target=(0, 0, 0), distance=0.6, yaw=0.0, pitch=-89.0)
    return frames / (time.perf_counter() - start)


def bench_env(env_id: str, steps: int, repeats: int) -> dict:
    env = gym.make(env_id).unwrapped
    episode_steps = gym.spec(env_id).max_episode_steps
    actions = np.random.default_rng(0).uniform(-1, 1, (steps, env.action_space.shape[0])).astype(np.float32)
    _run(env, actions[: steps // 10], episode_steps)  # warm up
    rates, ratios = [], []
    for _ in range(repeats):
        seconds = _run(env, actions, episode_steps)
        physics = _physics_seconds(env, actions, episode_steps)
        rates.append(steps / seconds)
        ratios.append(seconds / physics)
    row = {
        "steps_per_s": statistics.median(rates),
        "ratio": statistics.median(ratios),
        "physics_us": 1e6 * physics / steps,
    }
    if hasattr(env, "raster"):  # image observations: compare with rendering them by PyBullet's camera
        row["camera_fps"] = camera_frames_per_s(env)
    env.close()
    return row


def bench_reference(module: str, ref_id: str, steps: int, repeats: int) -> float | None:
    """Median steps/s of a reference env (unwrapped, same reset schedule), or None if not installed."""
    try:
        __import__(module)
    except ImportError:
        return None
    env = gym.make(ref_id).unwrapped
    episode_steps = gym.spec(ref_id).max_episode_steps or 1000
    actions = np.random.default_rng(0).uniform(-1, 1, (steps, env.action_space.shape[0])).astype(np.float32)
    _run(env, actions[: steps // 10], episode_steps)
    rates = [steps / _run(env, actions, episode_steps) for _ in range(repeats)]
    env.close()
    return statistics.median(rates)


def run_bench(env_ids: list[str], steps: int, repeats: int, reference: bool) -> list[dict]:
    print(f"{'id':32s} {'steps/s':>9s} {'step/physics':>12s} {'physics us/step':>15s}  reference")
    rows = []
    for env_id in env_ids:
        row = {"id": env_id, **bench_env(env_id, steps, repeats)}
        ref = REFERENCES.get(env_id) if reference else None
        note = f"getCameraImage alone: {row['camera_fps']:,.0f} frames/s" if "camera_fps" in row else ""
        if ref:
            ref_rate = bench_reference(*ref, steps, repeats)
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
