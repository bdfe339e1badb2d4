# %% [markdown]
# # Tutorial 1 - Build your own robot with only one joint
#
# A robot in PyBullet is a URDF: links (rigid bodies with mass, inertia, visual and collision shapes)
# connected by joints. robo2d's smallest robot, `urdf/one_joint.urdf`, has a fixed base, one
# continuous joint about the vertical axis, a 0.15 m pointer and a `tip` link. We load it, drive its
# motor, then train SAC on `Robo2DOneJoint-v0` (turn the pointer to a target angle) in about a minute.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pybullet as pb

from robo2d.core.assets import data_dir
from robo2d.run.tutorial import budget, show

urdf = data_dir("urdf") / "one_joint.urdf"
print(urdf.read_text()[:900])

# %% [markdown]
# Load it in a headless PyBullet client and drive the joint with a velocity motor: the motor tracks a
# target velocity using at most `force` newton-metres.

# %%
client = pb.connect(pb.DIRECT)
pb.setGravity(0, 0, -9.81, physicsClientId=client)
robot = pb.loadURDF(str(urdf), useFixedBase=True, physicsClientId=client)
print(
    "joints:",
    [
        pb.getJointInfo(robot, j, physicsClientId=client)[1]
        for j in range(pb.getNumJoints(robot, physicsClientId=client))
    ],
)
angles = []
for step in range(240):  # one second at PyBullet's default 240 Hz
    target_velocity = 2.0 if step < 120 else -1.0
    pb.setJointMotorControl2(
        robot, 0, pb.VELOCITY_CONTROL, targetVelocity=target_velocity, force=1.0, physicsClientId=client
    )
    pb.stepSimulation(physicsClientId=client)
    angles.append(pb.getJointState(robot, 0, physicsClientId=client)[0])
pb.disconnect(client)
plt.plot(np.arange(240) / 240, angles)
plt.xlabel("time (s)")
plt.ylabel("joint angle (rad)")
plt.title("velocity motor: +2 rad/s, then -1 rad/s")
plt.show()

# %% [markdown]
# ## The env: Robo2DOneJoint-v0
# `help(type(env.unwrapped))` prints its spec. Train SAC + HER with the shipped config.

# %%
import gymnasium as gym

import robo2d
from robo2d.run.tutorial import tutorial_config
from robo2d.run.evaluation import evaluate_policy, record_video
from robo2d.run.environment import make_env
from robo2d.run.train import train

env = gym.make("Robo2DOneJoint-v0")
print(env.observation_space, env.action_space)
config = tutorial_config("Robo2DOneJoint-v0", steps=6000)  # the shipped config, with this budget
run = train(config, "runs/tutorial_one_joint", progress_bar=False)
print("run folder:", run)

# %%

from robo2d.run.loading import load_agent

agent, config = load_agent(str(run))
print(evaluate_policy(agent, make_env(config), episodes=budget(50, 2)))
show(run / "learning_curve.png")
gif = record_video(agent, make_env(config, render_mode="rgb_array"), run / "one_joint.gif", episodes=1)
show(gif)
