"""Read a planar robot's URDF as robo2d will use it, and say in words what does not fit.

Checks made on the file itself, before PyBullet sees it (PyBullet would crash on some, silently
guess on others): well-formed XML, one tree of links, a tip link, only revolute/continuous joints
on the chain from base to tip (fixed ones anywhere), limits that leave each joint room to move,
mass and inertia on every link a moving joint carries, mesh files that exist. Only the ``<link>`` and
``<joint>`` children of ``<robot>`` are read (robot_file.py: ROS and CAD extras are ignored, frame
links without ``<inertial>`` are massless). The geometric checks (vertical,
parallel axes; a workspace) need the kinematics and are made on the loaded model (planar_arm.py).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from robo2d.robots.robot_file import RobotFileError, ignored_elements, massless_links, resolve_mesh

__all__ = ["RobotFileError", "UrdfChain", "UrdfJoint", "read_chain"]

MOVING_TYPES = ("revolute", "continuous")
MIN_JOINT_RANGE = 0.05  # rad: a revolute joint with less room than this cannot move the tip usefully


@dataclass(frozen=True)
class UrdfJoint:
    name: str
    kind: str
    parent: str
    child: str
    lower: float  # rad (-inf for continuous joints)
    upper: float
    effort: float | None = None  # N m: the file's <limit effort>, None where it states none (or 0)
    velocity: float | None = None  # rad/s: the file's <limit velocity>, None likewise


@dataclass
class UrdfChain:
    """The serial chain from the base link to the tip link, as the file declares it."""

    path: Path
    base: str
    tip: str
    links: list[str]
    joints: list[UrdfJoint]  # on the chain, base to tip, fixed ones included
    masses: dict[str, float] = field(default_factory=dict)  # link -> kg (links with <inertial>)
    root: ET.Element | None = None  # the parsed file, for the loader (robot_file.load_urdf)
    ignored: list[str] = field(default_factory=list)  # children of <robot> that are not the model
    massless: list[str] = field(default_factory=list)  # links without <inertial>

    @property
    def moving(self) -> list[UrdfJoint]:
        return [j for j in self.joints if j.kind in MOVING_TYPES]


def read_chain(path: Path, tip_link: str = "tip") -> UrdfChain:
    """Parse and check `path`; RobotFileError says what is wrong and how to fix it."""
    if not isinstance(tip_link, str):
        raise TypeError(f"tip_link= takes a link name (a str), got {tip_link!r}")
    root = _parse(path)
    _check_numbers(path, root)  # first: the checks below read these numbers
    links = {e.get("name"): e for e in root.findall("link")}
    joints = [_joint(path, e) for e in root.findall("joint")]
    for j in joints:
        for role, link in (("parent", j.parent), ("child", j.child)):
            if link not in links:
                raise RobotFileError(
                    f"{path}: joint {j.name!r} names {role} link {link!r}, which is not defined"
                )
    base = _base_link(path, links, joints)
    if tip_link not in links:
        raise RobotFileError(
            f"{path}: no link named {tip_link!r}; name the end-effector link 'tip' or pass "
            f"tip_link= one of {sorted(links)}"
        )
    chain = _chain(joints, base, tip_link)
    chain_joints = {j.name for j in chain}
    for j in joints:
        _check_joint(path, j, on_chain=j.name in chain_joints)
    if not any(j.kind in MOVING_TYPES for j in chain):
        raise RobotFileError(f"{path}: no revolute or continuous joint between {base!r} and {tip_link!r}")
    carried = {j.child for j in joints if j.kind in MOVING_TYPES}
    masses = {name: _check_inertial(path, name, links[name], name in carried) for name in links}
    _check_meshes(path, root)
    masses = {k: v for k, v in masses.items() if v}
    return UrdfChain(
        path, base, tip_link, list(links), chain, masses, root, ignored_elements(root), massless_links(root)
    )


def _parse(path: Path) -> ET.Element:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise RobotFileError(f"{path}: not well-formed XML ({err}); fix the file so it parses") from None
    except OSError as err:
        raise RobotFileError(f"{path}: cannot be read ({err.strerror})") from None
    if root.tag != "robot":
        raise RobotFileError(f"{path}: the top element is <{root.tag}>, a URDF's is <robot>")
    return root


def _joint(path: Path, element: ET.Element) -> UrdfJoint:
    name, kind = element.get("name"), element.get("type")
    parent, child = element.find("parent"), element.find("child")
    if parent is None or child is None:
        raise RobotFileError(f"{path}: joint {name!r} needs a <parent link=...> and a <child link=...>")
    lower, upper = -math.inf, math.inf
    limit = element.find("limit")
    effort, velocity = (_positive(limit, key) for key in ("effort", "velocity"))
    if kind == "revolute":
        if limit is None or limit.get("lower") is None or limit.get("upper") is None:
            raise RobotFileError(
                f"{path}: revolute joint {name!r} has no <limit lower=... upper=...>; add its limits in "
                'rad, or make it type="continuous" if it turns without limits'
            )
        lower, upper = float(limit.get("lower")), float(limit.get("upper"))
    return UrdfJoint(name, kind, parent.get("link"), child.get("link"), lower, upper, effort, velocity)


def _positive(limit: ET.Element | None, key: str) -> float | None:
    """A stated positive limit; ROS files write 0 for 'not stated'."""
    value = float(limit.get(key, 0)) if limit is not None else 0.0
    return value if value > 0 else None


def _base_link(path: Path, links: dict, joints: list[UrdfJoint]) -> str:
    children = {j.child for j in joints}
    roots = [name for name in links if name not in children]
    if len(roots) != 1:
        raise RobotFileError(
            f"{path}: links {roots or sorted(links)} form {'no' if not roots else 'several'} trees; a robot "
            "is one tree of links with one base link (every other link the child of exactly one joint)"
        )
    return roots[0]


def _chain(joints: list[UrdfJoint], base: str, tip: str) -> list[UrdfJoint]:
    by_child = {j.child: j for j in joints}
    chain, link = [], tip
    while link != base:
        joint = by_child[link]
        chain.append(joint)
        link = joint.parent
    return chain[::-1]


def _check_joint(path: Path, joint: UrdfJoint, on_chain: bool) -> None:
    if joint.kind == "floating" or joint.kind == "planar":
        raise RobotFileError(
            f"{path}: joint {joint.name!r} is {joint.kind}: robo2d's planar arms stand on a fixed base "
            "and turn about revolute joints; make it fixed (the base is bolted to the table)"
        )
    if joint.kind == "prismatic":
        raise RobotFileError(
            f"{path}: joint {joint.name!r} is prismatic: robo2d's planar arms only turn; make it revolute "
            "or continuous (axis 0 0 1), or fixed"
        )
    if joint.kind not in (*MOVING_TYPES, "fixed"):
        raise RobotFileError(f"{path}: joint {joint.name!r} has unknown type {joint.kind!r}")
    if joint.kind in MOVING_TYPES and not on_chain:
        raise RobotFileError(
            f"{path}: joint {joint.name!r} moves but is not on the chain from the base to the tip link; "
            "every moving joint must carry the tip (make it fixed, or pass tip_link=)"
        )
    if joint.kind == "revolute" and joint.upper - joint.lower < MIN_JOINT_RANGE:
        raise RobotFileError(
            f"{path}: joint {joint.name!r} limits [{joint.lower}, {joint.upper}] rad leave it no room to "
            f"move (less than {MIN_JOINT_RANGE} rad): widen them, or make the joint fixed"
        )


def _check_inertial(path: Path, name: str, link: ET.Element, moves: bool) -> float:
    """The link's mass; a moving joint's child needs a positive mass and positive principal inertias
    (links on fixed joints may be massless frames)."""
    inertial = link.find("inertial")
    mass_el = inertial.find("mass") if inertial is not None else None
    inertia = inertial.find("inertia") if inertial is not None else None
    mass = float(mass_el.get("value", 0)) if mass_el is not None else 0.0
    if not moves:
        return mass
    fix = 'give it <inertial> with <mass value="..."/> (kg) and <inertia ixx iyy izz .../> (kg m^2)'
    if mass <= 0:
        raise RobotFileError(
            f"{path}: moving link {name!r} has {'no' if mass_el is None else 'zero'} mass; {fix}"
        )
    diagonal = [float(inertia.get(k, 0)) for k in ("ixx", "iyy", "izz")] if inertia is not None else []
    if len(diagonal) < 3 or min(diagonal) <= 0:
        raise RobotFileError(
            f"{path}: moving link {name!r} has {'no' if inertia is None else 'a zero'} inertia; {fix}"
        )
    return mass


def _check_meshes(path: Path, root: ET.Element) -> None:
    for link in root.findall("link"):
        for mesh in link.iter("mesh"):
            resolve_mesh(path, mesh.get("filename", ""), link.get("name"))


# element -> {attribute: (how many numbers, must they be positive)}
_NUMBERS = {
    "origin": {"xyz": (3, False), "rpy": (3, False)},
    "axis": {"xyz": (3, False)},
    "box": {"size": (3, True)},
    "cylinder": {"radius": (1, True), "length": (1, True)},
    "sphere": {"radius": (1, True)},
    "mass": {"value": (1, False)},
    "inertia": {k: (1, False) for k in ("ixx", "ixy", "ixz", "iyy", "iyz", "izz")},
    "limit": {k: (1, False) for k in ("lower", "upper", "effort", "velocity")},
}
MAX_MAGNITUDE = 1e4  # m, kg, rad, N m: beyond this a table-top robot's number is a mistake (1e308 ...)


def _check_numbers(path: Path, root: ET.Element) -> None:
    """Every vector, size, mass, inertia and limit parses to finite numbers of sane size (PyBullet reads
    a malformed one as zeros and goes on; NaN or 1e308 would poison the physics)."""
    for owner in [*root.findall("link"), *root.findall("joint")]:
        for element in owner.iter():
            for attribute, (count, positive) in _NUMBERS.get(element.tag, {}).items():
                text = element.get(attribute)
                if text is None:
                    continue
                try:
                    values = [float(v) for v in text.split()]
                except ValueError:
                    values = []
                if (
                    len(values) != count
                    or not all(abs(v) <= MAX_MAGNITUDE for v in values)  # also NaN and inf
                    or (positive and min(values) <= 0)
                ):
                    what = f"{count} {'positive ' if positive else ''}number{'s' if count > 1 else ''}"
                    what += f" of at most {MAX_MAGNITUDE:g} in size"
                    raise RobotFileError(
                        f'{path}: {owner.tag} {owner.get("name")!r}: <{element.tag} {attribute}="{text}"> '
                        f"needs {what}"
                    )
