"""The planar arms' own kinematics: IK reaches what is reachable and keeps inside the joint limits."""

import math

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.core.sim import Sim
from robo2d.envs import pusher
from robo2d.robots.planar.arm import PlanarArm
from robo2d.robots.planar.kinematics import PlanarKinematics

#: a two-link arm whose elbow sits 2 cm to the side of the first link's axis: folded back within its
#: elbow limit, its tip lands on the shoulder axis (a stall for a local solver), and one of the two
#: ways to most points is out of the elbow's range
BENT_ARM = PlanarKinematics(
    (0.0, 0.0), ((0.1, 0.02), (0.1, 0.0)), (1.0, 1.0), (-math.inf, -2.967), (math.inf, 2.967)
)


def _kinematics(robot: str) -> PlanarKinematics:
    if robot == "bent":
        return BENT_ARM
    env = gym.make("Robo2DReacher-v0", robot=robot).unwrapped
    env.close()
    return env.robot.kinematics


@pytest.mark.parametrize("robot", ["planar_arm", "planar_arm_3link", "bent"])
def test_solve_reaches_random_reachable_points_within_limits(robot):
    kin = _kinematics(robot)
    rng = np.random.default_rng(0)
    lower, upper = np.array(kin.lower), np.array(kin.upper)
    finite_lower, finite_upper = (
        np.where(np.isfinite(lower), lower, -np.pi),
        np.where(np.isfinite(upper), upper, np.pi),
    )
    near_misses, far_misses = 0, 0
    for _ in range(200):
        solution = rng.uniform(finite_lower, finite_upper)
        goal = kin.tip(solution)  # reachable by construction
        if np.hypot(*goal) < 0.2 * kin.reach:  # nearer than any task samples: the elbow folds to its limit
            continue
        near = np.clip(solution + rng.uniform(-0.3, 0.3, solution.shape), lower, upper)  # tracking
        far = rng.uniform(finite_lower, finite_upper)  # anywhere: a local solver may be stuck at a limit
        for start, is_near in ((near, True), (far, False)):
            q = kin.solve(goal, start)
            assert np.all(q >= lower) and np.all(q <= upper)
            missed = np.hypot(*(np.array(kin.tip(q)) - goal)) > 1e-4
            near_misses, far_misses = (
                near_misses + (missed and is_near),
                far_misses + (missed and not is_near),
            )
    # from random starts, a few points stay out of every start's reach (2 and 4 of 200 seen, where the
    # descent from the given start alone missed 12 and 24)
    assert near_misses == 0, f"{near_misses} of 200 points missed from a start 0.3 rad away"
    assert far_misses <= 5, f"{far_misses} of 200 points missed from random starts"


@pytest.mark.parametrize("robot", ["planar_arm_3link", "bent"])
def test_jacobian_columns_match_finite_differences(robot):
    """Also on the arm whose elbow sits to the side of its first link (a segment with a y part)."""
    kin, h = _kinematics(robot), 1e-6
    q = np.array([0.3, -1.1, 2.0][: kin.n_joints])
    for i, column in enumerate(kin._columns(q)):
        dq = np.zeros(kin.n_joints)
        dq[i] = h
        numeric = (np.array(kin.tip(q + dq)) - np.array(kin.tip(q - dq))) / (2 * h)
        np.testing.assert_allclose(column, numeric, atol=1e-7)


@pytest.mark.parametrize("motor_force", [1.0, 0.5])
def test_a_blocked_ik_tip_keeps_its_target_2_cm_ahead_and_its_motors_within_their_effort(motor_force):
    """The IK pusher's fingertip driven diagonally into a fixed corner (walls 2 cm beyond it in +x and
    +y): the tip target stops 2 cm (MAX_TARGET_LAG on the 0.2 m arm) ahead of the jammed tip, along the
    commanded diagonal, instead of winding up; the straining motors give at most the file's 1 N m effort
    times the randomised motor force, and the elbow gives all of it."""
    env = gym.make("Robo2DIKPusher-v0", randomize={"motor_force": motor_force, "others": "nominal"})
    env.reset(seed=0)
    arm, cid = env.unwrapped.robot, env.unwrapped.sim.client
    tip_x, tip_y = arm.tip
    gap = arm.tip_radius + 0.02
    for half, centre in (
        ([0.01, 0.05, 0.03], [tip_x + gap + 0.01, tip_y]),
        ([0.05, 0.01, 0.03], [tip_x, tip_y + gap + 0.01]),
    ):
        shape = pb.createCollisionShape(pb.GEOM_BOX, halfExtents=half, physicsClientId=cid)
        pb.createMultiBody(0, shape, basePosition=[*centre, 0.03], physicsClientId=cid)
    for _ in range(15):
        env.step(np.array([1.0, 1.0], np.float32))
        torques = [s[3] for s in pb.getJointStates(arm.body, arm.joints, physicsClientId=cid)]
        assert max(abs(t) for t in torques) <= motor_force * 1.0 + 1e-9
    jammed = np.array(arm.tip)
    np.testing.assert_allclose(jammed - (tip_x, tip_y), (0.02, 0.02), atol=0.005)  # in the corner
    ahead = np.array(arm.tip_target) - jammed
    assert np.hypot(*ahead) == pytest.approx(0.02, abs=0.0005)
    assert ahead[0] == pytest.approx(ahead[1], abs=0.001)  # along the diagonal
    assert abs(torques[1]) == pytest.approx(motor_force * 1.0)
    env.close()


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("action", [(1.0, 0.0), (-1.0, -1.0)])
def test_ik_control_moves_the_3link_arm_along_its_tip_path(seed, action):
    """From its folded start pose the 3-link arm's IK keeps to the branch it is on: the tip moves at most
    5 cm in any step of 1.4 cm commanded moves (a flip to the mirrored elbow branch sweeps it ~20 cm)."""
    env = gym.make("Robo2DIKPusher-v0", robot="planar_arm_3link")
    env.reset(seed=seed)
    arm = env.unwrapped.robot
    for _ in range(5):
        before = np.array(arm.tip)
        env.step(np.array(action, np.float32))
        assert np.hypot(*(np.array(arm.tip) - before)) < 0.05
    env.close()


