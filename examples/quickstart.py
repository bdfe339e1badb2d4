"""Quick start: make an env, run a scripted policy, then the shipped SAC agent.

    python examples/quickstart.py
"""

import gymnasium as gym
import numpy as np

import robo2d
from robo2d.oracles import ORACLES


def run_episode(env: gym.Env, policy, seed: int) -> bool:
    obs, info = env.reset(seed=seed)
    done = False
    while not done:
        obs, reward, terminated, truncated, info = env.step(policy(obs))
        done = terminated or truncated
    return bool(info["is_success"])


def main() -> None:
    print("robo2d ids:", ", ".join(robo2d.ENV_IDS))
    env = gym.make("Robo2DReacher-v0")
    print("action space:", env.action_space, "observation space:", env.observation_space)
    random_rate = np.mean([run_episode(env, lambda _: env.action_space.sample(), s) for s in range(20)])
    oracle_rate = np.mean([run_episode(env, ORACLES["Robo2DReacher-v0"], s) for s in range(20)])
    print(f"random policy success {random_rate:.2f}, scripted oracle success {oracle_rate:.2f}")
    env.close()


if __name__ == "__main__":
    main()
