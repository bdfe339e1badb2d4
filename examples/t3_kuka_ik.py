# %% [markdown]
# # Tutorial 3 - Inverse kinematics with the Kuka iiwa
#
# `calculateInverseKinematics` turns an end-effector pose into joint angles. With a redundant 7-joint
# arm there are infinitely many solutions; giving joint limits, ranges and a rest pose selects the one
# closest to the rest pose (the null space), which keeps the elbow up. We trace a circle with the
# flange, pointing down, and plot the tracking error with and without the null space.

# %%
import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pybullet as pb
import pybullet_data

from robo2d.run.tutorial import budget, show

DOWN = pb.getQuaternionFromEuler((0, math.pi, 0))
REST = [0.0, 0.55, 0.0, -1.45, 0.0, 1.14, 0.0]
LOWER = [-2.967, -2.094, -2.967, -2.094, -2.967, -2.094, -3.054]
UPPER = [-x for x in LOWER]


def trace_circle(null_space: bool, steps: int):
    client = pb.connect(pb.DIRECT)
    pb.setAdditionalSearchPath(pybullet_data.getDataPath(), physicsClientId=client)
    kuka = pb.loadURDF("kuka_iiwa/model.urdf", useFixedBase=True, physicsClientId=client)
    for j, q in enumerate(REST):
        pb.resetJointState(kuka, j, q, physicsClientId=client)
    extra = (
        dict(
            lowerLimits=LOWER,
            upperLimits=UPPER,
            jointRanges=[u - lo for lo, u in zip(LOWER, UPPER)],
            restPoses=REST,
        )
        if null_space
        else {}
    )
    errors, elbow = [], []
    for i in range(steps):
        angle = 2 * math.pi * i / steps
        target = (0.55 + 0.12 * math.cos(angle), 0.12 * math.sin(angle), 0.35)
        q = pb.calculateInverseKinematics(
            kuka, 6, target, DOWN, maxNumIterations=50, physicsClientId=client, **extra
        )
        pb.setJointMotorControlArray(
            kuka,
            list(range(7)),
            pb.POSITION_CONTROL,
            targetPositions=q,
            forces=[300] * 7,
            physicsClientId=client,
        )
        for _ in range(10):
            pb.stepSimulation(physicsClientId=client)
        pos = pb.getLinkState(kuka, 6, computeForwardKinematics=1, physicsClientId=client)[4]
        errors.append(1000 * math.dist(pos, target))
        elbow.append(pb.getLinkState(kuka, 3, computeForwardKinematics=1, physicsClientId=client)[4][2])
    pb.disconnect(client)
    return np.array(errors), np.array(elbow)


steps = budget(200, 40)
for null_space in (False, True):
    errors, elbow = trace_circle(null_space, steps)
    label = "with null space" if null_space else "plain IK"
    print(
        f"{label}: median error {np.median(errors):.1f} mm, "
        f"elbow height {elbow.min():.2f}-{elbow.max():.2f} m"
    )
    plt.plot(errors, label=label)
plt.xlabel("step along the circle")
plt.ylabel("flange tracking error (mm)")
plt.legend()
Path("runs").mkdir(exist_ok=True)
plt.savefig("runs/kuka_ik_tracking.png", dpi=80)
plt.show()

# %% [markdown]
# robo2d's arms do exactly this every step (robo2d.robots.manipulators.manipulator), for the tool centre point
# rather than the flange (the TCP offset is turned by the tool's orientation), with 10 warm-started IK
# iterations.
#
# ## Your own arm
# The same IK drives any fixed-base 6/7-DoF arm of revolute joints: `robot=` takes the shipped
# `"panda"` and `"xarm6"` (pybullet_data's files) or a URDF path, `flange_link=` the link the tool
# mounts on. At `gym.make` the arm's own IK finds a rest pose with the tool down and the table area
# the tool reaches pointing down; `robo2d check-robot FILE --flange-link LINK` prints what it found.

# %%
import gymnasium as gym

import robo2d  # noqa: F401  (registers the ids)

for robot in ("kuka", "panda", "xarm6"):
    arm_env = gym.make("Robo2DKukaSuctionPickPlace-v0", robot=robot)
    arm = arm_env.unwrapped.robot
    arm_env.reset(seed=0)
    area = arm.table_area
    print(
        f"{robot}: {len(arm.arm_joints)} joints, table area x {area.low[0]:.2f}-{area.high[0]:.2f} m, "
        f"rest TCP {np.round(arm.tcp, 3)}"
    )
    arm_env.close()
