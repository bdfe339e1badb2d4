"""Bring your own robot: robot= paths and names, and a clear error for every URDF that does not fit."""

import os
import subprocess
import sys
from pathlib import Path

import gymnasium as gym
import numpy as np
import pybullet as pb
import pybullet_data
import pytest

from robo2d.cli import main
from robo2d.core.assets import data_dir
from robo2d.core.sim import connected_clients
from robo2d.robots.urdf_check import RobotFileError

ARM = (data_dir("urdf") / "planar_arm.urdf").read_text()


def _write(tmp_path: Path, text: str, name: str = "arm.urdf") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


SIDE_BRANCH = """
  <link name="flag"><inertial><mass value="0.01"/>
    <inertia ixx="1e-6" iyy="1e-6" izz="1e-6" ixy="0" ixz="0" iyz="0"/></inertial></link>
  <joint name="flag_joint" type="revolute"><parent link="link1"/><child link="flag"/>
    <origin xyz="0.05 0 0.02"/><axis xyz="0 0 1"/>
    <limit lower="-1" upper="1" effort="1.0" velocity="3.0"/></joint>
"""
BROKEN = {  # what is wrong -> (edit of the shipped arm, words the error must contain)
    "not xml": (lambda t: t.replace("</robot>", ""), ["not well-formed XML"]),
    "no tip": (lambda t: t.replace('"tip"', '"end"'), ["no link named 'tip'", "tip_link="]),
    "shoulder about x": (
        lambda t: t.replace(
            '<origin xyz="0 0 0.03"/><axis xyz="0 0 1"/>', '<origin xyz="0 0 0.03"/><axis xyz="1 0 0"/>'
        ),
        [
            "joint 'shoulder' turns about (1.000, 0.000, 0.000) in the world, not vertical:",
            'axis xyz="0 0 1"',
        ],
    ),
    "elbow tilted": (
        lambda t: t.replace('<origin xyz="0.1 0 0.01"/>', '<origin xyz="0.1 0 0.01" rpy="0.4 0 0"/>'),
        [
            "joint 'elbow' turns about (0.000, -0.389, 0.921) in the world,",
            "not parallel to the axes before it:",
        ],
    ),
    "floating": (lambda t: t.replace('type="continuous"', 'type="floating"'), ["'shoulder'", "floating"]),
    "moving side branch": (  # a revolute joint that does not carry the tip (a flag on link1)
        lambda t: t.replace("</robot>", SIDE_BRANCH + "</robot>"),
        ["'flag_joint'", "not on the chain", "tip_link="],
    ),
    "prismatic": (
        lambda t: t.replace('name="elbow" type="revolute"', 'name="elbow" type="prismatic"'),
        ["'elbow'", "prismatic", "revolute"],
    ),
    "zero mass": (
        lambda t: t.replace(
            '<origin xyz="0.05 0 0"/><mass value="0.1"/>', '<origin xyz="0.05 0 0"/><mass value="0"/>', 1
        ),
        ["'link1'", "zero mass"],
    ),
    "zero inertia": (
        lambda t: t.replace('ixx="2e-6" iyy="8.5e-5" izz="8.5e-5"', 'ixx="0" iyy="0" izz="0"', 1),
        ["'link1'", "inertia"],
    ),
    "no limits": (
        lambda t: t.replace('<limit lower="-2.967" upper="2.967" effort="1.0" velocity="3.0"/>', ""),
        ["'elbow'", "<limit"],
    ),
    "stuck joint": (
        lambda t: t.replace('lower="-2.967" upper="2.967"', 'lower="0.3" upper="0.3"'),
        ["'elbow'", "no room to move"],
    ),
    "missing mesh": (
        lambda t: t.replace('<box size="0.1 0.015 0.008"/>', '<mesh filename="link1.stl"/>', 1),
        ["link1.stl", "not found"],
    ),
    "bad box size": (
        lambda t: t.replace('<box size="0.1 0.015 0.008"/>', '<box size="0.1 zz"/>', 1),
        ["link 'link1'", 'size="0.1 zz"', "3 positive numbers"],
    ),
    "no workspace": (
        lambda t: t.replace('<origin xyz="0.1 0 0.01"/>', '<origin xyz="0 0 0.01"/>').replace(
            '<child link="finger"/><origin xyz="0.1 0 0"/>',
            '<child link="finger"/><origin xyz="0.001 0 0"/>',
        ),
        ["no workspace"],
    ),
}


