"""What check-robot measures of an arm in motion: position and torque step responses against hand-worked
numbers and the sim, and which links it warns are drawn into each other."""

from pathlib import Path

import pytest

from robo2d.core.assets import robot_path
from robo2d.core.sim import Sim
from robo2d.envs import reacher
from robo2d.robots.planar.arm import PlanarArm
from robo2d.robots.planar.motion_check import (
    POSITION_STEPS,
    START_ANGLE,
    STEP_ACTION,
    VELOCITY_STEPS,
    StepResponse,
    self_contacts,
    step_responses,
    tracking_error,
)
from tests.conftest import ROS_ARM, ROS_TIP, edited_robot

PHYSICS = reacher.PHYSICS
CONTROL_DT = PHYSICS.timestep * PHYSICS.substeps  # s: 3 physics steps of 1/60 s


def _responses(path: Path, control: str, tip: str = "tip", iterations: int = PHYSICS.solver_iterations):
    return {r.joint: r for r in step_responses(path, tip, PHYSICS, iterations, control)}


def test_position_step_goes_the_way_the_limits_allow_and_a_slow_joint_is_caught_mid_way(tmp_path):
    """Each joint is stepped half a radian up from the start pose, or down where that would pass its
    upper limit; the other joints are held. A shoulder limited to 0.2 rad/s moves at that speed for all
    40 control steps (2 s): 0.4 rad, never settled, the held elbow at rest; an elbow whose limit is
    0.6 rad (0.3 above the start) is stepped down and settles there, the held shoulder at rest."""
    slow_shoulder = ('effort="1.0" velocity="3.0"', 'effort="1.0" velocity="0.2"')  # the first: shoulder
    elbow_limit = ('upper="2.967"', 'upper="0.6"')
    responses = _responses(edited_robot(tmp_path, "planar_arm", slow_shoulder, elbow_limit), "position")
    shoulder, elbow = responses["shoulder"], responses["elbow"]
    assert (shoulder.unit, elbow.unit) == ("rad", "rad")
    assert shoulder.commanded == pytest.approx(0.5)
    assert shoulder.reached == pytest.approx(0.2 * POSITION_STEPS * CONTROL_DT, rel=1e-3)  # 0.4 rad
    assert shoulder.settle_steps is None and shoulder.overshoot == 0.0
    assert elbow.commanded == pytest.approx(-0.5)
    assert elbow.reached == pytest.approx(-0.5, abs=1e-3) and elbow.settle_steps is not None
    for r in (shoulder, elbow):
        assert r.others < 1e-3, r  # the held joint does not creep


def test_position_step_of_a_lone_joint_has_no_held_joints_to_move():
    """A one-joint robot's position row: the joint settles on its half-radian step and the held joints'
    speed is 0 rad/s (there are none), not some placeholder."""
    (hinge,) = _responses(robot_path("one_joint"), "position").values()
    assert hinge.unit == "rad" and hinge.commanded == pytest.approx(0.5)
    assert hinge.reached == pytest.approx(0.5, abs=1e-3) and hinge.others == 0.0


def _driven_alone(control: str, action, steps: int) -> list[tuple[list[float], list[float]]]:
    """The light 5-link arm at the id's 10 solver iterations, from the checks' start pose, given
    `action(arm)` every control step in a sim of its own: angles and speeds after each step."""
    sim = Sim(
        timestep=PHYSICS.timestep, substeps=PHYSICS.substeps, solver_iterations=PHYSICS.solver_iterations
    )
    try:
        sim.load_table(PHYSICS.table_friction)
        arm = PlanarArm(sim, ROS_ARM, ROS_TIP, control)
        arm.reset([START_ANGLE] * arm.n_joints)
        commanded, trace = action(arm), []
        for _ in range(steps):
            arm.apply_action(commanded)
            sim.step()
            arm.update()
            trace.append((list(arm.q), list(arm.dq)))
        return trace
    finally:
        sim.close()


