"""robo2d's two-finger parallel jaw gripper (urdf/jaw_gripper.urdf), welded to any arm's flange.

The URDF is the model: finger travel, grip force and speed, pad friction and the tool centre point are
read from it when the gripper is attached. The constants below name the same values for the
documentation (the randomisation table is rendered before anything is loaded); a test checks that
they agree with the file.

How the drive is simulated, and why. A real parallel gripper moves both fingers with one drive
through a linkage (the URDF's ``mimic``, which PyBullet ignores), so they stay mirror images and a
held object stays centred. Two independent force-limited finger motors squeezing an object inside a
tool that hangs on a constraint let PyBullet's solver slide both fingers and the object sideways
(2 cm in a second, measured). So the left finger is the drive, and once both pads touch the same body
the right one is held to the drive's travel by a stiff position loop (the linkage) while the drive,
its target beyond its pad, pushes with its force limit as an applied force: the state a saturated
position loop is in, without the solver's velocity fight. PyBullet turns a motor's force limit into
an impulse over a whole ``stepSimulation`` call, so the limit acts in every substep; the limits are
divided by the substeps so that the stated newtons hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pybullet as pb

from robo2d.core.observation import ObsPart
from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim
from robo2d.robots.manipulators.manipulator import Manipulator
from robo2d.robots.manipulators.shipped import weld_tool

JAW_URDF = "jaw_gripper.urdf"
DRIVE_LINK, MIRROR_LINK = "left_finger", "right_finger"  # on prismatic joints: travel from the centre (m)
SIDE_LINKS = (("left_finger", "left_pad"), ("right_finger", "right_pad"))  # what counts as each finger
PAD_LINKS = ("left_pad", "right_pad")
TCP_LINK = "tcp"
TCP_DEPTH = 0.115  # m from the mounting face to the TCP link (its joint in urdf/jaw_gripper.urdf)
FINGER_TRAVEL = 0.05  # m per finger (the joints' upper limit): the pads open to a 10 cm gap
FINGER_FORCE = 20.0  # N grip (the drive's effort limit): friction 0.5 at both pads holds 20x a 0.1 kg cube
FINGER_SPEED = 0.1  # m/s per finger (the joints' velocity limit): 0.5 s from open to closed
PAD_FRICTION = 1.0  # the pads' lateral friction (rubber); PyBullet multiplies it by the cube's 0.5
LINKAGE_FACTOR = 5.0  # the mirror finger is held to the drive's travel with this many times the grip force
SQUEEZE_MARGIN = 0.002  # m: a target this far beyond a clamping pad saturates the drive's position loop
LOWEST_TCP = 0.025  # m above the table: the fingertips (1.5 cm below the TCP) clear it by 1 cm
PAD_FRICTION_FACTOR = Parameter(
    "pad_friction", "x", (0.8, 1.2), 1.0, "factor on the finger pads' lateral friction (1.0)", (0.05, 5.0)
)
FINGER_FORCE_FACTOR = Parameter(
    "finger_force", "x", (0.8, 1.2), 1.0, "factor on the drive's grip force limit (20 N)", (0.1, 10.0)
)
PARALLEL_JAW_PARAMETERS = (PAD_FRICTION_FACTOR, FINGER_FORCE_FACTOR)  # what the gripper varies


def link_indices(sim: Sim, body: int) -> dict[str, int]:
    """Each link's index by name: PyBullet numbers a link and the joint that moves it alike."""
    cid = sim.client
    joints = range(pb.getNumJoints(body, physicsClientId=cid))
    return {pb.getJointInfo(body, j, physicsClientId=cid)[12].decode(): j for j in joints}


