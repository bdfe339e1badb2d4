"""Planar arms from any URDF that fits: revolute/continuous joints about parallel vertical axes, a tip link.

One class serves robo2d's 2- and 3-link arms, the one-joint robot and a user's own file
(``robot=`` of every planar env). The file is checked before PyBullet loads it (urdf_check.py) and
its kinematics after (vertical, parallel axes; a workspace); every geometric fact the tasks, the
camera and the oracles use comes from here. How an action reaches the motors is ``control``: joint
velocities, joint torques, joint positions, or planar tip displacements solved by PyBullet IK. Each
motor's torque and speed limits are the file's ``<limit effort velocity>`` (1.0 N m and 3 rad/s
where it states none).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pybullet as pb

from robo2d.core.assets import robot_path
from robo2d.core.observation import ObsPart
from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim
from robo2d.robots.dynamics import ArmDynamics, arm_parameters
from robo2d.robots.planar.damping import (
    DAMPING_STEP_LIMIT,
    MAX_SUBSTEP_FACTOR,
    advised,
    lightest_fitting,
    split_needed,
    too_fast,
)
from robo2d.robots.planar.kinematics import wrap
from robo2d.robots.planar.model import measure_kinematics
from robo2d.robots.robot_file import load_urdf
from robo2d.robots.urdf_check import RobotFileError, read_chain

VELOCITY_CONTROL = "velocity"
TORQUE_CONTROL = "torque"
POSITION_CONTROL = "position"
IK_CONTROL = "ik"
JOINT_CONTROLS = (VELOCITY_CONTROL, TORQUE_CONTROL, POSITION_CONTROL)  # one action entry per joint
POSITION_MOTOR_CONTROLS = (POSITION_CONTROL, IK_CONTROL)  # the controls that drive position motors
ALIASES = {"joint": VELOCITY_CONTROL}  # the name velocity control had before torque and position
DEFAULT_MAX_TORQUE = 1.0  # N m, where the file states no effort limit
DEFAULT_MAX_VELOCITY = 3.0  # rad/s, where the file states no velocity limit
IK_ITERATIONS = 20  # calculateInverseKinematics refinement iterations (converges well within this)
IK_DAMPING = 1e-3  # damped least squares: PyBullet's default damping leaves ~8 mm of a 1 cm move undone
POSITION_GAIN = 0.1  # position-motor gain of IK control: fast, without overshoot
MAX_TARGET_LAG = 0.02  # m (reference arm): the IK tip target stays within this of the actual tip
CAMERA_DISTANCE_PER_REACH = 2.75  # the camera frames the whole workspace with a margin
CAMERA_PITCH = -89.0
DAMPING_RANGE = 0.01  # N m s/rad added at most by default randomisation (0.03 N m at 3 rad/s)


def planar_parameters(control: str) -> list[Parameter]:
    """What a planar arm driven as `control` says varies (the same for every planar arm file)."""
    return arm_parameters(DAMPING_RANGE, ALIASES.get(control, control) in POSITION_MOTOR_CONTROLS)


class PlanarArm:
    """A fixed-base arm whose joints all turn about the vertical axis.

    Velocity control: action[i] in [-1, 1] sets joint i's target velocity to action[i] * its velocity
    limit (rad/s), tracked by a velocity motor with the joint's effort limit (N m).
    Torque control: action[i] * the effort limit is joint i's torque (N m), held for the control step.
    Position control: action[i] picks joint i's target angle, lower + (action + 1) / 2 * (upper - lower)
    within its limits (a continuous joint: action * pi, reached the short way round), tracked by a
    position motor with the joint's effort and velocity limits.
    IK control: action (dx, dy) in [-1, 1] moves the tip target by action * max_tip_step * scale metres
    per step (scale: reach / 0.2 m), clamped to the reachable annulus, and PyBullet IK turns it into
    joint position targets.
    """

    def __init__(
        self,
        sim: Sim,
        robot: str | Path = "planar_arm",
        tip_link: str = "tip",
        control: str = VELOCITY_CONTROL,
        max_tip_step: float = 0.01,
        base_position=(0.0, 0.0, 0.0),
    ) -> None:
        control = ALIASES.get(control, control)
        if control not in (*JOINT_CONTROLS, IK_CONTROL):
            raise ValueError(f"control must be one of {[*JOINT_CONTROLS, IK_CONTROL]}, got {control!r}")
        self.sim, self.control = sim, control
        self.path = robot_path(robot)
        self.chain = read_chain(self.path, tip_link)
        moving = self.chain.moving
        self.max_torques = [j.effort or DEFAULT_MAX_TORQUE for j in moving]  # N m
        self.max_velocities = [j.velocity or DEFAULT_MAX_VELOCITY for j in moving]  # rad/s
        cid = sim.client
        try:
            self.body = load_urdf(
                sim.load,
                self.path,
                self.chain.root,
                position=base_position,
                useFixedBase=True,
                flags=pb.URDF_USE_INERTIA_FROM_FILE,
            )
        except pb.error as err:  # passed robo2d's checks, refused by PyBullet's parser
            raise RobotFileError(
                f"{self.path}: PyBullet cannot load it ({err}); check its geometry and origin elements"
            ) from None
        self.joints, self.tip_link = self._indices(cid)
        self.kinematics = measure_kinematics(self.body, self.joints, self.tip_link, self.chain, cid)
        self.n_joints = len(self.joints)
        self.base_xy = (float(base_position[0]), float(base_position[1]))
        self.reach, self.min_reach = self.kinematics.reach, self.kinematics.min_reach
        # the IK clamp's annulus (2% inside its edges) and solver, fixed once for the hot path
        self._clamp_radii = (0.98 * self.reach, max(self.min_reach * 1.02, 0.02 * self.reach))
        self._redundant = self.n_joints > 2  # PyBullet's IK drives such arms into their joint limits
        self.max_tip_step = max_tip_step * self.kinematics.scale
        self._max_lag = MAX_TARGET_LAG * self.kinematics.scale
        self.tip_height = pb.getLinkState(self.body, self.tip_link, physicsClientId=cid)[0][2]
        self.tip_radius = _collision_radius(self.body, self.tip_link, cid)
        for j in self.joints:  # release PyBullet's default velocity motors
            pb.setJointMotorControl2(self.body, j, pb.VELOCITY_CONTROL, force=0.0, physicsClientId=cid)
        self.action_dim = 2 if control == IK_CONTROL else self.n_joints
        self._forces = list(self.max_torques)
        self._torques = [0.0] * self.n_joints  # torque control: N m held over the control period
        self._ik_damping = [IK_DAMPING] * self.n_joints
        self._position_gains = [POSITION_GAIN] * self.n_joints
        self.dynamics = ArmDynamics(sim, self.body, self.joints)
        self.damping = self.dynamics.damping  # N m s/rad, as modelled
        self.split = 1  # torque control: how many times finer than the id's physics step it steps
        if control == TORQUE_CONTROL:
            sim.step_each_physics_step(self._send_torques)
            refused = self._split_for_damping()
            if refused:
                raise RobotFileError(
                    f"{self.path}: {refused[0]}: lower its <dynamics damping> to at most "
                    f'{advised(refused[1]):.2g}, or use control="velocity" or "position"'
                )
        self.q = [0.0] * self.n_joints
        self.dq = [0.0] * self.n_joints
        self.tip = (0.0, 0.0)
        self.tip_target = (0.0, 0.0)  # IK control: where the tip is being driven
        self.camera = {
            "target": (*self.base_xy, 0.0),
            "distance": CAMERA_DISTANCE_PER_REACH * self.reach,
            "yaw": 0.0,
            "pitch": CAMERA_PITCH,
        }

    def _indices(self, cid: int) -> tuple[list[int], int]:
        """PyBullet indices of the moving joints (base to tip) and of the tip link."""
        by_name = {}
        for j in range(pb.getNumJoints(self.body, physicsClientId=cid)):
            info = pb.getJointInfo(self.body, j, physicsClientId=cid)
            by_name[info[1].decode()] = j
            if info[12].decode() == self.chain.tip:
                tip = j
        return [by_name[j.name] for j in self.chain.moving], tip

    def reset(self, joint_angles) -> None:
        """Place the joints at rest at `joint_angles` (radians)."""
        cid = self.sim.client
        for j, q in zip(self.joints, joint_angles):
            pb.resetJointState(self.body, j, float(q), 0.0, physicsClientId=cid)
        self._torques = [0.0] * self.n_joints
        self.update()
        self.tip_target = self.tip

    def apply_action(self, action: list[float]) -> None:
        """Send one validated action in [-1, 1] to the motors."""
        if self.control == VELOCITY_CONTROL:
            targets = [a * v for a, v in zip(action, self.max_velocities)]
            pb.setJointMotorControlArray(
                self.body,
                self.joints,
                pb.VELOCITY_CONTROL,
                targetVelocities=targets,
                forces=self._forces,
                physicsClientId=self.sim.client,
            )
        elif self.control == TORQUE_CONTROL:
            self._torques = [a * f for a, f in zip(action, self._forces)]  # sent before each physics step
        elif self.control == POSITION_CONTROL:
            self._drive_to([self.position_target(i, a) for i, a in enumerate(action)])
        else:
            self._apply_ik(action[0] * self.max_tip_step, action[1] * self.max_tip_step)

    def _send_torques(self) -> None:
        pb.setJointMotorControlArray(
            self.body, self.joints, pb.TORQUE_CONTROL, forces=self._torques, physicsClientId=self.sim.client
        )

    def position_target(self, joint: int, action: float) -> float:
        """Position control: the angle (rad) `action` in [-1, 1] asks of joint `joint` (see the class)."""
        lower, upper = self.kinematics.lower[joint], self.kinematics.upper[joint]
        if math.isinf(lower):  # continuous: the unwrapped angle nearest the current one
            q = self.q[joint]
            return q + wrap(action * math.pi - q)
        return lower + (action + 1.0) * 0.5 * (upper - lower)

    def position_action(self, joint: int, angle: float) -> float:
        """The position-control action asking joint `joint` for `angle` (rad): position_target's inverse."""
        lower, upper = self.kinematics.lower[joint], self.kinematics.upper[joint]
        if math.isinf(lower):
            return wrap(angle) / math.pi
        return 2.0 * (angle - lower) / (upper - lower) - 1.0

    def _drive_to(self, targets: list[float]) -> None:
        """Position motors towards `targets` (rad) at most at each joint's velocity limit."""
        cid = self.sim.client
        for joint, target, force, gain, speed in zip(
            self.joints, targets, self._forces, self._position_gains, self.max_velocities
        ):
            pb.setJointMotorControl2(
                self.body,
                joint,
                pb.POSITION_CONTROL,
                targetPosition=target,
                force=force,
                positionGain=gain,
                maxVelocity=speed,
                physicsClientId=cid,
            )

    def clamp_to_workspace(self, x: float, y: float) -> tuple[float, float]:
        """Project a tip target into the reachable annulus (with a 2% margin from its edges)."""
        bx, by = self.base_xy
        dx, dy = x - bx, y - by
        r = math.hypot(dx, dy)
        r_max, r_min = self._clamp_radii
        if r < 1e-9:
            return bx + r_min, by
        scale = min(max(r, r_min), r_max) / r
        return bx + dx * scale, by + dy * scale

    def _apply_ik(self, dx: float, dy: float) -> None:
        """Integrate the tip target (so a lagging arm still covers the commanded path) and solve IK."""
        cid = self.sim.client
        x, y = self.tip_target[0] + dx, self.tip_target[1] + dy
        lag_x, lag_y = x - self.tip[0], y - self.tip[1]
        lag, max_lag = math.hypot(lag_x, lag_y), self._max_lag
        if lag > max_lag:  # blocked arm: do not wind the target up
            x, y = self.tip[0] + lag_x * max_lag / lag, self.tip[1] + lag_y * max_lag / lag
        x, y = self.clamp_to_workspace(x, y)
        self.tip_target = (x, y)
        if self._redundant:
            solution = self.kinematics.solve((x, y), self.q, restart=False).tolist()
        else:
            solution = pb.calculateInverseKinematics(
                self.body,
                self.tip_link,
                (x, y, self.tip_height),
                jointDamping=self._ik_damping,
                maxNumIterations=IK_ITERATIONS,
                physicsClientId=cid,
            )
        pb.setJointMotorControlArray(
            self.body,
            self.joints,
            pb.POSITION_CONTROL,
            targetPositions=solution[: self.n_joints],
            forces=self._forces,
            positionGains=self._position_gains,
            physicsClientId=cid,
        )

    def speed_from_rest(self, joint: int, torque: float) -> float:
        """Joint `joint`'s angular velocity (rad/s) after one control period of `torque` (N m) held on it
        from rest where the arm is, by the model: M(q)^-1 (tau - D dq) per physics step, the joint
        damping D (as modelled) integrated explicitly each step as PyBullet does (the joints turn about
        vertical axes, so gravity adds nothing; velocity terms are negligible near rest)."""
        mass = pb.calculateMassMatrix(self.body, list(self.q), physicsClientId=self.sim.client)
        inverse, damping = np.linalg.inv(np.array(mass)), np.array(self.damping)
        tau, speed = np.zeros(self.n_joints), np.zeros(self.n_joints)
        tau[joint] = torque
        for _ in range(self.sim.substeps):
            speed = speed + self.sim.timestep * inverse @ (tau - damping * speed)
        return float(speed[joint])

    def _split_for_damping(
        self, added: float = 0.0, mass_factor: float = 1.0
    ) -> tuple[str, float, float] | None:
        """Split the physics step as torque control needs for the damping (robots/planar/damping.py), with
        `added` on every joint and the links `mass_factor` times as heavy; where it cannot, the refusal's
        numbers, the damping that would do on the worst joint, and that joint's own damping."""
        factor, at_id_step, joint = split_needed(self, self.split, added, mass_factor)
        if factor > MAX_SUBSTEP_FACTOR:
            id_step = self.sim.timestep * self.split
            total = self.damping[joint] + added
            fits = total * MAX_SUBSTEP_FACTOR * DAMPING_STEP_LIMIT / at_id_step  # the ratio scales with D
            return too_fast(self, at_id_step, joint, added, id_step), fits, self.damping[joint]
        if factor > self.split:
            self.sim.split_steps(self.split, factor)
            self.split = factor
        return None

    def prepare_randomization(self, ranges: dict) -> None:
        """Torque control: split the physics step further for the most damping and the lightest links the
        env's randomisation ranges allow; ValueError, with the range that would do, where it cannot."""
        if self.control != TORQUE_CONTROL:
            return
        added = max((high for _, high in ranges.get("joint_damping", ())), default=0.0)
        lightest = min((low for low, _ in ranges.get("link_mass", ())), default=1.0)
        refused = self._split_for_damping(added, lightest)
        if refused:
            narrower = self._narrower(refused[1] - refused[2], added, ranges)
            raise ValueError(
                f"randomize: {refused[0]}, with joint_damping up to {added:g} added and link_mass down to "
                f"{lightest:g}: narrow it, e.g. randomize={{{narrower}}}, or use control="
                '"velocity" or "position"'
            )

    def _narrower(self, added_that_fits: float, added: float, ranges: dict) -> str:
        """Randomize entries that fit: less added damping; where even none fits on links that light, a
        link_mass range starting no lower than the arm takes with the damping asked for, or with none."""
        fits = advised(added_that_fits)
        if fits > 0.0:
            return f"'joint_damping': [0, {fits:.2g}]"
        heaviest = max(high for _, high in ranges.get("link_mass", ((1.0, 1.0),)))
        lightest = lightest_fitting(self, self.split, added)
        if lightest <= heaviest:
            return f"'link_mass': [{lightest:.2g}, {heaviest:g}]"
        lightest = lightest_fitting(self, self.split, 0.0)
        return f"'joint_damping': 0, 'link_mass': [{lightest:.2g}, {max(heaviest, lightest):g}]"

    def randomization_parameters(self) -> list[Parameter]:
        return planar_parameters(self.control)

    def apply_randomization(self, values: dict[str, float], rng) -> None:
        """This episode's masses and damping, motor torque and (IK control) position gain."""
        self.dynamics.apply(values)
        self._forces = [t * values["motor_force"] for t in self.max_torques]
        self._position_gains = [POSITION_GAIN * values.get("position_gain", 1.0)] * self.n_joints

    def update(self) -> None:
        """Read joint state once per step; the tip follows by planar forward kinematics (cheaper than
        asking PyBullet for the link pose)."""
        states = pb.getJointStates(self.body, self.joints, physicsClientId=self.sim.client)
        self.q = [s[0] for s in states]
        self.dq = [s[1] for s in states]
        self.tip = self.kinematics.tip(self.q)

    def observation_parts(self) -> list[ObsPart]:
        n, inf = self.n_joints, math.inf
        return [
            ObsPart.uniform(
                "joint_cos_sin", 2 * n, "-", -1.0, 1.0, "cos, sin of each joint angle, base to tip"
            ),
            ObsPart.uniform("joint_velocity", n, "rad/s", -inf, inf, "angular velocity of each joint"),
        ]

    def observation(self) -> list[float]:
        """cos and sin of each joint angle, then each joint velocity (rad/s)."""
        obs = []
        for q in self.q:
            obs += (math.cos(q), math.sin(q))
        return obs + self.dq


def _collision_radius(body: int, link: int, cid: int) -> float:
    """Radius of the link's collision sphere (or cylinder), 0 without one: how far the tip touches."""
    for shape in pb.getCollisionShapeData(body, link, physicsClientId=cid):
        if shape[2] in (pb.GEOM_SPHERE, pb.GEOM_CYLINDER):
            return float(shape[3][0] if shape[2] == pb.GEOM_SPHERE else shape[3][1])
    return 0.0