def test_position_overshoot_and_held_joints_match_the_arm_driven_in_a_sim_of_its_own():
    """At the id's own 10 solver iterations the light 5-link arm's joint_3 overshoots its position step
    by several percent and the held joints still drift: the overshoot is the peak past the target as a
    fraction of the step, and the held-joint speed the largest at the end, as measured here by driving
    the same arm from the same pose."""
    iterations = PHYSICS.solver_iterations
    reported = _responses(robot_path(ROS_ARM), "position", ROS_TIP, iterations)["joint_3"]

    def half_a_radian_on_joint_3(arm: PlanarArm) -> list[float]:
        targets = [START_ANGLE] * arm.n_joints
        targets[2] += 0.5
        return [arm.position_action(i, q) for i, q in enumerate(targets)]

    trace = _driven_alone("position", half_a_radian_on_joint_3, POSITION_STEPS)
    peak = max(max(q[2] - START_ANGLE for q, _ in trace), 0.0)
    held = max(abs(v) for i, v in enumerate(trace[-1][1]) if i != 2)
    assert reported.commanded == pytest.approx(0.5)
    assert (peak - 0.5) / 0.5 > 0.05  # a visible overshoot
    assert reported.overshoot == pytest.approx((peak - 0.5) / 0.5, rel=1e-6)
    assert held > 1e-4 and reported.others == pytest.approx(held, rel=1e-6)


def test_torque_probe_leaves_the_joint_at_a_tenth_of_its_speed_limit(tmp_path):
    """The torque row's probe is sized to leave the joint at 0.1 of its speed limit after one control
    step: commanded acceleration x 50 ms = 0.3 rad/s for 3 rad/s motors, whatever their effort limit
    (0.4 N m here); where that would need more than half the effort limit, half of it is applied: a
    1 mN m motor on the pointer (7.125e-4 kg m^2 about the hinge: pointer 1.5e-4 + 0.08 kg x 0.075^2,
    tip 0.005 kg x 0.15^2) gets 0.5 mN m, 0.70 rad/s^2."""
    weak = edited_robot(
        tmp_path, "planar_arm", ('effort="1.0"', 'effort="0.4"'), ('effort="1.0"', 'effort="0.4"')
    )
    for r in _responses(weak, "torque").values():
        assert r.commanded * CONTROL_DT == pytest.approx(0.1 * 3.0), r
        assert r.reached == pytest.approx(r.commanded, rel=0.1), r
    tiny = edited_robot(tmp_path, "one_joint", ('effort="1.0"', 'effort="0.001"'))
    (hinge,) = _responses(tiny, "torque").values()
    inertia = 1.5e-4 + 0.08 * 0.075**2 + 1e-8 + 0.005 * 0.15**2  # kg m^2: pointer, tip (izz + m d^2 each)
    assert hinge.commanded == pytest.approx(0.5e-3 / inertia, rel=1e-3)
    assert hinge.reached == pytest.approx(hinge.commanded, rel=0.1)


# A 3-link arm of exact binary sizes (m), so faces drawn onto each other meet at a distance of exactly 0:
# each link 1/8 long and 1/128 thick, 1/64 above the one before; the base a post 1/32 tall.
INERTIAL = (
    '<inertial><origin xyz="{x} 0 0"/><mass value="0.125"/>'
    '<inertia ixx="1e-5" iyy="1e-4" izz="1e-4" ixy="0" ixz="0" iyz="0"/></inertial>'
)
BOX = (
    '<collision><origin xyz="{origin}"/>'
    '<geometry><box size="0.125 0.015625 0.0078125"/></geometry></collision>'
)
POST = (
    '<collision><origin xyz="0 0 0.015625"/>'
    '<geometry><cylinder radius="0.015625" length="0.03125"/></geometry></collision>'
)
#: a fixed mount on link1 at the elbow, drawn into link2 (not joined to it: both hang from link1)
MOUNT = (
    '<joint name="mount_joint" type="fixed"><parent link="link1"/><child link="mount"/>'
    '<origin xyz="0.125 0 0.015625"/></joint><link name="mount"><collision>'
    '<geometry><box size="0.03125 0.03125 0.0078125"/></geometry></collision></link>'
)


