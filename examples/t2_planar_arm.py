# %% [markdown]
# # Tutorial 2 - Bring your own planar arm: write a URDF, check it, look at it, train SAC on it
#
# robo2d's planar envs take any arm whose joints all turn about vertical axes: gravity then acts
# along the joint axes and never enters the planar motion. Here we write a 3-link arm from scratch
# (links of 0.12, 0.10 and 0.06 m), let robo2d check it, look at it from above, and train SAC on
# `Robo2DReacher-v0` with it: `gym.make("Robo2DReacher-v0", robot="my_arm.urdf")`.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from robo2d.run.tutorial import budget, show

LENGTHS = (0.12, 0.10, 0.06)  # m, shoulder to elbow, elbow to wrist, wrist to fingertip
COLOURS = ("0.55 0.25 0.75 1", "0.1 0.6 0.6 1", "0.95 0.8 0.1 1")  # one colour per link
LINK_MASS_PER_M = 1.0  # kg/m: thin aluminium-like boxes
WIDTH, THICKNESS = 0.012, 0.008  # m, the links' cross-section


def link(name: str, length: float, colour: str) -> str:
    """A box link along its x axis, with the inertia of a solid box (kg m^2)."""
    m = LINK_MASS_PER_M * length
    ixx, iyy = m * (WIDTH**2 + THICKNESS**2) / 12, m * (length**2 + THICKNESS**2) / 12
    izz = m * (length**2 + WIDTH**2) / 12
    box = f'<origin xyz="{length / 2} 0 0"/><geometry><box size="{length} {WIDTH} {THICKNESS}"/></geometry>'
    return f"""
  <link name="{name}">
    <inertial><origin xyz="{length / 2} 0 0"/><mass value="{m}"/>
      <inertia ixx="{ixx:.3g}" iyy="{iyy:.3g}" izz="{izz:.3g}" ixy="0" ixz="0" iyz="0"/></inertial>
    <visual>{box}<material name="c_{name}"><color rgba="{colour}"/></material></visual>
    <collision>{box}</collision>
  </link>"""


def joint(name: str, kind: str, parent: str, child: str, x: float, z: float) -> str:
    """A joint about the vertical axis; revolute joints stop 10 degrees short of folding back."""
    limit = '<limit lower="-2.967" upper="2.967" effort="1" velocity="3"/>' if kind == "revolute" else ""
    return f"""
  <joint name="{name}" type="{kind}"><parent link="{parent}"/><child link="{child}"/>
    <origin xyz="{x} 0 {z}"/><axis xyz="0 0 1"/>{limit}</joint>"""


def planar_arm_urdf(lengths, colours) -> str:
    """Base post, links 1 cm above one another, and a pin hanging to a fingertip 1.2 cm above the table."""
    names = [f"link{i + 1}" for i in range(len(lengths))]
    parts = ['<?xml version="1.0"?>\n<robot name="my_arm">']
    parts.append("""
  <link name="base"><inertial><mass value="1"/><inertia ixx="1e-4" iyy="1e-4" izz="1e-4" ixy="0" ixz="0"
    iyz="0"/></inertial><visual><origin xyz="0 0 0.015"/><geometry><cylinder radius="0.02" length="0.03"/>
    </geometry><material name="grey"><color rgba="0.3 0.3 0.35 1"/></material></visual></link>""")
    parent, x, z = "base", 0.0, 0.03
    for i, (name, length, colour) in enumerate(zip(names, lengths, colours)):
        parts.append(joint(f"joint{i + 1}", "continuous" if i == 0 else "revolute", parent, name, x, z))
        parts.append(link(name, length, colour))
        parent, x, z = name, length, 0.01
    pin = 0.03 + 0.01 * (len(lengths) - 1) - 0.012  # from the last link down to 1.2 cm above the table
    parts.append(f"""
  <joint name="pin_joint" type="fixed"><parent link="{parent}"/><child link="tip"/>
    <origin xyz="{x} 0 {-pin}"/></joint>
  <link name="tip"><inertial><mass value="0.01"/><inertia ixx="1e-7" iyy="1e-7" izz="1e-7" ixy="0" ixz="0"
    iyz="0"/></inertial><visual><geometry><sphere radius="0.008"/></geometry><material name="red">
    <color rgba="0.85 0.1 0.1 1"/></material></visual><collision><geometry><sphere radius="0.008"/>
    </geometry></collision></link>
</robot>
""")
    return "".join(parts)


Path("runs").mkdir(exist_ok=True)
urdf = Path("runs/my_arm.urdf").resolve()
urdf.write_text(planar_arm_urdf(LENGTHS, COLOURS))
print(urdf.read_text()[:1200], "\n...")

