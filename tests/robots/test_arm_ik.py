"""Tool-down IK on an arm (robo2d/robots/manipulators/reach.py), checked on a one-joint arm whose
flange can only turn about the vertical, where every answer is known by hand."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pybullet as pb
import pytest

from robo2d.robots.manipulators.reach import (
    ANGLE_TOLERANCE,
    HEADINGS,
    POSITION_TOLERANCE,
    REST_TCP_HEIGHT,
    ArmIK,
    TableArea,
    find_heading,
    find_table_area,
)
from robo2d.robots.robot_file import RobotFileError

BOOM = 0.5  # m from the yaw axis to the flange
HEIGHT = 0.3  # m, the flange's height
INERTIA = '<inertia ixx="0.01" iyy="0.01" izz="0.01" ixy="0" ixz="0" iyz="0"/>'
LINK = f'<inertial><mass value="1"/>{INERTIA}</inertial>'
YAW_ARM = f"""<?xml version="1.0"?>
<robot name="yaw_arm">
  <link name="base">{LINK}</link><link name="boom">{LINK}</link><link name="flange">{LINK}</link>
  <joint name="yaw" type="revolute"><parent link="base"/><child link="boom"/><axis xyz="0 0 1"/>
    <limit lower="-3.1" upper="3.1" effort="10" velocity="1"/></joint>
  <joint name="mount" type="fixed"><parent link="boom"/><child link="flange"/>
    <origin xyz="{BOOM} 0 {HEIGHT}" rpy="0 {{pitch}} 0"/></joint>
</robot>"""


@pytest.fixture
def yaw_arm(tmp_path):
    """ArmIK on the one-joint arm, its flange's +z axis tipped `tilt` rad from straight down."""
    client = pb.connect(pb.DIRECT)

    def make(tilt: float) -> ArmIK:
        path = tmp_path / f"yaw_arm_{tilt:.3f}.urdf"
        path.write_text(YAW_ARM.format(pitch=math.pi - tilt))
        body = pb.loadURDF(str(path), useFixedBase=True, physicsClientId=client)
        return ArmIK(client, body, [0], 1, {})

    yield make
    pb.disconnect(client)


def test_a_flange_held_straight_down_reports_no_angle_error_at_any_yaw(yaw_arm):
    """Straight down at every turn of the joint, rounding included (for some turns PyBullet's rotation
    matrix puts the z axis a hair past -1)."""
    ik = yaw_arm(0.0)
    for k in range(256):
        yaw = -3.0 + 6.0 * k / 255
        target = (BOOM * math.cos(yaw), BOOM * math.sin(yaw), HEIGHT)
        angles, error, angle = ik.solve(target, (0.0,), heading=yaw)
        assert angles[0] == pytest.approx(yaw, abs=1e-4)
        assert error < 1e-4
        assert angle < 1e-6


def test_a_flange_that_cannot_point_down_reports_its_angle_from_down(yaw_arm):
    """A flange tipped 90 degrees is 90 degrees from down wherever the joint turns it."""
    ik = yaw_arm(math.pi / 2)
    for yaw in (-1.0, 0.0, 2.0):
        target = (BOOM * math.cos(yaw), BOOM * math.sin(yaw), HEIGHT)
        _, error, angle = ik.solve(target, (0.0,), heading=yaw)
        assert error < 0.05
        assert angle == pytest.approx(math.pi / 2, abs=1e-6)


def test_solving_puts_the_arm_back_as_it_was(yaw_arm):
    ik = yaw_arm(0.0)
    pb.resetJointState(ik.body, 0, 0.3, 0.0, physicsClientId=ik.client)
    angles, _, _ = ik.solve((0.0, BOOM, HEIGHT), (0.0,), heading=math.pi / 2)
    assert angles[0] == pytest.approx(math.pi / 2, abs=1e-4)
    assert pb.getJointState(ik.body, 0, physicsClientId=ik.client)[:2] == (0.3, 0.0)


class TurnIK:
    """A stand-in IK whose last joint turns as the heading asks, with a chosen position error per
    heading: what find_heading weighs, set by hand. It keeps the flange targets asked for."""

    def __init__(
        self, errors: dict[float, float] | None = None, tilts: dict[float, float] | None = None
    ) -> None:
        self.errors, self.tilts = errors or {}, tilts or {}
        self.targets: list[tuple[float, ...]] = []

    def solve(self, flange_target, start, heading: float):
        self.targets.append(tuple(flange_target))
        return [0.0, 0.0, heading], self.errors.get(heading, 0.0), self.tilts.get(heading, 0.0)


@pytest.mark.parametrize(
    ("last_range", "expected"), [((0.5, 2.5), math.pi / 2), ((-2.0, -0.2), -math.pi / 4)]
)
def test_the_heading_leaves_the_last_joint_nearest_the_middle_of_its_range(last_range, expected):
    assert find_heading(TurnIK(), (0.0, 0.0, 0.0), 0.1, last_range) == expected


