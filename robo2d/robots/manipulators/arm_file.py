"""A manipulator's robot file read for pick-and-place: the serial chain from its base to the flange.

Any fixed-base arm of revolute joints works, whatever its joint and link names: the chain is the
path from the URDF's base link to ``flange_link`` (the link the tool mounts on, its +z axis the tool
axis). What hangs past the flange (a hand, fingers, a camera) is dropped, so robo2d's tool takes its
place; ROS-style extra elements, ``package://`` meshes and massless frame links are handled as for
the planar arms (robots/robot_file.py). A file that does not fit is refused at ``gym.make`` with a
RobotFileError naming the file, the joint or link, and what to change.
"""

from __future__ import annotations

import copy
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from robo2d.robots.robot_file import (
    MASSLESS_INERTIAL,
    MODEL_ELEMENTS,
    RobotFileError,
    model_text,
    resolve_mesh,
)
from robo2d.robots.urdf_check import UrdfJoint, _base_link, _chain, _joint, _parse

MOVING = ("revolute", "continuous")
MIN_ARM_JOINTS = 6  # the TCP's position and a tool-down orientation with yaw: 6 DoF at least
MIN_RANGE = 0.05  # rad: less room than this between a joint's limits moves nothing


@dataclass(frozen=True)
class ArmFile:
    """The arm's chain as the file states it, and the model text PyBullet loads (None: the file as is)."""

    path: Path
    base: str  # the tree's root link
    flange_link: str
    dropped: tuple[str, ...]  # links past the flange, removed so the tool can take their place
    text: str | None

    def load(self, load, **kwargs) -> int:
        """Load with `load(path, **kwargs)` (the Sim's loader), from a cleaned copy where one is needed."""
        if self.text is None:
            return load(str(self.path), **kwargs)
        with tempfile.TemporaryDirectory(prefix="robo2d-arm-") as folder:
            cleaned = Path(folder) / self.path.name
            cleaned.write_text(self.text)
            return load(str(cleaned), **kwargs)


def read_arm(path: Path, flange_link: str | None) -> ArmFile:
    """Parse and check a manipulator URDF; `flange_link` None takes the end of its only chain."""
    root = _parse(path)
    links = {e.get("name"): e for e in root.findall("link")}
    joints = [_joint(path, e) for e in root.findall("joint")]
    base = _base_link(path, links, joints)
    flange = flange_link if flange_link is not None else _chain_end(path, joints)
    if flange not in links:
        raise RobotFileError(
            f"{path}: no link named {flange!r}; pass flange_link= the link the tool mounts on, one of "
            f"{sorted(links)}"
        )
    chain = _chain(joints, base, flange)
    dropped = _descendants(joints, flange)
    for joint in joints:
        _check(path, joint, joint in chain, joint.child in dropped, flange)
    moving = [j for j in chain if j.kind in MOVING]
    if len(moving) < MIN_ARM_JOINTS:
        raise RobotFileError(
            f"{path}: {len(moving)} revolute joints between {base!r} and {flange!r}; pointing a tool down "
            f"anywhere over the table takes {MIN_ARM_JOINTS} (a 6- or 7-DoF arm): check flange_link="
        )
    return ArmFile(path, base, flange, tuple(sorted(dropped)), _model(path, root, dropped))


def _chain_end(path: Path, joints: list[UrdfJoint]) -> str:
    """The child of the last moving joint, where the moving joints form one path from the base."""
    moving = [j for j in joints if j.kind in MOVING]
    ends = [j.child for j in moving if not _descendant_moves(joints, j.child)]
    if len(ends) != 1:
        raise RobotFileError(
            f"{path}: the moving joints end in {len(ends)} links {sorted(ends)}; pass flange_link= the "
            "link the tool mounts on"
        )
    return ends[0]


def _descendant_moves(joints: list[UrdfJoint], link: str) -> bool:
    below = _descendants(joints, link)
    return any(j.kind in MOVING and j.child in below for j in joints)


def _descendants(joints: list[UrdfJoint], link: str) -> set[str]:
    """Every link below `link` in the tree."""
    found, frontier = set(), [link]
    while frontier:
        parent = frontier.pop()
        children = [j.child for j in joints if j.parent == parent]
        found.update(children)
        frontier.extend(children)
    return found


def _check(path: Path, joint: UrdfJoint, on_chain: bool, past_flange: bool, flange: str) -> None:
    if past_flange:
        return  # dropped with the links it moves
    if joint.kind in ("floating", "planar"):
        raise RobotFileError(
            f"{path}: joint {joint.name!r} is {joint.kind}: robo2d's arms stand on a fixed base; make it "
            "fixed (the base is bolted to the table)"
        )
    if joint.kind == "prismatic":
        raise RobotFileError(
            f"{path}: joint {joint.name!r} is prismatic: robo2d moves the tool by revolute joints; make it "
            f"fixed, or mount the tool past it (flange_link= a link below it)"
        )
    if joint.kind in MOVING and not on_chain:
        raise RobotFileError(
            f"{path}: joint {joint.name!r} moves link {joint.child!r}, which is off the chain to {flange!r}: "
            "make it fixed, or pass the flange_link= the tool mounts on"
        )
    if joint.kind == "revolute" and joint.upper - joint.lower < MIN_RANGE:
        raise RobotFileError(
            f"{path}: joint {joint.name!r} has {joint.upper - joint.lower:.3f} rad between its limits "
            f"(lower {joint.lower}, upper {joint.upper}): give it room, or make it fixed"
        )


def _model(path: Path, root: ET.Element, dropped: set[str]) -> str | None:
    """The model text PyBullet loads: the file's, cleaned, with the links past the flange removed; None
    where the file loads as it is. A copy lives elsewhere, so every mesh path is made absolute."""
    if not dropped:
        return model_text(path, root)
    model = ET.Element(root.tag, root.attrib)
    for element in root:
        child = element.find("child")
        gone = element.get("name") in dropped if element.tag == "link" else False
        gone = gone or (element.tag == "joint" and child is not None and child.get("link") in dropped)
        if element.tag in MODEL_ELEMENTS and not gone:
            model.append(copy.deepcopy(element))
    for link in model.findall("link"):
        for mesh in link.iter("mesh"):
            mesh.set("filename", str(resolve_mesh(path, mesh.get("filename", ""), link.get("name"))))
        if link.find("inertial") is None:
            link.insert(0, ET.fromstring(MASSLESS_INERTIAL))
    return ET.tostring(model, encoding="unicode")
