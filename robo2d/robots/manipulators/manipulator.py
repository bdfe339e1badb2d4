"""A fixed-base arm with a tool on its flange, moved by TCP displacements that the arm's own IK solves.

One class for every pick-and-place arm: the Kuka iiwa (with robo2d's suction tool, or as the SDF that
carries its two-finger gripper), the shipped Panda and xArm6, or any 6/7-DoF URDF a user names. Its
joints, limits and motor forces come from the file (arm_file.py); its rest pose and the table area
the task draws in are found by its IK (reach.py) unless the arm's spec states them (the Kuka's, kept
as they were). A tool part (``ToolSpec``) mounts on the flange and says where its centre
point is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pybullet as pb

from robo2d.core.observation import ObsPart
from robo2d.core.parts import Tool
from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim
from robo2d.robots.dynamics import ArmDynamics, arm_parameters
from robo2d.robots.manipulators.arm_file import ArmFile
from robo2d.robots.manipulators.reach import (
    DOWN,
    ArmIK,
    TableArea,
    find_heading,
    find_rest_pose,
    find_table_area,
)
from robo2d.robots.planar.kinematics import wrap

LIMIT_DECIMALS = 3  # limits read to the mrad (the Kuka's URDF and SDF state the same ones to 11 and 5 digits)
POSITION_GAIN = 0.3
IK_ITERATIONS = 10  # warm-started at the current pose: ~8 mm lag at full speed, 70 us (20: 3 mm, 130 us)
MAX_YAW = math.pi / 2  # rad, tool yaw range either side of its rest heading
DAMPING_RANGE = 0.5  # N m s/rad added at most by default randomisation
ARM_PARAMETERS = tuple(arm_parameters(DAMPING_RANGE, position_control=True))  # what every arm varies
UNSTATED_EFFORT = 50.0  # N m where the file states no effort limit
CONTINUOUS_RANGE = 2 * math.pi  # rad either side, for IK, of a joint without limits
CAMERA_BEHIND_AREA = 0.2  # m: the camera looks at a point this far behind the table area's centre


@dataclass(frozen=True)
class ArmSpec:
    """Which arm: its file (pybullet_data path or a URDF path), flange and base; the Kuka's geometry is
    stated, any other arm's is found by IK."""

    name: str
    model: str | Path
    flange_link: str | None
    base_position: tuple[float, float, float] = (0.0, 0.0, 0.0)
    face_offset: float = 0.0  # m along the flange link's z axis from its frame to the mounting face
    rest_pose: tuple[float, ...] | None = None
    area_centre: float | None = None  # m, x of the table area's centre


class ToolSpec(Protocol):
    """How a tool goes onto the arm: attach it and say where its centre point is; what it varies."""

    parameters: tuple[Parameter, ...]  # the same the attached tool's randomization_parameters() offers
    length: float  # m from the mounting face to the TCP along the tool axis (for the arm's reach)
    floor: float  # m, the lowest TCP height that keeps the tool off the table

    def attach(self, robot: Manipulator) -> tuple[Tool, Sequence[float]]:
        """The tool (ready, at rest) and the TCP in the flange's link frame (m)."""


