"""Robot files as ROS packages and CAD exporters write them: they load, move as commanded in every
control mode, and what does not fit is refused at gym.make and by check-robot alike."""

import ast
import functools
import math
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.cli import main
from robo2d.core.assets import robot_path
from robo2d.core.sim import Sim, connected_clients
from robo2d.envs import pusher, reacher
from robo2d.robots.planar.arm import JOINT_CONTROLS, PlanarArm
from robo2d.robots.planar.damping import advised, split_needed, step_ratio, too_fast
from robo2d.robots.planar.motion_check import (
    START_ANGLE,
    TRACKING_TOLERANCE,
    solver_iterations,
    step_responses,
    tracking_error,
)
from robo2d.robots.urdf_check import RobotFileError
from tests.conftest import ROS_ARM, ROS_TIP

ROS_URDF = robot_path(ROS_ARM)
ARMS = (("planar_arm", "tip"), ("planar_arm_3link", "tip"), (ROS_ARM, ROS_TIP))


def _package_copy(tmp_path: Path, edit=lambda t: t) -> Path:
    """A copy of the shipped ROS package, its URDF edited."""
    package = tmp_path / ROS_URDF.parents[1].name
    shutil.copytree(ROS_URDF.parents[1], package)
    urdf = package / "urdf" / ROS_URDF.name
    urdf.write_text(edit(urdf.read_text()))
    return urdf


def test_ros_file_loads_with_its_extras_ignored_and_frames_massless():
    env = gym.make("Robo2DReacher-v0", robot=ROS_ARM, tip_link=ROS_TIP)
    arm = env.unwrapped.robot
    assert arm.chain.ignored[:1] == ["<transmission 'trans_1'>"] and "<gazebo>" in arm.chain.ignored
    assert set(arm.chain.massless) == {"world", "tool0"}
    cid = env.unwrapped.sim.client
    names = {
        pb.getJointInfo(arm.body, j, physicsClientId=cid)[12].decode(): j for j in range(arm.n_joints + 3)
    }
    assert pb.getDynamicsInfo(arm.body, names["tool0"], physicsClientId=cid)[0] == 0.0  # not 1 kg
    assert pb.getDynamicsInfo(arm.body, names["link_5"], physicsClientId=cid)[0] == pytest.approx(0.024)
    env.close()


def test_motor_limits_come_from_the_file(tmp_path):
    urdf = _package_copy(
        tmp_path, lambda t: t.replace('effort="1.0" velocity="3.0"', 'effort="0.5" velocity="2.0"')
    )
    arm = gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP).unwrapped.robot
    # joint_1 is continuous without a <limit>: robo2d's defaults; the others state theirs
    assert arm.max_torques == [1.0, 0.5, 0.5, 0.5, 0.5]
    assert arm.max_velocities == [3.0, 2.0, 2.0, 2.0, 2.0]


def test_package_path_outside_the_package_is_found_through_ros_package_path(tmp_path, monkeypatch):
    urdf = _package_copy(tmp_path)
    loose = tmp_path / "elsewhere" / "arm.urdf"
    loose.parent.mkdir()
    shutil.move(urdf, loose)
    with pytest.raises(RobotFileError) as err:
        gym.make("Robo2DReacher-v0", robot=str(loose), tip_link=ROS_TIP)
    assert "link 'link_1'" in str(err.value) and "ROS_PACKAGE_PATH" in str(err.value)
    monkeypatch.setenv("ROS_PACKAGE_PATH", str(tmp_path))
    gym.make("Robo2DReacher-v0", robot=str(loose), tip_link=ROS_TIP).close()


def test_ros_package_path_is_searched_entry_by_entry(tmp_path, monkeypatch):
    """ROS_PACKAGE_PATH lists folders separated by the OS's path separator; the package is found in
    whichever entry holds it, and a refusal lists every path tried, in order."""
    urdf = _package_copy(tmp_path / "packages")
    loose = tmp_path / "elsewhere" / "arm.urdf"
    loose.parent.mkdir()
    shutil.move(urdf, loose)
    empty = tmp_path / "empty"
    empty.mkdir()
    for entries in ((empty, tmp_path / "packages"), (tmp_path / "packages", empty)):
        monkeypatch.setenv("ROS_PACKAGE_PATH", os.pathsep.join(map(str, entries)))
        gym.make("Robo2DReacher-v0", robot=str(loose), tip_link=ROS_TIP).close()
    monkeypatch.setenv("ROS_PACKAGE_PATH", str(empty))
    with pytest.raises(RobotFileError) as err:
        gym.make("Robo2DReacher-v0", robot=str(loose), tip_link=ROS_TIP)
    package, mesh = ROS_URDF.parents[1].name, "meshes/link.stl"
    assert f"(tried {empty / package / mesh}, {loose.parent / package / mesh});" in str(err.value)


