"""Per-batch time of robo2d's HER buffer against SB3's own sample() on the same filled buffer.

Usage: taskset -c 0 python docs/results/bench/her_sampling_ab.py Robo2DKukaJawPickPlace-v0
Fills the shipped config's buffer with 3000 random-policy steps, then times 7 alternating blocks of 200
batches of 256 with each sample() and prints the medians in milliseconds.
"""

import statistics
import sys
import time

import torch
from stable_baselines3 import HerReplayBuffer

from robo2d.rl.models import new_model
from robo2d.run.config import load_config
from robo2d.run.train import build_vec_env

BLOCKS, BATCHES, BATCH_SIZE, FILL_STEPS = 7, 200, 256, 3000


def main(env_id: str) -> None:
    torch.set_num_threads(1)
    config = {**load_config(env_id), "seed": 0}
    model = new_model(config, build_vec_env(config, gui=False), learning_starts=10**9)
    model.learn(FILL_STEPS)
    buffer, normalizer = model.replay_buffer, model.get_vec_normalize_env()
    samplers = {
        "sb3": lambda: HerReplayBuffer.sample(buffer, BATCH_SIZE, env=normalizer),
        "robo2d": lambda: buffer.sample(BATCH_SIZE, env=normalizer),
    }
    times: dict[str, list[float]] = {name: [] for name in samplers}
    for _ in range(BLOCKS):
        for name, sample in samplers.items():
            start = time.perf_counter()
            for _ in range(BATCHES):
                sample()
            times[name].append((time.perf_counter() - start) / BATCHES * 1e3)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(env_id, {name: round(ms, 3) for name, ms in medians.items()}, "ms per batch")


if __name__ == "__main__":
    main(sys.argv[1])