# %% [markdown]
# ## Check it
# `robo2d check-robot FILE` (here its Python function) makes exactly the checks `gym.make` makes and
# prints what robo2d sees: joints and limits, masses, the reach, and where each task samples.
# `render=` draws the arm from above with those workspaces marked.

# %%
from robo2d.diagnostics.robot_report import check_robot

status = check_robot(str(urdf), render="runs/my_arm.png")
print("exit status:", status)
show(Path("runs/my_arm.png"))

# %% [markdown]
# A mistake gets an answer that names the file, the part and the fix. Tilt the elbow's axis:

# %%
tilted = Path("runs/my_arm_tilted.urdf")
text = urdf.read_text()
elbow = text.index('<joint name="joint2"')
tilted.write_text(text[:elbow] + text[elbow:].replace('<axis xyz="0 0 1"/>', '<axis xyz="0 1 0"/>', 1))
print("exit status:", check_robot(str(tilted)))

# %% [markdown]
# ## Use it
# Every planar env takes `robot=`: the target area, the camera and the pixel view follow the arm's
# reach, and the action and observation get one entry per joint (named parts: `joint_cos_sin`,
# `joint_velocity`, `target`, `tip_to_target`). The tip stays in its plane whatever the joints do:

# %%
import gymnasium as gym
import pybullet as pb

import robo2d

env = gym.make("Robo2DReacher-v0", robot=str(urdf)).unwrapped
print("action", env.action_space, "observation", env.observation_space)
print({part.name: part.unit for part in env.observation_layout.parts})
env.reset(seed=0)
rng = np.random.default_rng(0)
heights, xy = [], []
for _ in range(200):
    env.step(rng.uniform(-1, 1, env.action_space.shape))
    pos = pb.getLinkState(
        env.robot.body, env.robot.tip_link, computeForwardKinematics=1, physicsClientId=env.sim.client
    )[4]
    heights.append(pos[2])
    xy.append(pos[:2])
xy = np.array(xy)
print(f"tip height: min {min(heights):.5f} m, max {max(heights):.5f} m; reach {env.robot.reach:.3f} m")
plt.plot(xy[:, 0], xy[:, 1], ".-", ms=2)
plt.gca().set_aspect("equal")
plt.title("tip path under random joint velocities (top view)")
plt.show()
env.close()

# %% [markdown]
# ## A robot file from ROS or a CAD exporter
# Robot descriptions from ROS packages and CAD exporters carry more than the robot: `<transmission>` and
# `<gazebo>` elements, meshes named `package://NAME/meshes/...`, frame links (`world`, `tool0`) without
# `<inertial>`, `<dynamics damping>`, joint `<limit effort velocity>`. robo2d ships one such arm,
# `"planar5"` (a package folder `planar5_description/` with `urdf/` and `meshes/`; five light links of
# 3-6 cm and 24-48 g; its end link is `ee`). robo2d reads only the links and joints, resolves
# `package://` from the folders above the URDF (then `ROS_PACKAGE_PATH`), makes frame links massless,
# takes each motor's torque and speed from the file, and measures in the sim how the arm follows its
# commands: `check-robot` prints a step response per joint and control mode, and the solver iterations
# this light arm needs (the reacher's own 10 leave it 64% off its commanded speed, 40 within 9%).

# %%
status = check_robot("planar5", tip_link="ee")
print("exit status:", status)
for control in ("velocity", "position", "torque"):
    env = gym.make("Robo2DReacher-v0", robot="planar5", tip_link="ee", control=control)
    print(control, env.action_space, "solver iterations", env.unwrapped.sim.solver_iterations)
    env.close()

# %% [markdown]
# ## Train SAC on it
# The shipped reacher config (SAC + HER) unchanged, with the robot in `env_kwargs`. The results
# pages' benchmark trains the shipped 3-link arm this way (three seeds): it needs a few thousand more steps
# than the 2-link arm.

# %%
from robo2d.run.loading import load_agent
from robo2d.run.evaluation import evaluate_policy, record_video
from robo2d.run.environment import make_env
from robo2d.run.train import train
from robo2d.run.tutorial import tutorial_config

config = tutorial_config("Robo2DReacher-v0", steps=30000).with_env_kwargs({"robot": str(urdf)})
run = train(config, "runs/tutorial_my_arm", progress_bar=False)
agent, config = load_agent(str(run))
result = evaluate_policy(agent, make_env(config), episodes=budget(100, 2), seed=5000)
print(f"success {result.success_rate:.2f} over {result.episodes} unseen-seed episodes")
show(run / "learning_curve.png")
show(record_video(agent, make_env(config, render_mode="rgb_array"), run / "my_arm.gif", episodes=1))