class ParallelJaw:
    """Command in [-1, 1] maps linearly to each finger's travel: -1 closed (pads touching), +1 fully open.

    Position-controlled fingers with a force limit: they close at their speed until they meet or
    squeeze what lies between them with the grip force. is_grasped: both fingers touch the same
    dynamic body (the gripper knows nothing of tasks).
    """

    action_dim = 1

    def __init__(self, sim: Sim, body: int) -> None:
        self.sim, self.body = sim, body
        cid, index = sim.client, link_indices(sim, body)
        self.drive, self.mirror = index[DRIVE_LINK], index[MIRROR_LINK]
        self._sides = [{index[link] for link in links} for links in SIDE_LINKS]
        self._pads = [index[link] for link in PAD_LINKS]
        info = pb.getJointInfo(body, self.drive, physicsClientId=cid)
        self.travel, self.model_force, self.speed = info[9], info[10], info[11]
        self.model_friction = pb.getDynamicsInfo(body, self._pads[0], physicsClientId=cid)[1]
        for pad in self._pads:  # anchored contacts do not creep under a steady squeeze
            pb.changeDynamics(body, pad, frictionAnchor=1, physicsClientId=cid)
        self.force = self.model_force
        self.reset()

    @property
    def is_grasped(self) -> bool:
        return self._grasped

    def randomization_parameters(self) -> list[Parameter]:
        return list(PARALLEL_JAW_PARAMETERS)

    def apply_randomization(self, values: dict[str, float], rng) -> None:
        friction, cid = self.model_friction * values["pad_friction"], self.sim.client
        for pad in self._pads:
            pb.changeDynamics(self.body, pad, lateralFriction=friction, physicsClientId=cid)
        self.force = self.model_force * values["finger_force"]

    def reset(self) -> None:
        """Fingers fully open and at rest, the drive's position loop on."""
        for joint in (self.drive, self.mirror):
            pb.resetJointState(self.body, joint, self.travel, 0.0, physicsClientId=self.sim.client)
        self.drive_travel, self.opening = self.travel, 2 * self.travel
        self._clamping, self._grasped = False, False
        self.apply([1.0])

    def apply(self, command: list[float]) -> None:
        target = self.travel * (command[0] + 1.0) / 2.0
        if self._clamping and target < self.drive_travel - SQUEEZE_MARGIN:
            self._push(self.drive, -self.force)
        else:
            self._position(self.drive, target, self.force)
        if self._clamping:  # the linkage holds the mirror finger where the drive is
            self._position(self.mirror, self.drive_travel, LINKAGE_FACTOR * self.force)
        else:  # both fingers move alike until they close on something
            self._position(self.mirror, target, self.force)

    def _position(self, joint: int, target: float, force: float) -> None:
        pb.setJointMotorControl2(
            self.body,
            joint,
            pb.POSITION_CONTROL,
            targetPosition=target,
            force=force / self.sim.substeps,  # PyBullet applies the limit once per substep
            maxVelocity=self.speed,
            physicsClientId=self.sim.client,
        )

    def _push(self, joint: int, force: float) -> None:
        """The drive's force as an applied force for one step (its position loop off meanwhile)."""
        cid = self.sim.client
        pb.setJointMotorControl2(self.body, joint, pb.VELOCITY_CONTROL, force=0.0, physicsClientId=cid)
        pb.setJointMotorControl2(self.body, joint, pb.TORQUE_CONTROL, force=force, physicsClientId=cid)

    def update(self) -> None:
        """Finger travel, pad gap, contacts and grasp flag, read once per step."""
        cid = self.sim.client
        travels = [s[0] for s in pb.getJointStates(self.body, [self.drive, self.mirror], physicsClientId=cid)]
        self.drive_travel = travels[0]
        self.opening = min(max(sum(travels), 0.0), 2 * self.travel)  # the limits give a little under load
        touched: dict[int, set[int]] = {}
        for contact in pb.getContactPoints(bodyA=self.body, physicsClientId=cid):
            other, link = contact[2], contact[3]
            for side, links in enumerate(self._sides):
                if link in links:
                    touched.setdefault(other, set()).add(side)
        clamped = [other for other, sides in touched.items() if len(sides) == 2]
        self._clamping = bool(clamped)
        self._grasped = any(pb.getDynamicsInfo(other, -1, physicsClientId=cid)[0] > 0 for other in clamped)

    def observation_parts(self) -> list[ObsPart]:
        gap = 2 * self.travel
        return [
            ObsPart.uniform("finger_opening", 1, "m", 0.0, gap, "gap between the pads"),
            ObsPart.uniform("grasped", 1, "0/1", 0.0, 1.0, "cube held between both fingers (is_grasped)"),
        ]

    def observation(self) -> list[float]:
        """Gap between the pads (m), object held between both fingers (1/0)."""
        return [self.opening, float(self._grasped)]


def tcp_offset(robot: Manipulator, tool: int) -> np.ndarray:
    """The tool's TCP link in the flange's link frame (m), read from the welded tool's pose."""
    cid = robot.sim.client
    tcp_link = link_indices(robot.sim, tool)[TCP_LINK]
    tcp = pb.getLinkState(tool, tcp_link, computeForwardKinematics=1, physicsClientId=cid)[4]
    flange_pos, flange_orn = robot.flange_pose()
    inv_pos, inv_orn = pb.invertTransform(flange_pos, flange_orn)
    return np.array(pb.multiplyTransforms(inv_pos, inv_orn, tcp, (0, 0, 0, 1))[0])


@dataclass(frozen=True)
class ParallelJawTool:
    """robo2d's parallel jaw gripper welded to the flange: opened at rest; TCP between the pad centres."""

    urdf: str = JAW_URDF
    parameters: ClassVar[tuple[Parameter, ...]] = PARALLEL_JAW_PARAMETERS
    length: ClassVar[float] = TCP_DEPTH
    floor: ClassVar[float] = LOWEST_TCP

    def attach(self, robot: Manipulator) -> tuple[ParallelJaw, np.ndarray]:
        body = weld_tool(robot, self.urdf)
        return ParallelJaw(robot.sim, body), tcp_offset(robot, body)
