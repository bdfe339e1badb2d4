# %% [markdown]
# # Tutorial 8 - Reinforcement learning with SAC on the reacher from pixels
#
# `Robo2DPixelReacher-v0`: train SAC with the shipped config
# (`agents/Robo2DPixelReacher-v0.yaml`), evaluate it, record a video, plot the
# learning curve, and load the shipped agent when there is one. The full budget is 100000 env steps;
# set ROBO2D_SMALL_BUDGET=1 for a quick look.
#
# The recipe is DrQ made to fit a CPU: 48x48 images, 3 frames stacked along the channel axis, random
# shifts of +-4 pixels on every sampled image (`RandomShiftReplayBuffer`), and one keypoint encoder
# (`KeypointCNN`: a spatial softmax gives the image position of what each feature map detects, to a
# fraction of a pixel) trained by the critic and read detached by the actor (`DrQCnnPolicy`).

# %%
import robo2d
from robo2d.run.tutorial import run_tutorial

run = run_tutorial("Robo2DPixelReacher-v0", steps=100000)