@pytest.mark.parametrize("problem", sorted(BROKEN))
def test_unfit_urdf_is_a_clear_error_at_make(tmp_path, problem):
    edit, words = BROKEN[problem]
    path = _write(tmp_path, edit(ARM))
    assert path.read_text() != ARM, "the edit must change the file"
    before = connected_clients()
    with pytest.raises(RobotFileError) as err:
        gym.make("Robo2DReacher-v0", robot=str(path))
    message = str(err.value)
    assert str(path) in message
    for word in words:
        assert word in message, f"{problem}: {message!r} lacks {word!r}"
    assert connected_clients() == before, "a refused robot must not leave a PyBullet client behind"


def test_pixel_env_draws_a_mesh_link(tmp_path):
    cube = Path(pybullet_data.getDataPath()) / "cube.obj"  # a mesh visual on link1
    text = ARM.replace(
        '<box size="0.1 0.015 0.008"/>', f'<mesh filename="{cube}" scale="0.1 0.015 0.008"/>', 1
    )
    path = _write(tmp_path, text)
    env = gym.make("Robo2DPixelReacher-v0", robot=str(path))
    raster = env.unwrapped.sensor.raster
    (mesh,) = [s for s in raster.shapes if s[2] == pb.GEOM_MESH]
    outline = np.concatenate(mesh[3])  # the OBJ's unit cube, scaled: a 0.1 x 0.015 m footprint
    assert outline.max(axis=0) - outline.min(axis=0) == pytest.approx([0.1, 0.015], abs=0.002)
    env.close()


def test_missing_robot_lists_the_shipped_ones(tmp_path):
    with pytest.raises(FileNotFoundError, match="planar_arm_3link"):
        gym.make("Robo2DReacher-v0", robot=str(tmp_path / "nothing.urdf"))


def test_robot_and_tip_link_of_the_wrong_type():
    with pytest.raises(TypeError, match="robot= takes a URDF path"):
        gym.make("Robo2DReacher-v0", robot=3)
    with pytest.raises(TypeError, match="tip_link= takes a link name"):
        gym.make("Robo2DReacher-v0", tip_link=None)


def test_tip_link_names_another_link(tmp_path):
    path = _write(tmp_path, ARM.replace('"tip"', '"end"'))
    env = gym.make("Robo2DReacher-v0", robot=str(path), tip_link="end")
    env.reset(seed=0)
    assert env.unwrapped.robot.reach == pytest.approx(0.2)
    env.close()


def test_one_joint_env_refuses_an_arm_and_the_arm_envs_one_joint():
    with pytest.raises(RobotFileError, match="exactly 1 moving joint"):
        gym.make("Robo2DOneJoint-v0", robot="planar_arm")
    with pytest.raises(RobotFileError, match="at least 2 moving joint.*Robo2DOneJoint-v0"):
        gym.make("Robo2DPusher-v0", robot="one_joint")


def test_relative_absolute_and_home_paths(tmp_path, monkeypatch):
    _write(tmp_path, ARM, "mine.urdf")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    tips = []
    for robot in ("mine.urdf", str(tmp_path / "mine.urdf"), "~/mine.urdf", "planar_arm", "planar_arm.urdf"):
        env = gym.make("Robo2DReacher-v0", robot=robot)
        obs, _ = env.reset(seed=4)
        tips.append(obs)
        env.close()
    for obs in tips[1:]:
        np.testing.assert_array_equal(obs, tips[0])


