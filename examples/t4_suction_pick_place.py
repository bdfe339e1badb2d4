# %% [markdown]
# # Tutorial 4 - Pick and place with the virtual suction gripper
#
# `Robo2DKukaSuctionPickPlace-v0`: while suction is on and the cup touches the cube, a fixed
# constraint holds the cube where it was touched (at most 40 N). First the scripted oracle, which
# reads only the observation, then SAC + HER.

# %%
import gymnasium as gym
import numpy as np

import robo2d
from robo2d.oracles import ScriptedPolicy
from robo2d.run.evaluation import evaluate_policy, record_video

from robo2d.run.tutorial import budget, show

ENV_ID = "Robo2DKukaSuctionPickPlace-v0"
env = gym.make(ENV_ID)
oracle = ScriptedPolicy(env)  # the scripted oracle, with the predict() of trained agents
result = evaluate_policy(oracle, env, episodes=budget(20, 2))
print(f"oracle success {result.success_rate:.2f}")


video_env = gym.make(ENV_ID, render_mode="rgb_array")
gif = record_video(ScriptedPolicy(video_env), video_env, "runs/suction_oracle.gif", episodes=1)
show(gif)

# %% [markdown]
# ## Your own arm
# The suction tool mounts on any 6/7-DoF arm's flange: the shipped `"panda"` and `"xarm6"`, or a URDF
# path with `flange_link=`. The oracle reads only the observation, so it drives every arm alike.

# %%
for robot in ("panda", "xarm6"):
    arm_env = gym.make(ENV_ID, robot=robot)
    result = evaluate_policy(ScriptedPolicy(arm_env), arm_env, episodes=budget(20, 2))
    print(f"{robot}: oracle success {result.success_rate:.2f}")
    arm_env.close()

# %% [markdown]
# ## SAC + HER
# The shipped config trains for 500k steps; here a short run (set ROBO2D_SMALL_BUDGET=1 for a smoke
# test). Long runs: `robo2d train Robo2DKukaSuctionPickPlace-v0` in a terminal, `--resume` after a stop.

# %%
from robo2d.run.tutorial import tutorial_config
from robo2d.run.train import train

config = tutorial_config(ENV_ID, steps=20000)  # the shipped config, with this budget
run = train(config, "runs/tutorial_suction", progress_bar=False)
print((run / "evaluations.csv").read_text())