def test_a_file_uri_mesh_is_found(tmp_path):
    """CAD exporters write meshes as file:// URIs (absolute, percent-encoded)."""
    mesh = tmp_path / "my meshes" / "link.stl"
    mesh.parent.mkdir()
    shutil.copy(ROS_URDF.parents[1] / "meshes" / "link.stl", mesh)
    uri = "file://" + str(mesh).replace(" ", "%20")
    urdf = _package_copy(
        tmp_path, lambda t: t.replace(f"package://{ROS_URDF.parents[1].name}/meshes/link.stl", uri)
    )
    gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP).close()


def test_a_relative_mesh_path_is_read_from_the_urdfs_folder(tmp_path, monkeypatch):
    """A mesh named relative to the URDF (as CAD exporters write it) loads whatever the working folder."""
    package = ROS_URDF.parents[1].name
    urdf = _package_copy(tmp_path, lambda t: t.replace(f"package://{package}/meshes/", "../meshes/"))
    monkeypatch.chdir(tmp_path)
    gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP).close()


def test_missing_mesh_names_link_and_the_path_tried(tmp_path):
    urdf = _package_copy(tmp_path)
    (urdf.parents[1] / "meshes" / "link.stl").unlink()
    before = connected_clients()
    with pytest.raises(RobotFileError) as err:
        gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP)
    message = str(err.value)
    assert "link 'link_1'" in message and str(urdf.parents[1] / "meshes" / "link.stl") in message
    assert connected_clients() == before


@pytest.mark.parametrize(("robot", "tip"), ARMS)
@pytest.mark.parametrize("control", JOINT_CONTROLS)
def test_every_arm_follows_its_commands_in_every_mode(robot, tip, control):
    """Velocity: each joint reaches the commanded speed within 10% with the others held; position: each
    joint settles at its target; torque: the acceleration is the model's M(q)^-1 tau within 10%."""
    arm = gym.make("Robo2DReacher-v0", robot=robot, tip_link=tip).unwrapped.robot
    iterations = solver_iterations(arm, reacher.PHYSICS)
    responses = step_responses(arm.path, tip, reacher.PHYSICS, iterations, control)
    for r in responses:
        assert r.error <= TRACKING_TOLERANCE, r
        if control != "torque":
            assert r.settle_steps is not None and r.overshoot < 0.1, r
    if control == "velocity":
        assert tracking_error(responses) <= TRACKING_TOLERANCE


def test_light_arm_gets_the_solver_iterations_it_needs():
    """The light 5-link arm is 40% off its commands at the reacher's 10 iterations; robo2d raises them
    until it tracks, and leaves the shipped 2-link arm's 10 (its golden trajectories) alone."""
    light = step_responses(ROS_URDF, ROS_TIP, reacher.PHYSICS, reacher.PHYSICS.solver_iterations, "velocity")
    assert tracking_error(light) > 0.3
    env = gym.make("Robo2DReacher-v0", robot=ROS_ARM, tip_link=ROS_TIP)
    assert env.unwrapped.sim.solver_iterations > reacher.PHYSICS.solver_iterations
    assert gym.make("Robo2DReacher-v0").unwrapped.sim.solver_iterations == reacher.PHYSICS.solver_iterations
    assert gym.make("Robo2DPusher-v0").unwrapped.sim.solver_iterations == pusher.PHYSICS.solver_iterations


def test_an_arm_that_cannot_track_is_refused_with_numbers(tmp_path):
    """Inertias a thousand times too small for the motors: no solver effort makes it track."""

    def shrink(text: str) -> str:
        for value in ("1.4400e-05", "8.3333e-06", "4.2667e-06", "2.8583e-06", "1.8000e-06"):
            text = text.replace(f'"{value}"', '"1e-10"')
        return text.replace('mass value="0.0', 'mass value="0.0000')

    urdf = _package_copy(tmp_path, shrink)
    with pytest.raises(RobotFileError, match=r"off by \d+% of the commanded speed .* heavier inertias"):
        gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP)


