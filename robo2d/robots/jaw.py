"""The two-finger jaw gripper of pybullet_data's kuka_with_gripper2.sdf, driven as a robo2d tool."""

from __future__ import annotations

import pybullet as pb

from robo2d.core.sim import Sim

WRIST_JOINT = 7  # the gripper's own yaw joint: held at 0 (the arm's last joint turns the tool)
LEFT_FINGER, RIGHT_FINGER = 8, 11
LEFT_TIP, RIGHT_TIP = 10, 13
LEFT_LINKS, RIGHT_LINKS = (8, 9, 10), (11, 12, 13)
PAD_LINKS = (9, 10, 12, 13)
OPEN_ANGLE = 0.3  # rad per finger: ~10 cm between the pads; the SDF's +-10 rad limits mean none
CLOSED_ANGLE = 0.0  # rad: pads touching; the fingers would swing past each other beyond it
FINGER_FORCE = 30.0  # N m: 2-6 lose cubes when the arm accelerates; 30 holds them
TIP_FORCE = 30.0
WRIST_FORCE = 100.0
PAD_FRICTION = 1.0


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
        self._forces = [WRIST_FORCE, FINGER_FORCE, TIP_FORCE, FINGER_FORCE, TIP_FORCE]
        self.opening = OPEN_ANGLE
        self._grasped = False

    @property
    def is_grasped(self) -> bool:
        return self._grasped

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

    def observation_bounds(self) -> tuple[list[float], list[float]]:
        return [-0.1, 0.0], [OPEN_ANGLE + 0.1, 1.0]

    def observation(self) -> list[float]:
        """Finger opening (rad), object held between both fingers (1/0)."""
        return [self.opening, float(self._grasped)]
