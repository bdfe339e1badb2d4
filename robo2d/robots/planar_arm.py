"""Planar arms built from robo2d URDFs: revolute joints about z, a link named ``tip``.

One class serves the 2-link reacher/pusher arm and the one-joint robot. How an action reaches the
motors is the ``control`` argument: joint velocities, or planar tip displacements solved by PyBullet IK.
"""

from __future__ import annotations

import math

import pybullet as pb

from robo2d.core.sim import Sim

TIP_LINK_NAME = b"tip"
JOINT_CONTROL = "joint"
IK_CONTROL = "ik"
IK_ITERATIONS = 20  # calculateInverseKinematics refinement iterations (converges well within this)
IK_DAMPING = 1e-3  # damped least squares: PyBullet's default damping leaves ~8 mm of a 1 cm move undone
POSITION_GAIN = 0.1  # position-motor gain of IK control: fast, without overshoot
MAX_TARGET_LAG = 0.02  # m: the IK tip target stays within this of the actual tip


class PlanarArm:
    """A fixed-base arm whose revolute joints turn about the vertical axis.

    Joint control: action[i] in [-1, 1] sets joint i's target velocity to action[i] * max_joint_velocity
    (rad/s), tracked by a velocity motor with torque limit ``max_torque`` (N m).
    IK control: action (dx, dy) in [-1, 1] moves the tip target by action * max_tip_step metres per step,
    clamped to the reachable annulus, and PyBullet IK turns it into joint position targets.
    """

    def __init__(
        self,
        sim: Sim,
        urdf: str = "planar_arm.urdf",
        control: str = JOINT_CONTROL,
        max_joint_velocity: float = 3.0,
        max_torque: float = 1.0,
        max_tip_step: float = 0.01,
        base_position=(0.0, 0.0, 0.0),
    ) -> None:
        if control not in (JOINT_CONTROL, IK_CONTROL):
            raise ValueError(f"control must be {JOINT_CONTROL!r} or {IK_CONTROL!r}, got {control!r}")
        self.sim = sim
        self.control = control
        self.max_joint_velocity = max_joint_velocity
        self.max_torque = max_torque
        self.max_tip_step = max_tip_step
        cid = sim.client
        self.body = sim.load(urdf, base_position, useFixedBase=True, flags=pb.URDF_USE_INERTIA_FROM_FILE)
        self.joints, self.tip_link, self._segments = self._inspect(cid)
        self.link_lengths = [math.hypot(*seg) for seg in self._segments]
        self._first_joint_xy = pb.getLinkState(self.body, self.joints[0], physicsClientId=cid)[4][:2]
        self.n_joints = len(self.joints)
        self.base_xy = (float(base_position[0]), float(base_position[1]))
        self.reach = sum(self.link_lengths)
        self.min_reach = abs(self.link_lengths[0] - sum(self.link_lengths[1:])) if self.n_joints > 1 else 0.0
        self.tip_height = pb.getLinkState(self.body, self.tip_link, physicsClientId=cid)[0][2]
        for j in self.joints:  # release PyBullet's default velocity motors
            pb.setJointMotorControl2(self.body, j, pb.VELOCITY_CONTROL, force=0.0, physicsClientId=cid)
        self.action_dim = 2 if control == IK_CONTROL else self.n_joints
        self._forces = [max_torque] * self.n_joints
        self._ik_damping = [IK_DAMPING] * self.n_joints
        self._position_gains = [POSITION_GAIN] * self.n_joints
        self.q = [0.0] * self.n_joints
        self.dq = [0.0] * self.n_joints
        self.tip = (0.0, 0.0)
        self.tip_target = (0.0, 0.0)  # IK control: where the tip is being driven

    def _inspect(self, cid: int):
        """Movable joints, the tip link and each link's length, read from the URDF as loaded (angles 0)."""
        joints, tip = [], None
        for j in range(pb.getNumJoints(self.body, physicsClientId=cid)):
            info = pb.getJointInfo(self.body, j, physicsClientId=cid)
            if info[2] != pb.JOINT_FIXED:
                joints.append(j)
            if info[12] == TIP_LINK_NAME:
                tip = j
        if tip is None:
            raise ValueError("arm URDF needs a link named 'tip' (the end effector)")

        def frame_xy(link: int) -> tuple[float, float]:
            return pb.getLinkState(self.body, link, computeForwardKinematics=1, physicsClientId=cid)[4][:2]

        # segments from each joint to the next (or to the tip) in the plane, at zero joint angles
        frames = [frame_xy(j) for j in joints] + [frame_xy(tip)]
        segments = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(frames, frames[1:])]
        return joints, tip, segments

    def reset(self, joint_angles) -> None:
        """Place the joints at rest at `joint_angles` (radians)."""
        cid = self.sim.client
        for j, q in zip(self.joints, joint_angles):
            pb.resetJointState(self.body, j, float(q), 0.0, physicsClientId=cid)
        self.update()
        self.tip_target = self.tip

    def apply_action(self, action: list[float]) -> None:
        """Send one validated action in [-1, 1] to the motors."""
        if self.control == JOINT_CONTROL:
            targets = [a * self.max_joint_velocity for a in action]
            pb.setJointMotorControlArray(
                self.body,
                self.joints,
                pb.VELOCITY_CONTROL,
                targetVelocities=targets,
                forces=self._forces,
                physicsClientId=self.sim.client,
            )
        else:
            self._apply_ik(action[0] * self.max_tip_step, action[1] * self.max_tip_step)

    def clamp_to_workspace(self, x: float, y: float) -> tuple[float, float]:
        """Project a tip target into the reachable annulus (with a 2% margin from its edges)."""
        bx, by = self.base_xy
        dx, dy = x - bx, y - by
        r = math.hypot(dx, dy)
        r_max, r_min = 0.98 * self.reach, max(self.min_reach * 1.02, 0.02 * self.reach)
        if r < 1e-9:
            return bx + r_min, by
        scale = min(max(r, r_min), r_max) / r
        return bx + dx * scale, by + dy * scale

    def _apply_ik(self, dx: float, dy: float) -> None:
        """Integrate the tip target (so a lagging arm still covers the commanded path) and solve IK."""
        cid = self.sim.client
        x, y = self.tip_target[0] + dx, self.tip_target[1] + dy
        lag_x, lag_y = x - self.tip[0], y - self.tip[1]
        lag = math.hypot(lag_x, lag_y)
        if lag > MAX_TARGET_LAG:  # blocked arm: do not wind the target up
            x, y = self.tip[0] + lag_x * MAX_TARGET_LAG / lag, self.tip[1] + lag_y * MAX_TARGET_LAG / lag
        x, y = self.clamp_to_workspace(x, y)
        self.tip_target = (x, y)
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

    def update(self) -> None:
        """Read joint state once per step; the tip follows by planar forward kinematics.

        All joint axes are vertical, so each segment (read from the URDF at zero angles) turns by the
        sum of the joint angles before it; cheaper than asking PyBullet for the link pose.
        """
        states = pb.getJointStates(self.body, self.joints, physicsClientId=self.sim.client)
        self.q = [s[0] for s in states]
        self.dq = [s[1] for s in states]
        x, y = self._first_joint_xy
        angle = 0.0
        for q, (sx, sy) in zip(self.q, self._segments):
            angle += q
            c, s = math.cos(angle), math.sin(angle)
            x += c * sx - s * sy
            y += s * sx + c * sy
        self.tip = (x, y)

    def observation_bounds(self) -> tuple[list[float], list[float]]:
        n = self.n_joints
        return [-1.0] * (2 * n) + [-math.inf] * n, [1.0] * (2 * n) + [math.inf] * n

    def observation(self) -> list[float]:
        """cos and sin of each joint angle, then each joint velocity (rad/s)."""
        obs = []
        for q in self.q:
            obs += (math.cos(q), math.sin(q))
        return obs + self.dq