class Manipulator:
    """Arm + tool. Action: TCP displacement (dx, dy, dz) * max_step metres, [yaw change * max_yaw_step
    rad], then the tool's commands.

    The TCP target integrates the commanded displacements, is clamped to the ``workspace`` box (the tool
    never reaches the table) and solved by PyBullet IK for the flange with the tool pointing down, the
    TCP offset turned by the yaw; the null space (joint limits, rest pose) keeps the elbow up.
    """

    def __init__(
        self,
        sim: Sim,
        arm: ArmSpec,
        arm_file: ArmFile | None,
        tool: ToolSpec,
        yaw_control: bool = False,
        max_step: float = 0.025,
        max_yaw_step: float = 0.2,
    ) -> None:
        self.sim, self.max_step, self.face_offset = sim, max_step, arm.face_offset
        self.yaw_control, self.max_yaw_step = yaw_control, max_yaw_step
        self.body = _load(sim, arm, arm_file)
        self.arm_file = arm_file  # None: a model loaded as it is (the Kuka's)
        self._read_model(arm.flange_link or arm_file.flange_link)
        self._find_geometry(arm, tool)
        self.workspace = np.array(self.table_area.workspace(tool.floor), dtype=float)
        self.set_rest_pose()
        self.tool, offset = tool.attach(self)
        self.set_tcp_offset(offset)
        self.damping_caps: dict[int, tuple[float, float]] = {}  # joint -> (stated, capped) N m s/rad
        if arm_file is not None:
            self._cap_damping(sim.timestep)
        self.dynamics = ArmDynamics(sim, self.body, self.arm_joints)
        self.action_dim = (4 if yaw_control else 3) + self.tool.action_dim
        self.tcp, self.tcp_velocity, self.tcp_target = np.zeros(3), np.zeros(3), np.zeros(3)
        self.yaw = self.yaw_target = 0.0
        centre_x = (self.table_area.low[0] + self.table_area.high[0]) / 2
        target = (round(centre_x - CAMERA_BEHIND_AREA, 6), 0.0, 0.25)
        self.camera = {"target": target, "distance": 1.5, "yaw": 50.0, "pitch": -25.0}

    def _read_model(self, flange_name: str) -> None:
        """Arm joints (base to flange), limits and motor force from the model; IK needs limits for every
        DoF (a carried gripper's joints get wide ones, so IK leaves them be)."""
        infos = [
            self._joint_info(j) for j in range(pb.getNumJoints(self.body, physicsClientId=self.sim.client))
        ]
        by_link = {info[12].decode(): info for info in infos}
        chain, link = [], by_link[flange_name]
        while link is not None:
            chain.append(link)
            link = infos[link[16]] if link[16] >= 0 else None
        arm = [info for info in reversed(chain) if info[2] != pb.JOINT_FIXED]
        self.arm_joints, self.flange_link = [info[0] for info in arm], by_link[flange_name][0]
        self.lower = tuple(round(_limits(info)[0], LIMIT_DECIMALS) for info in arm)
        self.upper = tuple(round(_limits(info)[1], LIMIT_DECIMALS) for info in arm)
        extra = sum(info[2] != pb.JOINT_FIXED for info in infos) - len(arm)
        self._extra = extra
        self._ik_limits = dict(
            lowerLimits=self.lower + (-math.pi,) * extra,
            upperLimits=self.upper + (math.pi,) * extra,
            jointRanges=tuple(u - lo for lo, u in zip(self.lower, self.upper)) + (2 * math.pi,) * extra,
        )
        self.model_forces = [info[10] if info[10] > 0 else UNSTATED_EFFORT for info in arm]
        self._forces = list(self.model_forces)
        self._gains = [POSITION_GAIN] * len(arm)

    def _cap_damping(self, timestep: float) -> None:
        """A file's ``<dynamics damping>`` D, at most I / dt per joint (I the moving link's smallest
        principal moment): PyBullet applies damping explicitly, so D dt / I past 1 overshoots and a light
        link swings (the xArm6 states 1.0 N m s/rad on a 1e-4 kg m^2 wrist: 0.6 of the jaw oracle's
        episodes succeed as stated, all when capped)."""
        for joint in self.arm_joints:
            stated = self._joint_info(joint)[6]
            inertia = min(pb.getDynamicsInfo(self.body, joint, physicsClientId=self.sim.client)[2])
            if stated > inertia / timestep:
                self.damping_caps[joint] = (stated, inertia / timestep)
                pb.changeDynamics(
                    self.body, joint, jointDamping=inertia / timestep, physicsClientId=self.sim.client
                )

    def _joint_info(self, joint: int) -> tuple:
        return pb.getJointInfo(self.body, joint, physicsClientId=self.sim.client)

    def _find_geometry(self, arm: ArmSpec, tool: ToolSpec) -> None:
        """Rest pose and table area: stated by the spec, else found by tool-down IK from mid-range."""
        self.heading = 0.0  # rad, the flange's turn about the vertical at tool yaw 0
        if arm.rest_pose is not None and arm.area_centre is not None:
            self.rest_pose, self.table_area = tuple(arm.rest_pose), TableArea.centred(arm.area_centre)
        else:
            middle = tuple((lo + u) / 2 for lo, u in zip(self.lower, self.upper))
            self._ik_limits["restPoses"] = middle + (0.0,) * self._extra
            ik = ArmIK(self.sim.client, self.body, self.arm_joints, self.flange_link, self._ik_limits)
            length = self.face_offset + tool.length
            self.heading = find_heading(ik, middle, length, (self.lower[-1], self.upper[-1]))
            name = f"{arm.model} ({arm.name})"
            self.table_area = find_table_area(ik, middle, length, tool.floor, self.heading, name)
            self.rest_pose = find_rest_pose(ik, middle, self.table_area, length, self.heading)
        self._ik_limits["restPoses"] = self.rest_pose + (0.0,) * self._extra

    def randomization_parameters(self) -> list[Parameter]:
        return [*ARM_PARAMETERS, *self.tool.randomization_parameters()]

    def apply_randomization(self, values: dict[str, float], rng) -> None:
        """This episode's link masses, damping, motor force and gain, and the tool's values."""
        self.dynamics.apply(values)
        self._forces = [f * values["motor_force"] for f in self.model_forces]
        self._gains = [POSITION_GAIN * values["position_gain"]] * len(self.arm_joints)
        self.tool.apply_randomization(values, rng)

    def set_rest_pose(self) -> None:
        for j, q in zip(self.arm_joints, self.rest_pose):
            pb.resetJointState(self.body, j, q, 0.0, physicsClientId=self.sim.client)

    def flange_pose(self) -> tuple:
        """Position and orientation of the flange link's frame (the mounting face is face_offset along z)."""
        state = pb.getLinkState(
            self.body, self.flange_link, computeForwardKinematics=1, physicsClientId=self.sim.client
        )
        return state[4], state[5]

    def set_tcp_offset(self, offset_in_flange) -> None:
        """Where the tool centre point sits in the flange's link frame (m)."""
        self.tcp_offset = np.asarray(offset_in_flange, dtype=float)
        self._pose_yaw = math.nan  # invalidates the cached tool orientation (move_tcp_to)

    def reset(self) -> None:
        self.set_rest_pose()
        self.tool.reset()
        self.update()
        self.tcp_target, self.yaw_target = self.tcp.copy(), 0.0

    def prepare_randomization(self, ranges: dict) -> None:
        """Nothing to fit: position motors hold the arm whatever its varied masses and damping."""

    def apply_action(self, action: list[float]) -> None:
        step = self.max_step
        target = self.tcp_target + (action[0] * step, action[1] * step, action[2] * step)
        self.tcp_target = np.clip(target, self.workspace[0], self.workspace[1])
        if self.yaw_control:
            self.yaw_target = min(MAX_YAW, max(-MAX_YAW, self.yaw_target + action[3] * self.max_yaw_step))
        self.move_tcp_to(self.tcp_target, self.yaw_target)
        self.tool.apply(action[self.action_dim - self.tool.action_dim :])

    def move_tcp_to(self, tcp_target, yaw: float = 0.0) -> None:
        """IK for the flange so that the TCP reaches `tcp_target` with the tool down, turned by `yaw`."""
        cid = self.sim.client
        if yaw != self._pose_yaw:  # the tool's orientation and TCP offset change only with the yaw
            self._pose_yaw = yaw
            self._orientation = pb.multiplyTransforms(
                (0, 0, 0), pb.getQuaternionFromEuler((0, 0, yaw + self.heading)), (0, 0, 0), DOWN
            )[1]
            self._offset_world = np.array(
                pb.multiplyTransforms((0, 0, 0), self._orientation, self.tcp_offset, (0, 0, 0, 1))[0]
            )
        flange = np.asarray(tcp_target) - self._offset_world
        solution = pb.calculateInverseKinematics(
            self.body,
            self.flange_link,
            flange.tolist(),
            self._orientation,
            maxNumIterations=IK_ITERATIONS,
            physicsClientId=cid,
            **self._ik_limits,
        )
        pb.setJointMotorControlArray(
            self.body,
            self.arm_joints,
            pb.POSITION_CONTROL,
            targetPositions=solution[: len(self.arm_joints)],
            forces=self._forces,
            positionGains=self._gains,
            physicsClientId=cid,
        )

    def update(self) -> None:
        """TCP position, flange velocity and tool yaw, read once per step."""
        state = pb.getLinkState(
            self.body,
            self.flange_link,
            computeLinkVelocity=1,
            computeForwardKinematics=1,
            physicsClientId=self.sim.client,
        )
        pos, orn = state[4], state[5]
        self.tcp = np.array(pb.multiplyTransforms(pos, orn, self.tcp_offset, (0, 0, 0, 1))[0])
        self.tcp_velocity = np.array(state[6])
        self.tool.update()
        x_axis = pb.getMatrixFromQuaternion(orn)[0:7:3]  # flange x axis in the world
        self.yaw = wrap(math.atan2(x_axis[1], x_axis[0]) - REST_HEADING - self.heading)

    def observation(self) -> list[float]:
        """TCP x, y, z (m), flange velocity (m/s), [tool yaw (rad)], then the tool's state."""
        yaw = [self.yaw] if self.yaw_control else []
        return [*self.tcp.tolist(), *self.tcp_velocity.tolist(), *yaw, *self.tool.observation()]

    def observation_parts(self) -> list[ObsPart]:
        inf, low, high = math.inf, self.workspace[0] - 0.1, self.workspace[1] + 0.1
        parts = [
            ObsPart("tcp", 3, "m", tuple(low.tolist()), tuple(high.tolist()), "TCP x, y, z"),
            ObsPart.uniform("flange_velocity", 3, "m/s", -inf, inf, "flange velocity"),
        ]
        if self.yaw_control:
            parts.append(ObsPart.uniform("tool_yaw", 1, "rad", -math.pi, math.pi, "tool yaw"))
        return parts + self.tool.observation_parts()


REST_HEADING = math.atan2(*reversed(pb.getMatrixFromQuaternion(DOWN)[0:7:3][:2]))


def _limits(info: tuple) -> tuple[float, float]:
    """A joint's limits; PyBullet reads a continuous joint's as lower > upper."""
    lower, upper = info[8], info[9]
    return (lower, upper) if lower <= upper else (-CONTINUOUS_RANGE, CONTINUOUS_RANGE)


def _load(sim: Sim, arm: ArmSpec, arm_file: ArmFile | None) -> int:
    """The arm on the table at its base position, fixed there."""
    if arm_file is None:  # a pybullet_data model loaded as it is (the Kuka's URDF or SDF)
        return sim.load(str(arm.model), arm.base_position, useFixedBase=True)
    return arm_file.load(
        lambda path, **kwargs: sim.load(path, arm.base_position, **kwargs), useFixedBase=True
    )
