"""The two-finger jaw gripper of pybullet_data's kuka_with_gripper2.sdf, driven as a robo2d tool."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pybullet as pb

from robo2d.core.observation import ObsPart
from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim
from robo2d.robots.manipulators.manipulator import Manipulator

WRIST_JOINT = 7  # the gripper's own yaw joint: held at 0 (the arm's last joint turns the tool)
LEFT_FINGER, RIGHT_FINGER = 8, 11
LEFT_TIP, RIGHT_TIP = 10, 13
LEFT_LINKS, RIGHT_LINKS = (8, 9, 10), (11, 12, 13)
PAD_LINKS = (9, 10, 12, 13)
OPEN_ANGLE = 0.3  # rad per finger: ~10 cm between the pads; the SDF's +-10 rad limits mean none
CLOSED_ANGLE = 0.0  # rad: pads touching; the fingers would swing past each other beyond it
FINGER_FORCE = 30.0  # N m: far above a grasp's squeeze, so the limit never binds while holding a cube
TIP_FORCE = 30.0
WRIST_FORCE = 100.0
PAD_FRICTION = 1.0
PAD_FRICTION_FACTOR = Parameter(
    "pad_friction", "x", (0.8, 1.2), 1.0, "factor on the finger pads' lateral friction (1.0)", (0.05, 5.0)
)
FINGER_FORCE_FACTOR = Parameter(
    "finger_force", "x", (0.8, 1.2), 1.0, "factor on the finger motors' force limit (30 N m)", (0.1, 10.0)
)
JAW_PARAMETERS = (PAD_FRICTION_FACTOR, FINGER_FORCE_FACTOR)  # what the jaw gripper varies
LOWEST_TCP = 0.048  # m above the table: keeps the open pads 2.5 cm up
PAD_BELOW_TIP_FRAMES = 0.03  # m: the TCP sits between the pads, this far past the fingertip link frames


class JawGripper:
    """Command in [-1, 1] maps linearly to the finger opening: -1 closed, +1 fully open (0.3 rad).

    is_grasped: both fingers touch the same dynamic body (the gripper knows nothing of tasks).
    """

    action_dim = 1

    def __init__(self, sim: Sim, body: int) -> None:
        self.sim, self.body = sim, body
        cid = sim.client
        for link in PAD_LINKS:
            pb.changeDynamics(body, link, lateralFriction=PAD_FRICTION, frictionAnchor=1, physicsClientId=cid)
        self._joints = [WRIST_JOINT, LEFT_FINGER, LEFT_TIP, RIGHT_FINGER, RIGHT_TIP]
        self._forces = self._finger_forces(1.0)
        self.opening = OPEN_ANGLE
        self._grasped = False

    @staticmethod
    def _finger_forces(factor: float) -> list[float]:
        finger, tip = FINGER_FORCE * factor, TIP_FORCE * factor
        return [WRIST_FORCE, finger, tip, finger, tip]

    @property
    def is_grasped(self) -> bool:
        return self._grasped

    def randomization_parameters(self) -> list[Parameter]:
        return list(JAW_PARAMETERS)

    def apply_randomization(self, values: dict[str, float], rng) -> None:
        friction, cid = PAD_FRICTION * values["pad_friction"], self.sim.client
        for link in PAD_LINKS:
            pb.changeDynamics(self.body, link, lateralFriction=friction, physicsClientId=cid)
        self._forces = self._finger_forces(values["finger_force"])

    def reset(self) -> None:
        cid = self.sim.client
        for joint, q in zip(self._joints, self._targets(OPEN_ANGLE)):
            pb.resetJointState(self.body, joint, q, 0.0, physicsClientId=cid)
        self.opening, self._grasped = OPEN_ANGLE, False

    @staticmethod
    def _targets(opening: float) -> list[float]:
        return [0.0, -opening, 0.0, opening, 0.0]

    def apply(self, command: list[float]) -> None:
        target = CLOSED_ANGLE + (OPEN_ANGLE - CLOSED_ANGLE) * (command[0] + 1.0) / 2.0
        pb.setJointMotorControlArray(
            self.body,
            self._joints,
            pb.POSITION_CONTROL,
            targetPositions=self._targets(target),
            forces=self._forces,
            physicsClientId=self.sim.client,
        )

    def update(self) -> None:
        """Finger opening and grasp flag, read once per step."""
        cid = self.sim.client
        self.opening = pb.getJointState(self.body, RIGHT_FINGER, physicsClientId=cid)[0]
        touched = {}
        for contact in pb.getContactPoints(bodyA=self.body, physicsClientId=cid):
            link, other = contact[3], contact[2]
            if other != self.body and (link in LEFT_LINKS or link in RIGHT_LINKS):
                touched.setdefault(other, set()).add("left" if link in LEFT_LINKS else "right")
        self._grasped = any(
            len(sides) == 2 and pb.getDynamicsInfo(other, -1, physicsClientId=cid)[0] > 0
            for other, sides in touched.items()
        )

    def observation_parts(self) -> list[ObsPart]:
        return [
            ObsPart.uniform("finger_opening", 1, "rad", -0.1, OPEN_ANGLE + 0.1, "finger opening"),
            ObsPart.uniform("grasped", 1, "0/1", 0.0, 1.0, "cube held between both fingers (is_grasped)"),
        ]

    def observation(self) -> list[float]:
        """Finger opening (rad), object held between both fingers (1/0)."""
        return [self.opening, float(self._grasped)]


def gripper_tcp_offset(robot: Manipulator) -> np.ndarray:
    """TCP in the flange frame: between the fingertips, past their link frames along the tool axis.

    It lies ~0.26 m along the tool axis and 2.4 cm off it, so it turns with the wrist: IK aimed at
    the flange alone would miss small objects.
    """
    cid = robot.sim.client
    tips = [
        np.array(pb.getLinkState(robot.body, link, computeForwardKinematics=1, physicsClientId=cid)[4])
        for link in (LEFT_TIP, RIGHT_TIP)
    ]
    flange_pos, flange_orn = robot.flange_pose()
    axis = np.array(pb.getMatrixFromQuaternion(flange_orn)).reshape(3, 3)[:, 2]
    tcp = (tips[0] + tips[1]) / 2 + PAD_BELOW_TIP_FRAMES * axis
    inv_pos, inv_orn = pb.invertTransform(flange_pos, flange_orn)
    return np.array(pb.multiplyTransforms(inv_pos, inv_orn, tcp.tolist(), (0, 0, 0, 1))[0])


@dataclass(frozen=True)
class JawTool:
    """The gripper that kuka_with_gripper2.sdf carries: opened at rest; TCP between the pads."""

    parameters: ClassVar[tuple[Parameter, ...]] = JAW_PARAMETERS
    length: ClassVar[float] = 0.26  # m, mounting face to TCP (the Kuka's stated geometry needs no search)
    floor: ClassVar[float] = LOWEST_TCP

    def attach(self, robot: Manipulator) -> tuple[JawGripper, np.ndarray]:
        gripper = JawGripper(robot.sim, robot.body)
        gripper.reset()
        return gripper, gripper_tcp_offset(robot)
