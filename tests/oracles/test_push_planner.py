"""The pushing oracles' fingertip waypoints, in hand-worked situations: the puck 10 cm out in front of
the arm, its goal straight ahead along +x (the push line), the fingertip placed around it."""

import math

import numpy as np
import pytest

from robo2d.core.sim import Sim
from robo2d.envs import pusher
from robo2d.oracles.planar import PUSH_DONE, PUSH_STANDOFF, PushPlanner
from robo2d.robots.planar.arm import PlanarArm
from robo2d.tasks.push import PUCK_RADIUS

ROBOTS = ("planar_arm", "planar_arm_3link")
REACH = {"planar_arm": 0.20, "planar_arm_3link": 0.12 + 0.10 + 0.06}  # m, the links' lengths summed
KEEP_OFF = 0.05  # m the fingertip keeps from the base of the 0.2 m arm, in proportion to reach for others
PUCK = np.array([0.1, 0.1])
AHEAD, SIDE = np.array([1.0, 0.0]), np.array([0.0, 1.0])  # along the push line, across it


def _planner(robot: str = "planar_arm", base=(0.0, 0.0)) -> tuple[PushPlanner, PlanarArm]:
    """The planner for `robot` with its base at `base` (x, y), and the arm it was made for."""
    physics = pusher.PHYSICS
    sim = Sim(
        timestep=physics.timestep, substeps=physics.substeps, solver_iterations=physics.solver_iterations
    )
    try:
        arm = PlanarArm(sim, robot, control="ik", base_position=(*base, 0.0))
        return PushPlanner(arm), arm
    finally:
        sim.close()


def _touching(arm) -> float:
    """Centre-to-centre distance (m) at which the fingertip touches the puck."""
    return PUCK_RADIUS + arm.tip_radius


def _crossing(tip: np.ndarray, step: np.ndarray) -> float:
    """Where (m along the push line, from the puck's centre) the line of a step crosses the push line."""
    rel = tip - PUCK
    return float(rel @ AHEAD + step @ AHEAD * -(rel @ SIDE) / (step @ SIDE))


@pytest.mark.parametrize("robot", ROBOTS)
def test_far_from_the_puck_the_tip_heads_for_the_standoff_point_behind_it(robot):
    """10 cm to the side of the puck, the fingertip takes a whole step straight for the point behind the
    puck on the push line where a gap of PUSH_STANDOFF is left between fingertip and puck."""
    planner, arm = _planner(robot)
    tip, goal = PUCK + 0.1 * SIDE, PUCK + 0.1 * AHEAD
    step = planner.step(tip, PUCK, goal)
    assert np.linalg.norm(step) == pytest.approx(arm.max_tip_step, rel=1e-6)
    assert _crossing(tip, step) == pytest.approx(-(_touching(arm) + PUSH_STANDOFF), abs=0.001)


@pytest.mark.parametrize("robot", ROBOTS)
@pytest.mark.parametrize("side", [1.0, -1.0])
def test_circling_round_the_puck_is_quick_in_front_and_eases_in_behind(robot, side):
    """At the standoff gap, the fingertip goes round the puck the short way to its back: a whole step at
    a time while it is still in front (150 degrees off the back), short steps once it is 25 degrees off,
    so that it does not sweep past the push line."""
    planner, arm = _planner(robot)
    radius, goal = _touching(arm) + PUSH_STANDOFF, PUCK + 0.1 * AHEAD

    def off_the_back(tip):
        rel = tip - PUCK
        return abs(math.degrees(math.atan2(rel @ SIDE, -(rel @ AHEAD))))

    for degrees, longest, shortest in (
        (150, arm.max_tip_step, arm.max_tip_step),
        (25, 0.3 * arm.max_tip_step, 0),
    ):
        angle = math.radians(degrees)
        tip = PUCK + radius * (-math.cos(angle) * AHEAD + side * math.sin(angle) * SIDE)
        step = planner.step(tip, PUCK, goal)
        assert shortest - 1e-9 <= np.linalg.norm(step) <= longest + 1e-9, degrees
        assert off_the_back(tip + step) < degrees


@pytest.mark.parametrize("robot", ROBOTS)
@pytest.mark.parametrize("to_go", [0.009, 0.02, 0.1])
def test_touching_the_puck_from_behind_the_tip_pushes_it_on_to_the_goal(robot, to_go):
    """Lined up and touching the puck's back, the fingertip steps straight along the push line towards
    the goal, however little way the puck has left (just over PUSH_DONE); closer than that it rests."""
    planner, arm = _planner(robot)
    tip, goal = PUCK - _touching(arm) * AHEAD, PUCK + to_go * AHEAD
    step = planner.step(tip, PUCK, goal)
    assert step @ AHEAD > 0.001
    assert abs(step @ SIDE) < 1e-9
    assert np.linalg.norm(step) <= arm.max_tip_step + 1e-9
    assert not planner.step(tip, PUCK, PUCK + 0.9 * PUSH_DONE * AHEAD).any()


@pytest.mark.parametrize("robot", ROBOTS)
@pytest.mark.parametrize("side", [1.0, -1.0])
def test_a_push_off_the_centre_line_aims_at_the_tip_place_with_the_puck_on_the_goal(robot, side):
    """Touching the puck 6 mm off the push line (still lined up), the fingertip aims at a point on the
    line past where it will touch the puck once the puck sits on the goal, so the push carries the puck
    all the way, but short of the goal itself, which would carry it a puck's width beyond."""
    planner, arm = _planner(robot)
    across = 0.006
    tip = PUCK - math.sqrt(_touching(arm) ** 2 - across**2) * AHEAD + side * across * SIDE
    for to_go in (0.03, 0.06):
        step = planner.step(tip, PUCK, PUCK + to_go * AHEAD)
        assert step @ AHEAD > 0 and side * (step @ SIDE) < 0
        assert to_go - _touching(arm) < _crossing(tip, step) < to_go, to_go


@pytest.mark.parametrize("robot", ROBOTS)
def test_a_tip_found_inside_the_puck_gets_behind_it_before_pushing(robot):
    """An observation with the fingertip's centre inside the puck, 1 cm behind the puck's centre on the
    push line: it is not behind the puck, so the fingertip first backs away from the goal."""
    planner, arm = _planner(robot)
    step = planner.step(PUCK - 0.01 * AHEAD, PUCK, PUCK + 0.1 * AHEAD)
    assert step @ AHEAD < -0.001


@pytest.mark.parametrize("robot", ROBOTS)
@pytest.mark.parametrize("base", [(0.0, 0.0), (0.3, -0.2)])
def test_the_tip_keeps_off_the_arm_base_in_proportion_to_reach(robot, base):
    """Heading for the standoff point behind a puck across the arm's base, the fingertip (5 mm outside
    the keep-off circle) steps no nearer the base than 5 cm x reach / 0.2 m, for an arm anywhere."""
    planner, arm = _planner(robot, base)
    base, keep_off = np.array(base), KEEP_OFF * REACH[robot] / 0.2
    tip, puck, goal = base + (keep_off + 0.005) * AHEAD, base + 0.12 * SIDE, base + 0.2 * SIDE
    step = planner.step(tip, puck, goal)
    assert np.linalg.norm(tip + step - base) >= keep_off - 1e-6
    assert np.linalg.norm(step) < 2 * arm.max_tip_step
    assert step @ SIDE > 0
