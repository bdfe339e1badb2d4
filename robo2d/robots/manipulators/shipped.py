"""The shipped pick-and-place arms, and how an id builds its arm from ``robot=`` and ``flange_link=``.

The Kuka iiwa (the default) states its geometry, as tuned when its ids were made: a rest pose with the
tool down above the table centre, elbow up, and the table area centred 0.55 m in front of it. The
Panda and the xArm6 of pybullet_data, and any URDF a user names, have theirs found by their own IK
(robots/manipulators/reach.py). The Kuka jaw id's arm is the SDF that carries pybullet_data's two-finger
gripper; on every other arm the jaw id mounts robo2d's own gripper.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pybullet as pb

from robo2d.core.arguments import ANY, Argument
from robo2d.core.assets import asset_path
from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim
from robo2d.robots.manipulators.arm_file import read_arm
from robo2d.robots.manipulators.manipulator import ARM_PARAMETERS, ArmSpec, Manipulator, ToolSpec

PLAIN_ARM = "kuka_iiwa/model.urdf"
GRIPPER_ARM = "kuka_iiwa/kuka_with_gripper2.sdf"
KUKA_FLANGE = "lbr_iiwa_link_7"
FLANGE_OFFSET = 0.045  # m from the Kuka's link 7 frame to its flange face
REST_POSE = (0.0, 0.55, 0.0, -1.45, 0.0, 1.14, 0.0)  # rad: tool down above the table centre, elbow up
KUKA = ArmSpec("kuka", PLAIN_ARM, KUKA_FLANGE, (0.0, 0.0, 0.0), FLANGE_OFFSET, REST_POSE, 0.55)
# the SDF's own pose puts its first joint where model.urdf has it
KUKA_WITH_GRIPPER = ArmSpec(
    "kuka", GRIPPER_ARM, KUKA_FLANGE, (-0.1, 0.0, 0.07), FLANGE_OFFSET, REST_POSE, 0.55
)
#: robot= names of the shipped arms (pybullet_data files) and the link each mounts a tool on
SHIPPED_ARMS = {
    "kuka": KUKA,
    "panda": ArmSpec("panda", "franka_panda/panda.urdf", "panda_link8"),
    "xarm6": ArmSpec("xarm6", "xarm/xarm6_robot.urdf", "link6"),
}
ARM_ARGUMENTS = {
    "robot": Argument(
        "kuka", 'a shipped arm ("kuka", "panda", "xarm6") or a 6/7-DoF arm URDF path', kind=ANY
    ),
    "flange_link": Argument(
        None,
        "the link the tool mounts on (default: the shipped arm's, or the end of a URDF's chain)",
        kind=ANY,
    ),
}


def arm_spec(robot, flange_link) -> ArmSpec:
    """The arm ``robot=`` names: a shipped one (its flange unless `flange_link` is given) or a URDF."""
    if not isinstance(robot, (str, Path)):
        raise TypeError(
            f"robot= takes a shipped arm's name {sorted(SHIPPED_ARMS)} or a URDF path, got {robot!r}"
        )
    if flange_link is not None and not isinstance(flange_link, str):
        raise TypeError(f"flange_link= takes a link name (a str), got {flange_link!r}")
    if str(robot) in SHIPPED_ARMS:
        spec = SHIPPED_ARMS[str(robot)]
        if flange_link is None or flange_link == spec.flange_link:
            return spec
        return ArmSpec(spec.name, spec.model, flange_link, spec.base_position)
    path = Path(robot).expanduser()
    if not path.is_file():
        raise FileNotFoundError(
            f"robot {str(robot)!r}: no such file (looked for {path.resolve()}) and no shipped arm of that "
            f"name; shipped arms: {sorted(SHIPPED_ARMS)}"
        )
    return ArmSpec(path.stem, path.resolve(), flange_link)


@dataclass(frozen=True)
class ArmRobot:
    """How a pick-and-place id builds its robot: the arm from robot=/flange_link=, its tool, yaw control;
    `kuka_arm` (with `kuka_tool`) is what robot="kuka" loads."""

    tool: ToolSpec
    yaw_control: bool = False
    kuka_arm: ArmSpec = KUKA
    kuka_tool: ToolSpec | None = None  # the tool the Kuka's own model carries (None: `tool`)
    argument_names: ClassVar[tuple[str, ...]] = tuple(ARM_ARGUMENTS)

    def parameters(self, settings: dict) -> list[Parameter]:
        """What the arm and its tool vary (the same for every arm)."""
        tool = self.kuka_tool if settings.get("robot") == "kuka" and self.kuka_tool else self.tool
        return [*ARM_PARAMETERS, *tool.parameters]

    def build(self, sim: Sim, settings: dict) -> Manipulator:
        spec = arm_spec(settings["robot"], settings["flange_link"])
        if spec is KUKA:  # the Kuka's files, loaded as they are (bit for bit as before)
            tool = self.kuka_tool or self.tool
            return Manipulator(sim, self.kuka_arm, None, tool, self.yaw_control)
        path = spec.model if isinstance(spec.model, Path) else Path(asset_path(spec.model))
        arm_file = read_arm(path, spec.flange_link)
        return Manipulator(sim, spec, arm_file, self.tool, self.yaw_control)


def rest_start(robot: Manipulator, rng) -> None:
    """The arm at its rest pose, the tool at rest: nothing random."""
    robot.reset()


TOOL_WELD_FORCE = 1e4  # N: effectively rigid


def weld_tool(robot: Manipulator, tool_urdf: str) -> int:
    """Load a tool URDF (its frame is the mounting face) onto the flange and weld it there."""
    sim, cid = robot.sim, robot.sim.client
    frame_pos, frame_orn = robot.flange_pose()
    face = (0, 0, robot.face_offset)
    flange_pos, flange_orn = pb.multiplyTransforms(frame_pos, frame_orn, face, (0, 0, 0, 1))
    tool = sim.load(tool_urdf)
    local_com = pb.getDynamicsInfo(tool, -1, physicsClientId=cid)[3]  # bodies are placed by their COM
    tool_pos, tool_orn = pb.multiplyTransforms(flange_pos, flange_orn, local_com, (0, 0, 0, 1))
    pb.resetBasePositionAndOrientation(tool, tool_pos, tool_orn, physicsClientId=cid)
    sim.weld(robot.body, robot.flange_link, tool, TOOL_WELD_FORCE)
    pb.setCollisionFilterPair(robot.body, tool, robot.flange_link, -1, 0, physicsClientId=cid)
    return tool