def test_the_ik_workspace_clamp_is_centred_on_the_arm_base():
    """The 2-link arm (two 0.1 m links) based at (0.3, -0.2): free moves inside the workspace follow the
    command, 1 cm a step, and a long push outwards stops the tip 0.98 x 0.2 m = 0.196 m from the base."""
    physics = pusher.PHYSICS
    sim = Sim(
        timestep=physics.timestep, substeps=physics.substeps, solver_iterations=physics.solver_iterations
    )
    try:
        arm = PlanarArm(sim, "planar_arm", control="ik", base_position=(0.3, -0.2, 0.0))
        arm.reset([0.5, 1.2])
        start = np.array(arm.tip)
        for action in [(0.0, -1.0)] * 5 + [(0.0, 0.0)] * 5:
            arm.apply_action(action)
            sim.step()
            arm.update()
        np.testing.assert_allclose(arm.tip, start + (0.0, -0.05), atol=0.001)
        for _ in range(60):
            arm.apply_action((1.0, 0.0))
            sim.step()
            arm.update()
        from_base = np.array(arm.tip) - (0.3, -0.2)
        assert np.hypot(*from_base) == pytest.approx(0.196, abs=0.001)
        assert from_base[0] > 0.19
    finally:
        sim.close()


#: three links whose joints bend one way only (an elbow's 0.3-2.8 rad, a shoulder's -1-2.5 rad), as a
#: robot from a CAD tool often has them: the middle of each range is no joint's zero
ONE_WAY_ARM = PlanarKinematics(
    (0.0, 0.0), ((0.1, 0.0), (0.08, 0.0), (0.06, 0.0)), (1.0, 1.0, 1.0), (-1.0, 0.3, 0.3), (2.5, 2.8, 2.8)
)


@pytest.mark.parametrize(
    ("q0", "target"),
    [((0.0365, 2.6179, 2.2614), (-0.1202, 0.0808)), ((-0.8285, 1.274, 1.2151), (-0.1229, -0.0457))],
)
def test_a_stalled_descent_starts_again_from_the_middle_of_one_way_joint_ranges(q0, target):
    """From these starts the descent stalls at a limit (and so does the one with the later joints
    mirrored, clipped into the one-way ranges); from the middle of every range it reaches the target."""
    assert not ONE_WAY_ARM.reaches(ONE_WAY_ARM.solve(target, q0, restart=False), target)
    middle = [(lo + hi) / 2 for lo, hi in zip(ONE_WAY_ARM.lower, ONE_WAY_ARM.upper)]
    assert ONE_WAY_ARM.reaches(ONE_WAY_ARM.solve(target, middle, restart=False), target)
    q = ONE_WAY_ARM.solve(target, q0)
    assert ONE_WAY_ARM.reaches(q, target)
    assert all(lo <= qi <= hi for qi, lo, hi in zip(q, ONE_WAY_ARM.lower, ONE_WAY_ARM.upper))


def test_the_reachers_arm_starts_again_with_its_continuous_shoulder_at_zero():
    """The reacher's two-link arm (a continuous shoulder, an elbow limited to +-2.967 rad): from this
    start the descent stalls; from the mid-range pose, shoulder at 0 and elbow straight, it reaches."""
    kin, q0, target = _kinematics("planar_arm"), (1.4743, -0.4729), (0.1061, -0.1694)
    assert not kin.reaches(kin.solve(target, q0, restart=False), target)
    assert kin.reaches(kin.solve(target, (0.0, 0.0), restart=False), target)
    assert kin.reaches(kin.solve(target, q0), target)


def test_the_pull_towards_mid_range_is_the_gain_times_the_distance_in_half_ranges():
    """A joint limited to -1..3 rad at 0 is 1 rad, half a half-range, below its middle: pulled by
    0.1 * 0.5 = 0.05; at its upper limit, a whole half-range above, by -0.1. A continuous joint is not
    pulled."""
    kin = PlanarKinematics(
        (0.0, 0.0), ((0.1, 0.0), (0.1, 0.0)), (1.0, 1.0), (-1.0, -math.inf), (3.0, math.inf)
    )
    assert kin._away_from_limits([0.0, 0.5]) == pytest.approx([0.05, 0.0])
    assert kin._away_from_limits([3.0, -2.0]) == pytest.approx([-0.1, 0.0])