def _binary_arm(tmp_path: Path, link3_box: str, post: bool = False, mount: bool = False) -> Path:
    """link3's collision box at `link3_box` (its frame, at zero angles, is x 0.25, z 0.0625; link1's box
    spans z 0.02734-0.03516, link2's 0.04297-0.05078)."""
    text = f'<robot name="binary"><link name="base">{INERTIAL.format(x=0)}{POST if post else ""}</link>'
    parent, offsets = "base", ("0 0 0.03125", "0.125 0 0.015625", "0.125 0 0.015625")
    for i, (name, offset) in enumerate(zip(("link1", "link2", "link3"), offsets)):
        box = link3_box if name == "link3" else "0.0625 0 0"
        text += (
            f'<joint name="joint{i + 1}" type="continuous"><parent link="{parent}"/><child link="{name}"/>'
            f'<origin xyz="{offset}"/><axis xyz="0 0 1"/></joint>'
            f'<link name="{name}">{INERTIAL.format(x=0.0625)}{BOX.format(origin=box)}</link>'
        )
        if name == "link1" and mount:
            text += MOUNT
        parent = name
    text += (
        '<joint name="tip_joint" type="fixed"><parent link="link3"/><child link="tip"/>'
        f'<origin xyz="0.125 0 0"/></joint><link name="tip">{INERTIAL.format(x=0)}</link></robot>'
    )
    path = tmp_path / "binary.urdf"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("link3_box", "post", "mount", "touching"),
    [
        ("0.0625 0 0", False, False, []),  # as drawn: links ride over each other
        ("-0.1875 0 -0.0234375", False, False, [("link1", "link3")]),  # link3's underside on link1's top
        ("-0.1875 0 -0.0224609375", False, False, []),  # ~1 mm (1/1024 m) above link1: clear
        ("-0.25 0 -0.046875", True, False, [("base", "link3")]),  # link3 down in the post; link1 on it
        ("0.0625 0 0", False, True, [("mount", "link2")]),  # a mount on link1 drawn into link2
    ],
    ids=["apart", "face-to-face", "a-millimetre-apart", "into-the-base", "mount-into-a-sibling"],
)
def test_self_contacts_name_links_that_touch_and_are_not_joined(tmp_path, link3_box, post, mount, touching):
    """Links whose collision shapes touch (faces meeting count) or overlap are named, the base included;
    a gap, even one under a millimetre, is no contact; a link sitting on its parent (link1 on the base post, a
    joint's two links) is how arms are drawn and is never named."""
    sim = Sim(timestep=PHYSICS.timestep, substeps=PHYSICS.substeps)
    try:
        arm = PlanarArm(sim, _binary_arm(tmp_path, link3_box, post, mount))
        assert sorted(map(sorted, self_contacts(sim, arm))) == sorted(map(sorted, touching))
    finally:
        sim.close()


def test_tracking_error_is_the_worst_miss_or_held_drift_as_a_fraction_of_the_step():
    """A joint 5% off its 2 rad/s step while the held ones drift at 0.3 rad/s: the drift, 0.3 / 2 =
    15%, is the worse; another joint 20% off with no drift makes it 20%."""
    drifting = StepResponse("shoulder", "velocity", "rad/s", 2.0, 1.9, 0.0, 3, 0.3)
    missing = StepResponse("elbow", "velocity", "rad/s", -1.5, -1.2, 0.0, 3, 0.0)
    assert tracking_error([drifting]) == pytest.approx(0.15)
    assert tracking_error([drifting, missing]) == pytest.approx(0.2)


def test_velocity_rows_held_joints_are_their_speed_at_the_end():
    """The light 5-link arm at 10 solver iterations, joint_3 stepped to half its 3 rad/s limit: the held
    joints are jolted at first and settle later; the row gives the joint's speed and the held joints'
    largest speed at the last of the 5 control steps, in rad/s, as measured here by driving the same
    arm from the same pose."""
    iterations = PHYSICS.solver_iterations
    reported = _responses(robot_path(ROS_ARM), "velocity", ROS_TIP, iterations)["joint_3"]
    trace = _driven_alone(
        "velocity", lambda arm: [STEP_ACTION if i == 2 else 0.0 for i in range(arm.n_joints)], VELOCITY_STEPS
    )
    held = [max(abs(v) for i, v in enumerate(dq) if i != 2) for _, dq in trace]
    speeds = [dq[2] for _, dq in trace]
    assert held[-2] > 1.1 * held[-1]  # the step before drifts more: the last one is what is asked
    assert reported.others == pytest.approx(held[-1], rel=1e-6)
    assert reported.unit == "rad/s" and reported.commanded == pytest.approx(STEP_ACTION * 3.0)
    assert abs(speeds[-2] - speeds[-1]) > 1e-3 and abs(speeds[1] - speeds[-1]) > 1e-3
    assert reported.reached == pytest.approx(speeds[-1], rel=1e-9)  # the speed at the end


def test_velocity_row_of_a_lone_joint_settles_in_the_first_control_step():
    """The one-joint robot's light pointer under its 1 N m velocity motor reaches half its 3 rad/s limit
    within milliseconds: settled (within 5% of the step) from the first 50 ms control step on."""
    (hinge,) = _responses(robot_path("one_joint"), "velocity").values()
    assert hinge.commanded == pytest.approx(1.5) and hinge.reached == pytest.approx(1.5, rel=0.05)
    assert hinge.settle_steps == 1 and hinge.overshoot < 0.05