def test_downward_axes_turn_the_other_way(tmp_path):
    """An arm with every axis along -z is as planar as one along +z; the tip follows PyBullet."""
    path = _write(tmp_path, ARM.replace('<axis xyz="0 0 1"/>', '<axis xyz="0 0 -1"/>'))
    env = gym.make("Robo2DReacher-v0", robot=str(path)).unwrapped
    env.reset(seed=0)
    arm = env.robot
    assert arm.kinematics.signs == (-1.0, -1.0)
    for _ in range(20):
        env.step(np.array([1.0, -0.5], np.float32))
        pos = pb.getLinkState(
            arm.body, arm.tip_link, computeForwardKinematics=1, physicsClientId=env.sim.client
        )[4]
        np.testing.assert_allclose(arm.tip, pos[:2], atol=1e-6)
    env.close()


def test_check_robot_reports_and_renders(tmp_path, capsys):
    out = tmp_path / "top.png"
    with pytest.raises(SystemExit) as status:
        main(["check-robot", "planar_arm_3link", "--render", str(out)])
    assert status.value.code == 0
    text = capsys.readouterr().out
    for part in ("wrist", "reach 0.2800 m", "reacher targets: annulus 0.056-0.266 m", "OK"):
        assert part in text
    assert out.stat().st_size > 1000


def test_check_robot_exits_1_on_problems(tmp_path, capsys):
    path = _write(tmp_path, BROKEN["prismatic"][0](ARM))
    with pytest.raises(SystemExit) as status:
        main(["check-robot", str(path)])
    assert status.value.code == 1
    assert "ERROR" in capsys.readouterr().out


@pytest.mark.child_process
def test_assets_found_from_a_plain_checkout(tmp_path):
    """With robo2d importable only as the checkout's folder (nothing installed), every id still finds
    its robots, objects and pybullet_data models."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"  # hide any installed or editable robo2d.urdf
        "    def find_spec(self, name, path, target=None):\n"
        "        if name in ('robo2d.urdf', 'robo2d.agents'): raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import gymnasium as gym, robo2d\n"
        "assert robo2d.__file__.startswith(sys.argv[1]), robo2d.__file__\n"
        "for i in robo2d.ENV_IDS:\n"
        "    e = gym.make(i); e.reset(seed=0); e.step(e.action_space.sample()); e.close()\n"
        "from robo2d.run.config import agents_dir\n"
        "assert (agents_dir() / 'Robo2DReacher-v0.yaml').is_file()\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert out.stdout.strip().endswith("ok"), out.stderr[-2000:]


#: reach of the shipped arms, read by hand from their URDFs (joint origins from the shoulder to the tip)
ARM_REACH = {"planar_arm": 0.20, "planar_arm_3link": 0.12 + 0.10 + 0.06}


@pytest.mark.parametrize("robot", sorted(ARM_REACH))
def test_ik_steps_scale_with_the_arms_reach(robot):
    """IK control moves the tip 0.01 m per full-scale step for a 0.2 m arm, and proportionally farther
    for a longer one: measured on the simulated tip over 12 steps sideways (it lags by a few %)."""
    env = gym.make("Robo2DIKPusher-v0", robot=robot)
    env.reset(seed=0)
    arm = env.unwrapped.robot
    start = np.array(arm.tip)
    for _ in range(12):
        env.step(np.array([0.0, 1.0], np.float32))
    per_step = np.linalg.norm(np.array(arm.tip) - start) / 12
    commanded = 0.01 * ARM_REACH[robot] / 0.2
    assert 0.9 * commanded < per_step <= 1.01 * commanded
    env.close()


def test_pixel_env_names_the_link_whose_visual_it_cannot_draw(tmp_path):
    """A capsule on the first moving link: the error names that link (not the base) and what to do."""
    text = ARM.replace('<box size="0.1 0.015 0.008"/>', '<capsule radius="0.008" length="0.1"/>', 1)
    with pytest.raises(ValueError, match=r"'link1' has a visual of PyBullet geometry type .*another visual"):
        gym.make("Robo2DPixelReacher-v0", robot=str(_write(tmp_path, text)))
