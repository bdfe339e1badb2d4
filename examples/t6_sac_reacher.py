# %% [markdown]
# # Tutorial 6 - Reinforcement learning with SAC on the 2D reacher
#
# `Robo2DReacher-v0`: train SAC with the shipped config
# (`agents/Robo2DReacher-v0.yaml`), evaluate it, record a video, plot the
# learning curve, and load the shipped agent when there is one. The full budget is 20000 env steps;
# set ROBO2D_SMALL_BUDGET=1 for a quick look.

# %%
import robo2d
from robo2d.run.tutorial import run_tutorial

run = run_tutorial("Robo2DReacher-v0", steps=20000)