def test_strong_damping_refuses_torque_control_only(tmp_path):
    urdf = _package_copy(tmp_path, lambda t: t.replace('damping="0.0001"', 'damping="0.01"'))
    gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP).close()  # velocity motors hold it
    with pytest.raises(RobotFileError, match="joint_5.*damping.*lower its <dynamics damping>"):
        gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP, control="torque")


def _below_the_table(text: str) -> str:
    """The first joint moved from 2 cm above the table top to 1 cm below it."""
    return text.replace('<origin xyz="0.0 0 0.02"', '<origin xyz="0.0 0 -0.01"')


def test_an_arm_in_the_table_is_refused_naming_each_link_and_its_depth(tmp_path):
    """Each link's 6 mm tall box, its centre 1 cm below the table top, reaches 10 + 3 = 13 mm into it;
    the tip's 6 mm sphere, 8 mm below the last joint, 24 mm."""
    with pytest.raises(RobotFileError) as refused:
        gym.make("Robo2DReacher-v0", robot=str(_package_copy(tmp_path, _below_the_table)), tip_link=ROS_TIP)
    links = ", ".join(f"'link_{i}' by 13.0 mm" for i in range(1, 6))
    assert f"the collision shapes of {links}, 'ee' by 24.0 mm cut into the table" in str(refused.value)


def test_a_link_of_two_shapes_in_the_table_is_measured_at_the_deeper(tmp_path):
    """The first link given a second box 5 mm above its own: its own reaches 13 mm into the table, the
    second 8 mm; the deeper one counts, in whichever order the file lists them."""
    box = '<collision><origin xyz="0.03 0 0"/><geometry><box size="0.06 0.01 0.006"/></geometry></collision>'
    raised = box.replace('xyz="0.03 0 0"', 'xyz="0.03 0 0.005"')
    for n, shapes in enumerate((box + raised, raised + box)):
        urdf = _package_copy(
            tmp_path / str(n), lambda t, shapes=shapes: _below_the_table(t).replace(box, shapes)
        )
        with pytest.raises(RobotFileError, match="'link_1' by 13.0 mm, 'link_2' by 13.0 mm"):
            gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP)


def test_a_deep_cut_into_the_table_is_stated_to_a_tenth_of_a_millimetre(tmp_path):
    """The first joint 10 cm below the table top (not 2 cm above): each link's 6 mm tall box reaches
    100 + 3 = 103.0 mm into it, the tip's 6 mm sphere, 8 mm below the last joint, 114.0 mm."""
    deep = _package_copy(
        tmp_path, lambda t: t.replace('<origin xyz="0.0 0 0.02"', '<origin xyz="0.0 0 -0.1"')
    )
    with pytest.raises(RobotFileError) as refused:
        gym.make("Robo2DReacher-v0", robot=str(deep), tip_link=ROS_TIP)
    links = ", ".join(f"'link_{i}' by 103.0 mm" for i in range(1, 6))
    assert f"the collision shapes of {links}, 'ee' by 114.0 mm cut into the table" in str(refused.value)


