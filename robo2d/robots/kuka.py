"""The Kuka iiwa from pybullet_data with a robo2d tool on its flange, moved by end-effector IK."""

from __future__ import annotations

import math

import numpy as np
import pybullet as pb

from robo2d.core.sim import Sim

ARM_MODEL = "kuka_iiwa/model.urdf"
FLANGE_LINK = 6
FLANGE_OFFSET = 0.045  # m from link 7's frame to the flange face
DOWN = pb.getQuaternionFromEuler((0.0, math.pi, 0.0))  # flange z axis pointing at the table
REST_POSE = (0.0, 0.55, 0.0, -1.45, 0.0, 1.14, 0.0)  # rad: tool down above the table centre, elbow up
LOWER = (-2.967, -2.094, -2.967, -2.094, -2.967, -2.094, -3.054)
UPPER = tuple(-x for x in LOWER)
RANGES = tuple(u - lo for lo, u in zip(LOWER, UPPER))
JOINT_FORCE = 300.0  # N m, the model's effort limit
POSITION_GAIN = 0.3
IK_ITERATIONS = 20


class Kuka:
    """Kuka iiwa + tool. Action: TCP displacement (dx, dy, dz) * max_step metres, then the tool's command.

    The TCP target integrates the commanded displacements, is clamped to the ``workspace`` box (the tool
    never reaches the table) and is solved by PyBullet IK with the tool pointing down; the null space
    (joint limits, rest pose) keeps the elbow up.
    """

    def __init__(
        self, sim: Sim, tool_urdf: str, tcp_length: float, workspace: tuple, max_step: float = 0.025
    ) -> None:
        self.sim, self.max_step = sim, max_step
        self.tcp_length = tcp_length  # m from the flange face to the TCP along the tool axis
        self.workspace = np.array(workspace, dtype=float)  # ((xmin, ymin, zmin), (xmax, ymax, zmax))
        cid = sim.client
        self.body = sim.load(ARM_MODEL, useFixedBase=True)
        self.joints = list(range(7))
        for j, q in zip(self.joints, REST_POSE):
            pb.resetJointState(self.body, j, q, physicsClientId=cid)
        self.tool_body = self._mount_tool(tool_urdf)
        self.tool = None  # attach_tool(): SuctionCup, ...
        self.action_dim = 3
        self._forces = [JOINT_FORCE] * 7
        self._gains = [POSITION_GAIN] * 7
        self.tcp = np.zeros(3)
        self.tcp_velocity = np.zeros(3)
        self.tcp_target = np.zeros(3)
        self.update()
        self.rest_tcp = self.tcp.copy()

    def _mount_tool(self, tool_urdf: str) -> int:
        """Place the tool's frame on the flange face and weld it there (frames relative to both COMs)."""
        cid = self.sim.client
        com_pos, com_orn, _, _, frame_pos, frame_orn = pb.getLinkState(
            self.body, FLANGE_LINK, computeForwardKinematics=1, physicsClientId=cid
        )
        flange_pos, flange_orn = pb.multiplyTransforms(
            frame_pos, frame_orn, (0, 0, FLANGE_OFFSET), (0, 0, 0, 1)
        )
        tool = self.sim.load(tool_urdf)
        # the tool URDF's base frame is its flange face; PyBullet places bodies by their inertial frame
        local_com = pb.getDynamicsInfo(tool, -1, physicsClientId=cid)[3]
        tool_pos, tool_orn = pb.multiplyTransforms(flange_pos, flange_orn, local_com, (0, 0, 0, 1))
        pb.resetBasePositionAndOrientation(tool, tool_pos, tool_orn, physicsClientId=cid)
        inv_pos, inv_orn = pb.invertTransform(com_pos, com_orn)
        rel_pos, rel_orn = pb.multiplyTransforms(inv_pos, inv_orn, tool_pos, tool_orn)
        weld = pb.createConstraint(
            self.body,
            FLANGE_LINK,
            tool,
            -1,
            pb.JOINT_FIXED,
            (0, 0, 0),
            rel_pos,
            (0, 0, 0),
            parentFrameOrientation=rel_orn,
            physicsClientId=cid,
        )
        pb.changeConstraint(weld, maxForce=1e4, physicsClientId=cid)
        pb.setCollisionFilterPair(self.body, tool, FLANGE_LINK, -1, 0, physicsClientId=cid)
        return tool

    def attach_tool(self, tool) -> None:
        """The tool's commands follow the three TCP displacements in the action."""
        self.tool = tool
        self.action_dim = 3 + tool.action_dim

    def reset(self, tcp_target=None) -> None:
        cid = self.sim.client
        for j, q in zip(self.joints, REST_POSE):
            pb.resetJointState(self.body, j, q, 0.0, physicsClientId=cid)
        if self.tool is not None:
            self.tool.reset()
        self.update()
        self.tcp_target = self.tcp.copy() if tcp_target is None else np.asarray(tcp_target, float)

    def apply_action(self, action: list[float]) -> None:
        step = self.max_step
        target = self.tcp_target + (action[0] * step, action[1] * step, action[2] * step)
        self.tcp_target = np.clip(target, self.workspace[0], self.workspace[1])
        self.move_tcp_to(self.tcp_target)
        if self.tool is not None:
            self.tool.apply(action[3:])

    def move_tcp_to(self, tcp_target) -> None:
        """IK for the flange (the TCP is tcp_length below it, tool down) and position motors."""
        cid = self.sim.client
        x, y, z = tcp_target
        solution = pb.calculateInverseKinematics(
            self.body,
            FLANGE_LINK,
            (x, y, z + self.tcp_length + FLANGE_OFFSET),
            DOWN,
            lowerLimits=LOWER,
            upperLimits=UPPER,
            jointRanges=RANGES,
            restPoses=REST_POSE,
            maxNumIterations=IK_ITERATIONS,
            physicsClientId=cid,
        )
        pb.setJointMotorControlArray(
            self.body,
            self.joints,
            pb.POSITION_CONTROL,
            targetPositions=solution,
            forces=self._forces,
            positionGains=self._gains,
            physicsClientId=cid,
        )

    def update(self) -> None:
        """TCP position and velocity from the flange's link frame (tool pointing down)."""
        state = pb.getLinkState(
            self.body,
            FLANGE_LINK,
            computeLinkVelocity=1,
            computeForwardKinematics=1,
            physicsClientId=self.sim.client,
        )
        pos, orn, vel = state[4], state[5], state[6]
        tcp, _ = pb.multiplyTransforms(pos, orn, (0, 0, FLANGE_OFFSET + self.tcp_length), (0, 0, 0, 1))
        self.tcp = np.array(tcp)
        self.tcp_velocity = np.array(vel)

    def observation(self) -> list[float]:
        """TCP x, y, z (m), TCP velocity (m/s), then the tool's flags."""
        return [*self.tcp.tolist(), *self.tcp_velocity.tolist(), *self.tool.observation()]

    def observation_bounds(self) -> tuple[list[float], list[float]]:
        inf = math.inf
        n = len(self.tool.observation())
        low = [*self.workspace[0] - 0.1, -inf, -inf, -inf] + [0.0] * n
        high = [*self.workspace[1] + 0.1, inf, inf, inf] + [1.0] * n
        return low, high