@pytest.mark.parametrize(("half_range", "expected"), [(1.0, 0.0), (4.0, math.pi / 4)])
def test_a_joint_half_a_range_from_its_middle_weighs_as_much_as_a_metre_of_error(half_range, expected):
    """Heading 0 misses by 0.25 m, heading pi/4 reaches but leaves the joint pi/4 from its middle: that
    costs pi/4 half-ranges, 0.785 on a joint of +-1 rad (more than the miss) and 0.196 on one of +-4
    rad (less)."""
    ik = TurnIK({h: 0.25 for h in HEADINGS if h != math.pi / 4})
    assert find_heading(ik, (0.0, 0.0, 0.0), 0.1, (-half_range, half_range)) == expected


def test_every_heading_is_judged_with_the_tool_over_the_middle_of_the_candidate_areas():
    """Area centres from 0.55 m to 0.3 m: the middle is 0.425 m ahead, at the rest height plus the
    tool's length above the table."""
    ik = TurnIK()
    find_heading(ik, (0.0, 0.0, 0.0), 0.1, (-1.0, 1.0))
    assert len(ik.targets) == len(HEADINGS)
    assert all(t == pytest.approx((0.425, 0.0, REST_TCP_HEIGHT + 0.1)) for t in ik.targets)


class FieldIK:
    """A stand-in IK that misses each flange target by `miss(x, y)` m and tips the tool `tilt` rad:
    an arm's reach set by hand. It keeps the flange targets asked for."""

    def __init__(self, miss=lambda x, y: 0.0, tilt: float = 0.0) -> None:
        self.miss, self.tilt = miss, tilt
        self.targets: list[tuple[float, ...]] = []

    def solve(self, flange_target, start, heading: float):
        self.targets.append(tuple(flange_target))
        return [0.0], self.miss(*flange_target[:2]), self.tilt


TOOL, FLOOR = 0.1, 0.02  # m: tool length, the TCP's lowest height


def _area(ik) -> TableArea:
    return find_table_area(ik, (0.0,), TOOL, FLOOR, 0.0, "test arm")


def test_an_area_is_checked_on_a_three_by_three_grid_at_three_heights():
    """The first candidate, centred 0.55 m ahead: x 0.45-0.65 m, y -0.15-0.15 m, at the TCP's lowest
    height, 10 and 30 cm, each with the flange the tool's length above the TCP."""
    ik = FieldIK()
    assert _area(ik) == TableArea.centred(0.55)
    grid = itertools.product((0.45, 0.55, 0.65), (-0.15, 0.0, 0.15), (FLOOR + TOOL, 0.1 + TOOL, 0.3 + TOOL))
    assert np.allclose(sorted(ik.targets), sorted(grid))


def test_the_farthest_area_the_arm_reaches_all_over_is_chosen():
    """An arm that reaches only to 0.55 m: the areas centred at 0.55 and 0.5 m go past it by 10 and 5
    cm, the one at 0.45 m does not."""
    assert _area(FieldIK(miss=lambda x, y: max(0.0, x - 0.55))) == TableArea.centred(0.45)


def test_an_arm_that_reaches_no_area_is_refused_with_the_nearest_miss():
    """Misses of 7 cm plus a tenth of the distance from x = 0.45 m: at worst 8 cm, over the area there."""
    with pytest.raises(RobotFileError) as refused:
        _area(FieldIK(miss=lambda x, y: 0.07 + 0.1 * abs(x - 0.45)))
    message = str(refused.value)
    assert message.startswith("test arm: the tool cannot reach the table pointing down: over a 0.2 x 0.3 m")
    assert "area centred at x = 0.45 m" in message
    assert "the TCP misses by up to 8.0 cm and the tool tips up to 0.0 degrees" in message
    assert "(allowed: 1 cm, 5.7 degrees)" in message


def test_an_arm_that_reaches_every_point_but_not_tool_down_is_refused_with_its_tilt():
    with pytest.raises(
        RobotFileError, match=r"misses by up to 0\.0 cm and the tool tips up to 11\.5 degrees"
    ):
        _area(FieldIK(tilt=0.2))


def test_a_heading_whose_tool_tips_loses_to_one_held_straight_down():
    """Every heading reaches; all but pi/4 tip the tool 0.3 rad, which outweighs pi/4's joint being
    pi/4 from the middle of a +-4 rad range (0.196 half-ranges)."""
    ik = TurnIK(tilts={h: 0.3 for h in HEADINGS if h != math.pi / 4})
    assert find_heading(ik, (0.0, 0.0, 0.0), 0.1, (-4.0, 4.0)) == math.pi / 4


def test_an_area_reached_at_exactly_the_tolerances_is_accepted():
    """'Within' the tolerances includes them: a 1 cm miss with the tool tipped 0.1 rad everywhere."""
    ik = FieldIK(miss=lambda x, y: POSITION_TOLERANCE, tilt=ANGLE_TOLERANCE)
    assert _area(ik) == TableArea.centred(0.55)
