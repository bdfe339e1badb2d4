"""The Kuka iiwa from pybullet_data with a tool on its flange, moved by end-effector IK.

One class for every Kuka env, built with its tool in one step: the suction env welds robo2d's
suction tool to the plain arm (``kuka_iiwa/model.urdf``); the jaw env loads the arm that carries the
two-finger gripper (``kuka_iiwa/kuka_with_gripper2.sdf``). A tool part (``ToolSpec``) attaches its
tool and says where its centre point is; joint indices, limits and force come from the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np
import pybullet as pb

from robo2d.core.observation import ObsPart
from robo2d.core.parts import Tool
from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim
from robo2d.robots.dynamics import ArmDynamics, arm_parameters

PLAIN_ARM = "kuka_iiwa/model.urdf"
GRIPPER_ARM = "kuka_iiwa/kuka_with_gripper2.sdf"
# base pose per model: the SDF's own pose puts its first joint where model.urdf has it
BASE_POSITION = {PLAIN_ARM: (0.0, 0.0, 0.0), GRIPPER_ARM: (-0.1, 0.0, 0.07)}
ARM_LINK_PREFIX = "lbr_iiwa_link_"  # the arm's own links in both models; the rest is the tool's
FLANGE_OFFSET = 0.045  # m from link 7's frame to the flange face
DOWN = pb.getQuaternionFromEuler((0.0, math.pi, 0.0))  # flange z axis pointing at the table
REST_POSE = (0.0, 0.55, 0.0, -1.45, 0.0, 1.14, 0.0)  # rad: tool down above the table centre, elbow up
LIMIT_DECIMALS = 3  # the URDF and the SDF state the same limits to 11 and 5 digits: both read as mrad
POSITION_GAIN = 0.3
IK_ITERATIONS = 10  # warm-started at the current pose: ~8 mm lag at full speed, 70 us (20: 3 mm, 130 us)
MAX_YAW = math.pi / 2  # rad, tool yaw range either side of its rest heading
DAMPING_RANGE = 0.5  # N m s/rad added at most by default randomisation (the model states 0.5)
ARM_PARAMETERS = tuple(arm_parameters(DAMPING_RANGE, position_control=True))  # what the arm varies


class ToolSpec(Protocol):
    """How a tool goes onto the arm: attach it and say where its centre point is; what it varies."""

    parameters: tuple[Parameter, ...]  # the same the attached tool's randomization_parameters() offers

    def attach(self, robot: Kuka) -> tuple[Tool, Sequence[float]]:
        """The tool (ready, at rest) and the TCP in the flange's link frame (m)."""