def test_check_robot_agrees_with_make(tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        main(["check-robot", ROS_ARM, "--tip-link", ROS_TIP])
    out = capsys.readouterr().out
    assert done.value.code == 0
    for words in (
        "ignored (not part of the model): <transmission 'trans_1'>",
        "massless frame links",
        "step responses",
    ):
        assert words in out
    assert out.count(" position ") == 5 and out.count(" torque ") == 5
    broken = _package_copy(
        tmp_path, lambda t: t.replace('<origin xyz="0.0 0 0.02"', '<origin xyz="0.0 0 -0.01"')
    )
    with pytest.raises(SystemExit) as done:
        main(["check-robot", str(broken), "--tip-link", ROS_TIP])
    assert done.value.code == 1 and "cut into the table" in capsys.readouterr().out


def test_check_robot_warns_of_links_drawn_into_each_other(tmp_path, capsys):
    """Collision shapes of links not joined to each other that overlap at zero angles are named (robo2d
    does not collide an arm with itself, so a drawing error would go unnoticed); the shipped arms have
    none."""
    text = robot_path("planar_arm_3link").read_text()
    link3 = '<collision><origin xyz="0.03 0 0"/><geometry><box size="0.06 0.01 0.008"/>'
    assert link3 in text
    text = text.replace(link3, link3.replace("0.03 0 0", "-0.15 0 -0.02"))  # back over link1
    urdf = tmp_path / "overlapping.urdf"
    urdf.write_text(text)
    for robot, touching in ((urdf, "(link1/link3)"), ("planar_arm_3link", None), ("planar_arm", None)):
        with pytest.raises(SystemExit) as done:
            main(["check-robot", str(robot_path(robot))])
        warnings = [line for line in capsys.readouterr().out.splitlines() if "touch each other" in line]
        assert done.value.code == 0
        assert warnings == (
            [
                f"warning: links touch each other at zero joint angles {touching}; robo2d does "
                "not collide an arm with itself"
            ]
            if touching
            else []
        )


def test_pixel_env_draws_mesh_links():
    env = gym.make("Robo2DPixelReacher-v0", robot=ROS_ARM, tip_link=ROS_TIP)
    obs, _ = env.reset(seed=0)
    sensor = env.unwrapped.sensor
    meshes = [s for s in sensor.raster.shapes if s[2] == pb.GEOM_MESH]
    assert len(meshes) == 5  # one per link
    bare = sensor.raster.background[0, 0]
    drawn = np.any(np.asarray(obs)[..., -3:] != bare, axis=-1).sum()
    assert drawn > 40, "the arm's mesh links must show in the image"
    env.close()


def _damping_mode(
    urdf: Path, damping: float, tip: str = ROS_TIP, mass_factor: float = 1.0
) -> tuple[float, int]:
    """dt times the largest eigenvalue of M^-1 D (explicit damping's decay per physics step, stable below
    2) at the check pose, from PyBullet's mass matrix of the arm as loaded (velocity control, which
    accepts any damping), dt the reacher's physics step; and the joint that mode moves most."""
    env = gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=tip)
    arm = env.unwrapped.robot
    q = [START_ANGLE] * arm.n_joints
    mass = (
        np.array(pb.calculateMassMatrix(arm.body, q, physicsClientId=env.unwrapped.sim.client)) * mass_factor
    )
    env.close()
    values, vectors = np.linalg.eig(np.linalg.inv(mass) * damping)  # every joint damped alike
    mode = int(np.argmax(values.real))
    return float(values.real[mode]) * reacher.PHYSICS.timestep, int(np.argmax(np.abs(vectors[:, mode])))


