"""Where robo2d's files are: shipped robots and objects (urdf/), agents (agents/), pybullet_data, user files.

The wheel and an editable install map urdf/ and agents/ to the packages ``robo2d.urdf`` and
``robo2d.agents``; a plain checkout (``robo2d/`` on the path, nothing installed, e.g. a notebook that
changed into the clone) has them beside the package instead. Both are found the same way.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pybullet_data

_CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


def data_dir(kind: str) -> Path:
    """The folder of robo2d's ``urdf`` or ``agents`` files, installed or in a checkout."""
    try:
        folder = Path(str(resources.files(f"robo2d.{kind}")))
        if folder.is_dir():
            return folder
    except ModuleNotFoundError:
        pass
    folder = _CHECKOUT_ROOT / kind
    if folder.is_dir():
        return folder
    raise FileNotFoundError(f"robo2d's {kind}/ folder is missing: reinstall robo2d (`pip install robo2d`)")


def asset_path(name: str) -> str:
    """A robo2d URDF (by file name) or a pybullet_data asset (by its path inside pybullet_data)."""
    own = data_dir("urdf") / name
    if own.is_file():
        return str(own)
    data = Path(pybullet_data.getDataPath()) / name
    if data.is_file():
        return str(data)
    raise FileNotFoundError(f"asset {name!r} is neither a robo2d URDF nor in pybullet_data")


def shipped_robots() -> list[str]:
    """Names of the planar robots shipped in urdf/ (what ``robot=`` accepts besides a path): single
    files, and robots in ROS package folders (``NAME_description/urdf/NAME.urdf``)."""
    return sorted(p.stem for p in _shipped_files() if p.stem not in NOT_ROBOTS)


def _shipped_files() -> list[Path]:
    folder = data_dir("urdf")
    return [*folder.glob("*.urdf"), *folder.glob(f"*{PACKAGE_SUFFIX}/urdf/*.urdf")]


NOT_ROBOTS = ("cube", "puck", "suction_tool", "jaw_gripper")  # objects and tools in urdf/, not robots
PACKAGE_SUFFIX = "_description"  # a shipped robot in a ROS package folder, as ROS names them


def robot_path(robot: str | Path) -> Path:
    """The URDF that ``robot=`` names: a path (relative to the working directory, absolute or with ~),
    or the name of a shipped robot (with or without .urdf)."""
    if not isinstance(robot, (str, os.PathLike)):
        raise TypeError(
            f"robot= takes a URDF path or a shipped robot's name {shipped_robots()}, got {robot!r}"
        )
    given = Path(robot).expanduser()
    if given.is_file():
        return given.resolve()
    name = given.stem if given.suffix == ".urdf" else given.name
    shipped = {p.stem: p for p in _shipped_files() if p.stem not in NOT_ROBOTS}
    if given.parent == Path(".") and name in shipped:
        return shipped[name]
    raise FileNotFoundError(
        f"robot {str(robot)!r}: no such file (looked for {given.resolve()}) and no shipped robot of "
        f"that name; shipped robots: {shipped_robots()}"
    )