class Kuka:
    """Kuka iiwa + tool. Action: TCP displacement (dx, dy, dz) * max_step metres, [yaw change * max_yaw_step
    rad], then the tool's commands.

    The TCP target integrates the commanded displacements, is clamped to the ``workspace`` box (the tool
    never reaches the table) and solved by PyBullet IK for the flange with the tool pointing down, the
    TCP offset turned by the yaw; the null space (joint limits, rest pose) keeps the elbow up.
    """

    camera = {"target": (0.35, 0.0, 0.25), "distance": 1.5, "yaw": 50.0, "pitch": -25.0}

    def __init__(
        self,
        sim: Sim,
        model: str,
        tool: ToolSpec,
        workspace: tuple,
        max_step: float = 0.025,
        yaw_control: bool = False,
        max_yaw_step: float = 0.2,
    ) -> None:
        self.sim, self.max_step = sim, max_step
        self.workspace = np.array(workspace, dtype=float)  # ((xmin, ymin, zmin), (xmax, ymax, zmax))
        self.yaw_control, self.max_yaw_step = yaw_control, max_yaw_step
        self.body = sim.load(model, BASE_POSITION[model], useFixedBase=True)
        self._read_model()
        self.set_rest_pose()
        self.tool, offset = tool.attach(self)
        self.set_tcp_offset(offset)
        self.dynamics = ArmDynamics(sim, self.body, self.arm_joints)
        self.action_dim = (4 if yaw_control else 3) + self.tool.action_dim
        self.tcp, self.tcp_velocity, self.tcp_target = np.zeros(3), np.zeros(3), np.zeros(3)
        self.yaw = self.yaw_target = 0.0

    def _read_model(self) -> None:
        """Arm joints, flange link, limits and motor force from the model; IK needs limits for every DoF."""
        cid = self.sim.client
        infos = [
            pb.getJointInfo(self.body, j, physicsClientId=cid)
            for j in range(pb.getNumJoints(self.body, physicsClientId=cid))
        ]
        dofs = [info for info in infos if info[2] != pb.JOINT_FIXED]
        arm = [info for info in dofs if info[12].decode().startswith(ARM_LINK_PREFIX)]
        self.arm_joints = [info[0] for info in arm]
        self.flange_link = self.arm_joints[-1]
        lower = tuple(round(info[8], LIMIT_DECIMALS) for info in arm)
        upper = tuple(round(info[9], LIMIT_DECIMALS) for info in arm)
        extra = len(dofs) - len(arm)  # the gripper's joints: limits of none, so IK leaves them be
        self._ik_limits = dict(
            lowerLimits=lower + (-math.pi,) * extra,
            upperLimits=upper + (math.pi,) * extra,
            jointRanges=tuple(u - lo for lo, u in zip(lower, upper)) + (2 * math.pi,) * extra,
            restPoses=REST_POSE + (0.0,) * extra,
        )
        self._model_forces = [info[10] for info in arm]  # N m, the model's effort limits
        self._forces = list(self._model_forces)
        self._gains = [POSITION_GAIN] * len(arm)

    def randomization_parameters(self) -> list[Parameter]:
        return [*ARM_PARAMETERS, *self.tool.randomization_parameters()]

    def apply_randomization(self, values: dict[str, float], rng) -> None:
        """This episode's link masses, damping, motor force and gain, and the tool's values."""
        self.dynamics.apply(values)
        self._forces = [f * values["motor_force"] for f in self._model_forces]
        self._gains = [POSITION_GAIN * values["position_gain"]] * len(self.arm_joints)
        self.tool.apply_randomization(values, rng)

    def set_rest_pose(self) -> None:
        for j, q in zip(self.arm_joints, REST_POSE):
            pb.resetJointState(self.body, j, q, 0.0, physicsClientId=self.sim.client)

    def flange_pose(self) -> tuple:
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
                (0, 0, 0), pb.getQuaternionFromEuler((0, 0, yaw)), (0, 0, 0), DOWN
            )[1]
            self._offset_world = np.array(
                pb.multiplyTransforms((0, 0, 0), self._orientation, self.tcp_offset, (0, 0, 0, 1))[0]
            )
        orientation = self._orientation
        flange = np.asarray(tcp_target) - self._offset_world
        solution = pb.calculateInverseKinematics(
            self.body,
            self.flange_link,
            flange.tolist(),
            orientation,
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
        yaw = math.atan2(x_axis[1], x_axis[0]) - REST_HEADING
        self.yaw = (yaw + math.pi) % (2 * math.pi) - math.pi

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


TOOL_WELD_FORCE = 1e4  # N: effectively rigid


def weld_tool(robot: Kuka, tool_urdf: str) -> int:
    """Load a tool URDF (its frame is the flange face) onto the flange and weld it there."""
    sim, cid = robot.sim, robot.sim.client
    frame_pos, frame_orn = robot.flange_pose()
    flange_pos, flange_orn = pb.multiplyTransforms(frame_pos, frame_orn, (0, 0, FLANGE_OFFSET), (0, 0, 0, 1))
    tool = sim.load(tool_urdf)
    local_com = pb.getDynamicsInfo(tool, -1, physicsClientId=cid)[3]  # bodies are placed by their COM
    tool_pos, tool_orn = pb.multiplyTransforms(flange_pos, flange_orn, local_com, (0, 0, 0, 1))
    pb.resetBasePositionAndOrientation(tool, tool_pos, tool_orn, physicsClientId=cid)
    sim.weld(robot.body, robot.flange_link, tool, TOOL_WELD_FORCE)
    pb.setCollisionFilterPair(robot.body, tool, robot.flange_link, -1, 0, physicsClientId=cid)
    return tool


@dataclass(frozen=True)
class KukaRobot:
    """How a Kuka id builds its robot: model, tool, TCP workspace, yaw control."""

    model: str
    tool: ToolSpec
    workspace: tuple
    yaw_control: bool = False
    argument_names: ClassVar[tuple[str, ...]] = ()  # one arm per id: nothing to choose

    def parameters(self, settings: dict) -> list[Parameter]:
        """What the arm and its tool vary."""
        return [*ARM_PARAMETERS, *self.tool.parameters]

    def build(self, sim: Sim, settings: dict) -> Kuka:
        return Kuka(sim, self.model, self.tool, self.workspace, yaw_control=self.yaw_control)


def rest_start(robot: Kuka, rng) -> None:
    """The arm at its rest pose, the tool at rest: nothing random."""
    robot.reset()