@pytest.mark.parametrize("damping", [0.00015, 0.0003, 0.01])
def test_damping_splits_torque_controls_step_or_names_the_numbers(tmp_path, damping):
    """Where dt times M^-1 D's largest eigenvalue passes 0.5, torque control splits the physics step
    ceil(ratio / 0.5) times (at most 8); beyond, the refusal states the decay time and the damping
    that would do."""
    urdf = _package_copy(tmp_path, lambda t: t.replace('damping="0.0001"', f'damping="{damping}"'))
    ratio, worst = _damping_mode(urdf, damping)
    factor = math.ceil(ratio / 0.5)
    if factor <= 8:
        env = gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP, control="torque")
        assert factor > 1 and env.unwrapped.sim.substeps == reacher.PHYSICS.substeps * factor
        env.close()
        return
    decay = f"decays within {reacher.PHYSICS.timestep / ratio * 1e3:.1f} ms"
    with pytest.raises(RobotFileError) as refused:
        gym.make("Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP, control="torque")
    said = str(refused.value)
    step = f"torque control's {reacher.PHYSICS.timestep * 1e3:.1f} ms physics step even split 8 times"
    assert decay in said and step in said and f"joint_{worst + 1}" in said
    advice = float(re.search(r"lower its <dynamics damping> to at most ([0-9.e-]+),", said).group(1))
    limit = damping * 8 * 0.5 / ratio  # the damping that splits 8 times; advised to two digits, not above
    assert 0.9 * limit < advice <= limit


def test_damping_refusal_states_its_times_in_milliseconds():
    """The refusal's numbers, hand-worked: 0.5 N m s/rad giving dt D / I = 5 at a 0.5 s physics step is an
    effective inertia of 0.5 x 0.5 / 5 = 0.05 kg m^2, which the damping slows within I / D = 0.1 s, stated
    as 100.0 ms; the step as 500.0 ms."""
    arm = SimpleNamespace(
        damping=[0.0, 0.5], chain=SimpleNamespace(moving=[None, SimpleNamespace(name="elbow")])
    )
    said = too_fast(arm, at_id_step=5.0, joint=1, added=0.0, id_step=0.5)
    assert "joint 'elbow': damping 0.5 N m s/rad on an effective inertia of 5.00e-02 kg m^2" in said
    assert "decays within 100.0 ms" in said and "control's 500.0 ms physics step even split 8 times" in said


def _heavier_pointer(tmp_path: Path, damping: float) -> Path:
    """The one-joint robot with a heavier pointer and joint damping: 7.3751e-4 kg m^2 about the hinge
    (pointer 1.75e-4 + 0.08 kg x 0.075^2 m^2, tip 1e-8 + 0.005 kg x 0.15^2 m^2), so torque control at
    1/60 s physics steps is stable split 8 times for a damping up to 8 x 0.5 x I / dt = 0.177 N m s/rad."""
    text = (
        robot_path("one_joint")
        .read_text()
        .replace('iyy="1.5e-4" izz="1.5e-4"', 'iyy="1.75e-4" izz="1.75e-4"')
    )
    limit = '<limit effort="1.0" velocity="3.0"/>'
    urdf = tmp_path / f"pointer_{damping}.urdf"
    urdf.write_text(text.replace(limit, f'{limit}<dynamics damping="{damping}"/>'))
    return urdf


def test_damping_ratio_of_a_lone_joint_is_its_step_times_damping_over_inertia(tmp_path):
    """One joint: M^-1 D is the scalar D / I, so the ratio torque control is split by is dt D / I, 1/60 s x
    0.05 N m s/rad / 7.3751e-4 kg m^2 = 1.13 for the arm as loaded, which needs the step split
    ceil(1.13 / 0.5) = 3 times; with 0.05 N m s/rad more damping and the links half as heavy, four times
    that ratio."""
    sim = Sim(timestep=reacher.PHYSICS.timestep, substeps=reacher.PHYSICS.substeps)
    try:
        arm = PlanarArm(sim, _heavier_pointer(tmp_path, 0.05))
        as_loaded = reacher.PHYSICS.timestep * 0.05 / 7.3751e-4
        assert step_ratio(arm) == (pytest.approx(as_loaded, rel=1e-4), 0)
        assert step_ratio(arm, added=0.05, mass_factor=0.5) == (pytest.approx(4 * as_loaded, rel=1e-4), 0)
        assert split_needed(arm, 1) == (3, pytest.approx(as_loaded, rel=1e-4), 0)
    finally:
        sim.close()


def test_the_damping_a_refusal_advises_is_accepted(tmp_path):
    """Advice rounded to two digits never rounds up past the limit: 0.177 N m s/rad is advised as 0.17 (the
    file's own damping) and 0.127 as 0.12 (randomisation's added damping on top of the file's 0.05),
    and both are then accepted, split 8 times. The refusal states the id's 16.7 ms physics step and the
    pointer's inertia even where the arm's own damping has already split the step (3 times: dt D / I =
    1.13)."""
    make = functools.partial(gym.make, "Robo2DOneJoint-v0", control="torque")
    with pytest.raises(RobotFileError, match=r"lower its <dynamics damping> to at most 0\.17,"):
        make(robot=str(_heavier_pointer(tmp_path, 1.0)))
    assert make(robot=str(_heavier_pointer(tmp_path, 0.17))).unwrapped.robot.split == 8
    own = _heavier_pointer(tmp_path, 0.05)
    assert make(robot=str(own)).unwrapped.robot.split == 3
    with pytest.raises(ValueError) as refused:
        make(robot=str(own), randomize={"joint_damping": 1.0, "others": "nominal"})
    said = str(refused.value)
    assert "damping 1.05 N m s/rad on an effective inertia of 7.38e-04 kg m^2 decays within 0.7 ms" in said
    assert "torque control's 16.7 ms physics step" in said and "'joint_damping': [0, 0.12]" in said
    env = make(robot=str(own), randomize={"joint_damping": 0.12, "others": "nominal"})
    assert env.unwrapped.robot.split == 8
    env.close()


def test_the_solver_iterations_an_arm_needs_reach_the_physics_engine():
    """What robo2d decides for the light arm is what PyBullet's solver runs, not only what it records."""
    env = gym.make("Robo2DReacher-v0", robot=ROS_ARM, tip_link=ROS_TIP)
    sim = env.unwrapped.sim
    engine = pb.getPhysicsEngineParameters(physicsClientId=sim.client)
    assert engine["numSolverIterations"] == sim.solver_iterations > reacher.PHYSICS.solver_iterations
    env.close()


def _speeds_after_a_kick(env, steps: int = 10) -> tuple[float, float]:
    """Largest joint speed (rad/s) one control step after a small torque, and after `steps` with none."""
    env.reset(seed=0)
    kick = np.full(env.action_space.shape, 1e-3, dtype=np.float32)
    env.step(kick)
    first = np.abs(env.unwrapped.robot.dq).max()
    for _ in range(steps):
        env.step(np.zeros_like(kick))
    return float(first), float(np.abs(env.unwrapped.robot.dq).max())


@pytest.mark.parametrize(("robot", "tip"), [("planar_arm", "tip"), (ROS_ARM, ROS_TIP)])
def test_randomised_damping_keeps_torque_control_stable_or_names_the_range(robot, tip):
    """The most damping randomisation adds, on the lightest links, is what torque control's step split is
    sized for: a kicked arm then slows down with no torque. Where no split up to 8 does (the light 5-link
    arm), the env refuses the range and names one that works, which then does."""
    worst = {"joint_damping": 0.01, "link_mass": 0.8, "others": "nominal"}  # the default ranges' far ends
    make = functools.partial(gym.make, "Robo2DReacher-v0", robot=robot, tip_link=tip, control="torque")
    try:
        env = make(randomize=worst)
    except ValueError as refused:
        assert robot == ROS_ARM and "damping 0.0101 N m s/rad" in str(refused), refused  # its own + added
        fits = float(re.search(r"'joint_damping': \[0, ([0-9.e-]+)\]", str(refused)).group(1))
        env = make(randomize={**worst, "joint_damping": fits})
    sim = env.unwrapped.sim
    assert sim.substeps > reacher.PHYSICS.substeps  # split for the added damping, at the same control rate
    if robot == "planar_arm":  # no damping of its own: the split is the added damping's on 0.8 x the masses
        ratio, _ = _damping_mode(robot_path(robot), 0.01, tip, mass_factor=0.8)
        assert sim.substeps == reacher.PHYSICS.substeps * math.ceil(ratio / 0.5)
    assert sim.timestep * sim.substeps == pytest.approx(reacher.PHYSICS.timestep * reacher.PHYSICS.substeps)
    kicked, later = _speeds_after_a_kick(env)
    assert later < kicked, f"{robot}: {kicked:.3g} rad/s after the kick, {later:.3g} rad/s ten steps on"
    env.close()


@pytest.mark.parametrize(
    ("randomize", "advice"),
    [
        ({"link_mass": [0.8, 1.2]}, r"\{'link_mass': \[0\.\d+, 1\.2\]\}"),  # the links alone too light
        ({"link_mass": [0.5, 1.2], "joint_damping": [0, 1e-4]}, r"\{'joint_damping': 0, 'link_mass': "),
        ({"joint_damping": [0, 1e-3]}, r"\{'joint_damping': \[0, [0-9.e-]+\]\}"),  # the damping alone
    ],
)
def test_the_randomisation_a_refusal_advises_is_accepted(tmp_path, randomize, advice):
    """The 5-link arm with 0.0003 N m s/rad of its own damping, under torque control, takes neither
    lighter links nor much more damping: each refusal advises ranges (less damping; heavier lightest
    links; or both) that the env then takes."""
    urdf = _package_copy(tmp_path, lambda t: t.replace('damping="0.0001"', 'damping="0.0003"'))
    make = functools.partial(
        gym.make, "Robo2DReacher-v0", robot=str(urdf), tip_link=ROS_TIP, control="torque"
    )
    with pytest.raises(ValueError, match=advice) as refused:
        make(randomize={**randomize, "others": "nominal"})
    advised_ranges = re.search(r"randomize=(\{.*\}), or use", str(refused.value)).group(1)
    make(randomize={**randomize, **ast.literal_eval(advised_ranges), "others": "nominal"}).close()


def _damped_elbow(tmp_path: Path) -> Path:
    """The 2-link arm with 0.026 N m s/rad of damping on its elbow (none on its shoulder)."""
    text = robot_path("planar_arm").read_text()
    undamped = 'damping="0.0"'
    at = text.rindex(undamped)  # the elbow's
    urdf = tmp_path / "damped_elbow.urdf"
    urdf.write_text(text[:at] + 'damping="0.026"' + text[at + len(undamped) :])
    return urdf


@pytest.mark.parametrize(
    ("randomize", "advice"),
    [
        ({"joint_damping": 0.01}, "{'joint_damping': 0, 'link_mass': [0.99, 1]}"),
        ({"joint_damping": 0.01, "link_mass": [0.5, 1.5]}, "{'link_mass': [1.5, 1.5]}"),
    ],
    ids=["masses-as-modelled", "upper-end-just-heavy-enough"],
)
def test_the_link_masses_a_refusal_advises_are_the_ones_the_damping_needs(tmp_path, randomize, advice):
    """The 2-link arm at the check pose (0.3 rad per joint) has M11 = 3.408e-3, M12 = 1.204e-3 and
    M22 = 8.5e-5 + 0.1 x 0.05^2 + 2 x (1e-7 + 0.01 x 0.1^2) = 5.352e-4 kg m^2, so its elbow's own
    0.026 N m s/rad acts on det M / M11 = 1.0985e-4 kg m^2: dt D / I = 3.945, within the 8 x 0.5 that 8
    splits allow, and links 0.986 times as heavy would still do (advised rounded up, 0.99). With 0.01
    more on both joints, M^-1 D's largest eigenvalue is 339.2 /s: dt x 339.2 = 5.653 needs links 1.41
    times as heavy (1.5 to two digits; 1.4 is not enough). Asked for that damping on the masses as
    modelled, the advice drops the added damping and keeps the masses at most as modelled (the user
    asked for no heavier links); asked with link masses up to exactly 1.5, the advice keeps the damping
    on links 1.5 times as heavy. Each advice is then accepted."""
    urdf = _damped_elbow(tmp_path)
    make = functools.partial(gym.make, "Robo2DReacher-v0", robot=str(urdf), control="torque")
    env = make()
    assert env.unwrapped.robot.split == 8
    env.close()
    with pytest.raises(ValueError) as refused:
        make(randomize={**randomize, "others": "nominal"})
    assert f"e.g. randomize={advice}, or use" in str(refused.value)
    make(randomize={**randomize, **ast.literal_eval(advice), "others": "nominal"}).close()
    with pytest.raises(ValueError, match="too fast for torque control"):
        make(randomize={"joint_damping": 0.01, "link_mass": 1.4, "others": "nominal"})


def test_advice_is_cut_to_two_digits_towards_zero():
    """An "at most" advice never passes its limit: 0.1999 is 0.19 (rounded, 0.2 would be refused)."""
    assert [advised(x) for x in (0.1999, 0.177, 12.34, 4.26e-6, 0.0, -1.0)] == [0.19, 0.17, 12, 4.2e-6, 0, 0]


def _response_rows(capsys, *args: str) -> list[list[str]]:
    """check-robot's step-response rows, split into their columns."""
    with pytest.raises(SystemExit) as done:
        main(["check-robot", *args])
    assert done.value.code == 0
    out = capsys.readouterr().out.split("held joints\n")[1]
    return [line.split() for line in out.splitlines() if line.startswith("  ")]


def test_check_robot_reports_one_control_step_of_torque(capsys):
    """A torque row: the acceleration commanded and reached (rad/s^2), no overshoot, one step; a lone
    joint has no held joints to move (0 rad/s)."""
    for args, joints in ((("planar_arm",), 2), (("one_joint",), 1)):
        torque = [row for row in _response_rows(capsys, *args) if row[1] == "torque"]
        assert len(torque) == joints
        for _, _, commanded, unit, reached, unit_again, overshoot, settle, _, held, _ in torque:
            assert unit == unit_again == "rad/s^2" and (overshoot, settle) == ("0%", "1")
            assert float(reached) == pytest.approx(float(commanded), rel=TRACKING_TOLERANCE)
            assert joints > 1 or held == "0"


def test_torque_response_of_an_arm_with_weaker_motors(tmp_path):
    """Motors of 0.4 N m: the probe's torque and the acceleration it should give scale with the limit."""
    urdf = tmp_path / "weak.urdf"
    urdf.write_text(robot_path("planar_arm").read_text().replace('effort="1.0"', 'effort="0.4"'))
    for r in step_responses(urdf, "tip", reacher.PHYSICS, reacher.PHYSICS.solver_iterations, "torque"):
        assert r.error <= TRACKING_TOLERANCE, r
