# %% [markdown]
# # Tutorial 5 - Pick and place with the two-fingered jaw gripper
#
# `Robo2DKukaJawPickPlace-v0` uses pybullet_data's `kuka_with_gripper2.sdf`. The action adds a yaw
# change (align the fingers with the cube's faces) and a gripper command (finger opening). Grasps need
# care: fingertips clear of the table while closing, real cube inertia, high finger friction.

# %%
import gymnasium as gym
import numpy as np

import robo2d
from robo2d.oracles import ScriptedPolicy, make_oracle
from robo2d.run.evaluation import record_video

from robo2d.run.tutorial import budget, show

ENV_ID = "Robo2DKukaJawPickPlace-v0"
env = gym.make(ENV_ID)
oracle = make_oracle(env)
successes, grasped = [], []
for seed in range(budget(20, 2)):
    obs, _ = env.reset(seed=seed)
    done, held = False, False
    while not done:
        obs, reward, terminated, truncated, info = env.step(oracle(obs))
        held |= info["is_grasped"]
        done = terminated or truncated
    successes.append(info["is_success"])
    grasped.append(held)
print(f"oracle: grasped in {np.mean(grasped):.2f} of episodes, success {np.mean(successes):.2f}")


video_env = gym.make(ENV_ID, render_mode="rgb_array")
gif = record_video(ScriptedPolicy(video_env), video_env, "runs/jaw_oracle.gif", episodes=1)
show(gif)

# %% [markdown]
# ## Your own arm
# `robot=` puts the jaw on another arm: the shipped `"panda"` and `"xarm6"`, or a URDF path with
# `flange_link=`. Every arm but the Kuka carries robo2d's own parallel jaw gripper
# (`urdf/jaw_gripper.urdf`, its opening in metres); the oracle reads the opening as a share of its
# range, so it drives both grippers.

# %%
from robo2d.run.evaluation import evaluate_policy

for robot in ("panda", "xarm6"):
    arm_env = gym.make(ENV_ID, robot=robot)
    result = evaluate_policy(ScriptedPolicy(arm_env), arm_env, episodes=budget(20, 2))
    print(f"{robot}: oracle success {result.success_rate:.2f}")
    arm_env.close()
arm_env = gym.make(ENV_ID, robot="panda", render_mode="rgb_array")
show(record_video(ScriptedPolicy(arm_env), arm_env, "runs/jaw_panda_oracle.gif", episodes=1))

# %% [markdown]
# ## SAC + HER, started from oracle demonstrations
#
# Random actions almost never open the fingers around the cube, close them and lift it, so plain
# SAC + HER sees no success to learn from (0-2% after 80k steps). The shipped config first puts 100
# noisy oracle episodes into the replay buffer (`demonstrations:` in
# `agents/Robo2DKukaJawPickPlace-v0.yaml`); with them, seed 0 reached 84% at 30k steps and 98% at 80k.
# This run trains 30k steps (9 minutes in the seed-0 run, on one CPU core beside another run).

# %%
from robo2d.run.tutorial import tutorial_config
from robo2d.run.train import train

config = tutorial_config(ENV_ID, steps=30000)  # the shipped config, with this budget
print("demonstrations:", config.demonstrations)
run = train(config, "runs/tutorial_jaw", progress_bar=False)
print((run / "evaluations.csv").read_text())

# %% [markdown]
# ## The shipped agent (the 80k-step model of that run)

# %%
from robo2d.run.loading import load_agent
from robo2d.run.evaluation import evaluate_policy
from robo2d.run.environment import make_env

agent, agent_config = load_agent(ENV_ID)
result = evaluate_policy(agent, make_env(agent_config), episodes=budget(50, 2))
print(f"shipped agent: success {result.success_rate:.2f} over {result.episodes} episodes")
show(record_video(agent, make_env(agent_config, render_mode="rgb_array"), "runs/jaw_sac.gif", episodes=1))
