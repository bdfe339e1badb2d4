# %% [markdown]
# # Tutorial 2 - A custom robot that moves in only one plane
#
# robo2d's planar arm (`urdf/planar_arm.urdf`) is a SCARA-like 2-link arm. Both joints turn about the
# vertical z axis, so every link moves in a horizontal plane: gravity acts along the joint axes and
# never enters the planar motion, and nothing needs to hold the arm up but the joints themselves.

# %%
from importlib import resources

import matplotlib.pyplot as plt
import numpy as np

text = resources.files("robo2d.urdf").joinpath("planar_arm.urdf").read_text()
for part in ('<joint name="shoulder"', '<joint name="elbow"', '<link name="tip"'):
    start = text.index(part)
    print(text[start : text.index("</", start + 20) + 10], "\n...")

# %% [markdown]
# Part by part: the **base** is a post on the table (no joint to the world: the env loads it with a
# fixed base). The **shoulder** is `continuous` (no limits), axis `0 0 1`. **link1** is a 0.1 m box
# with a realistic inertia. The **elbow** sits at the end of link1, 1 cm higher (so the links pass over
# each other), limited to +-170 degrees. **link2**, then a **finger** pin hanging down to the
# **tip**, the point that reaches and pushes.
#
# Joint control: the env sends velocity targets. Check that the tip stays in its plane whatever we do:

# %%
import gymnasium as gym
import pybullet as pb

import robo2d

env = gym.make("Robo2DReacher-v0").unwrapped
env.reset(seed=0)
rng = np.random.default_rng(0)
heights, xy = [], []
for _ in range(200):
    env.step(rng.uniform(-1, 1, 2))
    pos = pb.getLinkState(
        env.robot.body, env.robot.tip_link, computeForwardKinematics=1, physicsClientId=env.sim.client
    )[4]
    heights.append(pos[2])
    xy.append(pos[:2])
xy = np.array(xy)
print(f"tip height: min {min(heights):.5f} m, max {max(heights):.5f} m")
plt.plot(xy[:, 0], xy[:, 1], ".-", ms=2)
plt.gca().set_aspect("equal")
plt.title("tip path under random joint velocities (top view)")
plt.show()

# %% [markdown]
# The arm's link lengths and reach are read from the URDF itself, so editing the URDF is all it takes
# to try another arm:

# %%
print("link lengths (m):", np.round(env.robot.link_lengths, 4), "reach:", round(env.robot.reach, 4))
frame = gym.make("Robo2DReacher-v0", render_mode="rgb_array")
frame.reset(seed=1)
plt.imshow(frame.render())
plt.axis("off")
plt.show()
