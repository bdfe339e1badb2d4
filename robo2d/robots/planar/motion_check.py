"""Does an arm move as commanded? Step responses measured in the sim, and the solver effort they need.

PyBullet solves joint motors as constraints with a fixed number of Gauss-Seidel iterations. A chain of
light links (a few cm, tens of grams, inertias about each centre of mass) couples its joints so
strongly that 10 iterations leave the shipped 5-link example 64% off its commanded speed (worst joint,
held ones included), 40 within 9%, 80 within 3%; the shipped 2- and 3-link arms track within 0.5% and
4% at their ids' 10. So the iterations are derived from the arm: an id's own count while the arm
tracks within ``TRACKING_TOLERANCE``, doubled until it does, and an arm that cannot be made to track
is refused with the numbers. The same measurements make ``robo2d check-robot``'s report.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import pybullet as pb

from robo2d.core.sim import Sim
from robo2d.robots.planar.arm import POSITION_CONTROL, TORQUE_CONTROL, VELOCITY_CONTROL, PlanarArm
from robo2d.robots.planar.damping import CHECK_ANGLE
from robo2d.robots.robot_file import RobotFileError

TRACKING_TOLERANCE = 0.1  # worst joint-velocity error, as a fraction of the commanded speed
STEP_ACTION = 0.5  # the step the responses command (of the full action)
VELOCITY_STEPS = 5  # control steps to steady state (the shipped arms settle in 2)
POSITION_STEPS = 40  # control steps a position step may take to settle
SETTLE_BAND = 0.05  # settled: within this fraction of the step of its target
MAX_SOLVER_ITERATIONS = 640  # beyond this a step costs milliseconds: the arm is refused instead
TORQUE_PROBE_SPEED = 0.1  # the torque step leaves the joint at this fraction of its speed limit
TABLE_TOLERANCE = 0.001  # m: a collision shape this deep in the table is a contact, not a rounding
#: m: how far apart getClosestPoints looks (PyBullet reports nothing between two links of one body at a
#: distance of 0, even where they overlap); only points at a distance of 0 or less count
CONTACT_QUERY = 0.001
START_ANGLE = CHECK_ANGLE  # rad: every joint bent a little, away from the stretched-out singularity


@dataclass(frozen=True)
class StepResponse:
    """One joint commanded a step in one control mode; the other joints held."""

    joint: str
    control: str
    unit: str
    commanded: float  # the step asked for (velocity rad/s, position rad, torque: expected rad/s^2)
    reached: float  # what the joint did (steady velocity, final angle change, acceleration)
    overshoot: float  # fraction of the step beyond it (velocity and position)
    settle_steps: int | None  # control steps until within SETTLE_BAND, None if never
    others: float  # largest speed of the held joints (rad/s)

    @property
    def error(self) -> float:
        return abs(self.reached - self.commanded) / abs(self.commanded)


def _reset(arm: PlanarArm) -> None:
    arm.reset([START_ANGLE] * arm.n_joints)


def _hold(arm: PlanarArm, joint: int, value: float) -> list[float]:
    action = [0.0] * arm.n_joints
    action[joint] = value
    if arm.control == POSITION_CONTROL:  # the others hold their angles
        action = [arm.position_action(i, q) for i, q in enumerate(arm.q)]
        action[joint] = value
    return action


def _run(arm: PlanarArm, action: list[float], steps: int) -> list[tuple[list[float], list[float]]]:
    out = []
    for _ in range(steps):
        arm.apply_action(action)
        arm.sim.step()
        arm.update()
        out.append((list(arm.q), list(arm.dq)))
    return out


def _settle(values: list[float], target: float, step: float) -> int | None:
    inside = [abs(v - target) <= SETTLE_BAND * abs(step) for v in values]
    for i in range(len(inside)):
        if all(inside[i:]):
            return i + 1
    return None


def velocity_response(arm: PlanarArm, joint: int) -> StepResponse:
    _reset(arm)
    target = STEP_ACTION * arm.max_velocities[joint]
    trace = _run(arm, _hold(arm, joint, STEP_ACTION), VELOCITY_STEPS)
    speeds = [dq[joint] for _, dq in trace]
    others = max((abs(v) for _, dq in trace[-1:] for i, v in enumerate(dq) if i != joint), default=0.0)
    overshoot = max(0.0, max(speeds) - target) / target
    name = arm.chain.moving[joint].name
    return StepResponse(
        name,
        VELOCITY_CONTROL,
        "rad/s",
        target,
        speeds[-1],
        overshoot,
        _settle(speeds, target, target),
        others,
    )


def position_response(arm: PlanarArm, joint: int) -> StepResponse:
    _reset(arm)
    start = arm.q[joint]
    action = _hold(arm, joint, 0.0)
    action[joint] = arm.position_action(joint, start + 0.5)  # a half-radian step, inside the limits
    if abs(action[joint]) > 1.0:
        action[joint] = arm.position_action(joint, start - 0.5)
    target = arm.position_target(joint, action[joint])
    trace = _run(arm, action, POSITION_STEPS)
    angles = [q[joint] - start for q, _ in trace]
    step = target - start
    overshoot = max(0.0, max(a * math.copysign(1, step) for a in angles) - abs(step)) / abs(step)
    others = max((abs(v) for i, v in enumerate(trace[-1][1]) if i != joint), default=0.0)
    name = arm.chain.moving[joint].name
    return StepResponse(
        name, POSITION_CONTROL, "rad", step, angles[-1], overshoot, _settle(angles, step, step), others
    )


def torque_response(arm: PlanarArm, joint: int) -> StepResponse:
    """One control step of torque from rest: the mean acceleration against the model's, M(q)^-1 with the
    joint damping (`PlanarArm.speed_from_rest`), at the physics step torque control takes for this arm.
    The torque is small enough to leave the joint at TORQUE_PROBE_SPEED of its speed limit (where
    velocity terms stay negligible) and at most STEP_ACTION of the effort limit."""
    _reset(arm)
    dt = arm.sim.control_dt
    per_newton_metre = arm.speed_from_rest(joint, 1.0)  # linear in the torque
    speed = TORQUE_PROBE_SPEED * arm.max_velocities[joint]
    action = min(STEP_ACTION, speed / abs(per_newton_metre) / arm.max_torques[joint])
    expected = per_newton_metre * action * arm.max_torques[joint] / dt
    trace = _run(arm, _hold(arm, joint, action), 1)
    reached = trace[0][1][joint] / dt
    others = max((abs(v) for i, v in enumerate(trace[0][1]) if i != joint), default=0.0)
    return StepResponse(
        arm.chain.moving[joint].name, TORQUE_CONTROL, "rad/s^2", expected, reached, 0.0, 1, others
    )


RESPONSES = {
    VELOCITY_CONTROL: velocity_response,
    POSITION_CONTROL: position_response,
    TORQUE_CONTROL: torque_response,
}


def step_responses(path: Path, tip_link: str, physics, iterations: int, control: str) -> list[StepResponse]:
    """Every joint's step response in `control` mode, in a scratch sim with the id's physics."""
    sim = Sim(timestep=physics.timestep, substeps=physics.substeps, solver_iterations=iterations)
    try:
        sim.load_table(physics.table_friction)
        arm = PlanarArm(sim, path, tip_link, control)
        return [RESPONSES[control](arm, j) for j in range(arm.n_joints)]
    finally:
        sim.close()


def tracking_error(responses: list[StepResponse]) -> float:
    """Worst velocity error over the joints, held ones included, as a fraction of the commanded speed."""
    return max(max(r.error, r.others / abs(r.commanded)) for r in responses)


def table_contacts(sim: Sim, arm: PlanarArm, table: int) -> list[tuple[str, float]]:
    """Links whose collision shapes cut into the table by more than TABLE_TOLERANCE at zero joint
    angles (the pose the file draws), with the depth (m): such an arm drags on the table."""
    arm.reset([0.0] * arm.n_joints)
    points = pb.getClosestPoints(arm.body, table, 0.0, physicsClientId=sim.client)
    depth: dict[int, float] = {}
    for point in points:
        depth[point[3]] = max(depth.get(point[3], 0.0), -point[8])
    return [(_link_name(arm, link), d) for link, d in sorted(depth.items()) if d > TABLE_TOLERANCE]


def self_contacts(sim: Sim, arm: PlanarArm) -> list[tuple[str, str]]:
    """Pairs of links, not joined to each other, whose collision shapes touch at zero joint angles.
    PyBullet does not collide a robot with itself here, so these only warn of a drawing that overlaps."""
    arm.reset([0.0] * arm.n_joints)
    cid, n = sim.client, pb.getNumJoints(arm.body, physicsClientId=sim.client)
    parent = {j: pb.getJointInfo(arm.body, j, physicsClientId=cid)[16] for j in range(n)}
    pairs = []
    for a in range(-1, n):
        for b in range(a + 1, n):
            if parent[b] == a or (a >= 0 and parent[a] == b):
                continue
            points = pb.getClosestPoints(arm.body, arm.body, CONTACT_QUERY, a, b, physicsClientId=cid)
            if any(p[8] <= 0.0 for p in points):  # touching or overlapping
                pairs.append((_link_name(arm, a), _link_name(arm, b)))
    return pairs


def _link_name(arm: PlanarArm, link: int) -> str:
    if link < 0:
        return arm.chain.base
    return pb.getJointInfo(arm.body, link, physicsClientId=arm.sim.client)[12].decode()


def _check_table(path: Path, tip_link: str, physics) -> None:
    sim = Sim(timestep=physics.timestep, substeps=physics.substeps)
    try:
        table = sim.load_table()
        cuts = table_contacts(sim, PlanarArm(sim, path, tip_link), table)
    finally:
        sim.close()
    if cuts:
        where = ", ".join(f"{link!r} by {d * 1e3:.1f} mm" for link, d in cuts)
        raise RobotFileError(
            f"{path}: at zero joint angles the collision shapes of {where} cut into the table (z = 0): "
            "the arm would drag on it. Raise the base joint's <origin z> or the links' collision origins"
        )


@functools.lru_cache(maxsize=64)
def _solver_iterations(path: str, stamp: int, tip_link: str, physics) -> tuple[int, float]:
    _check_table(Path(path), tip_link, physics)
    iterations = physics.solver_iterations
    while True:
        error = tracking_error(step_responses(Path(path), tip_link, physics, iterations, VELOCITY_CONTROL))
        if error <= TRACKING_TOLERANCE or iterations * 2 > MAX_SOLVER_ITERATIONS:
            return iterations, error
        iterations *= 2


def solver_iterations(arm: PlanarArm, physics) -> int:
    """The iterations `arm` needs under `physics` to track its velocity commands; RobotFileError if none
    up to MAX_SOLVER_ITERATIONS does, or if the arm cuts into the table, with the numbers and what to
    change. Measured once per file, tip link and physics in a process."""
    stamp = arm.path.stat().st_mtime_ns
    iterations, error = _solver_iterations(str(arm.path), stamp, arm.chain.tip, physics)
    if error > TRACKING_TOLERANCE:
        raise RobotFileError(
            f"{arm.path}: the joints do not follow their velocity commands: off by {error:.0%} of the "
            f"commanded speed with {iterations} solver iterations (at most {TRACKING_TOLERANCE:.0%} "
            "is needed). The links are too light for their motors: give them heavier inertias (check "
            "the <inertia> units, kg m^2, about each centre of mass) or lower the <limit effort>"
        )
    return iterations
