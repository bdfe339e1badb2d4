"""Where an arm can put its tool pointing down: the rest pose and the table area, found by its own IK.

Pick-and-place draws cubes and targets in a table area of fixed size (``AREA_SIZE``, the Kuka's) in
front of the arm; the TCP may move in that area widened by ``WORKSPACE_MARGIN`` and up to
``TOP``. For an arm given as a file, the area's centre is the first of ``CENTRE_CANDIDATES`` (from
far to near) where every point of a grid over the area, from the tool's lowest height to the highest
target and carry height, is reached tool-down within ``POSITION_TOLERANCE`` and
``ANGLE_TOLERANCE``; an arm that reaches none is refused with the best it found.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pybullet as pb

from robo2d.robots.robot_file import RobotFileError

AREA_SIZE = (0.2, 0.3)  # m, x and y extent of the table area cubes and targets are drawn in
WORKSPACE_MARGIN = (
    (0.15, 0.1),
    (0.05, 0.1),
)  # m the TCP box reaches past the area: (back, side), (front, side)
TOP = 0.35  # m, highest TCP
CHECK_HEIGHTS = (0.1, 0.3)  # m of TCP height checked besides the tool's lowest (targets float up to 25 cm)
CENTRE_CANDIDATES = (0.55, 0.5, 0.45, 0.4, 0.35, 0.3)  # m, table-area centre x, the Kuka's first
REST_TCP_HEIGHT = 0.3  # m: the rest pose holds the tool this high over the area's centre
GRID = 3  # points per axis of the reachability grid
IK_ITERATIONS = 200
POSITION_TOLERANCE = 0.01  # m
ANGLE_TOLERANCE = 0.1  # rad between the tool axis and straight down
DOWN = pb.getQuaternionFromEuler((0.0, math.pi, 0.0))  # flange z axis pointing at the table
HEADINGS = tuple(k * math.pi / 4 for k in (0, 1, -1, 2, -2, 3, -3, 4))  # rad, the flange's turn about z


@dataclass(frozen=True)
class TableArea:
    """The x-y box cubes and targets are drawn in, and the TCP box around it (m)."""

    low: tuple[float, float]
    high: tuple[float, float]

    @classmethod
    def centred(cls, x: float) -> TableArea:
        half_x, half_y = AREA_SIZE[0] / 2, AREA_SIZE[1] / 2
        return cls((round(x - half_x, 6), -half_y), (round(x + half_x, 6), half_y))

    def workspace(self, floor: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """The TCP box: the area widened by the margins, from the tool's `floor` height to TOP."""
        (back, side), (front, _) = WORKSPACE_MARGIN
        low = (round(self.low[0] - back, 6), round(self.low[1] - side, 6), floor)
        high = (round(self.high[0] + front, 6), round(self.high[1] + side, 6), TOP)
        return low, high


class ArmIK:
    """Tool-down IK checks on a loaded arm; the arm's joints are put back where they were after each."""

    def __init__(self, client: int, body: int, joints: list[int], flange_link: int, ik_limits: dict) -> None:
        self.client, self.body, self.joints = client, body, joints
        self.flange_link, self.ik_limits = flange_link, ik_limits

    def solve(
        self, flange_target, start: tuple[float, ...], heading: float = 0.0
    ) -> tuple[list[float], float, float]:
        """Joint angles for the flange at `flange_target` pointing down (turned by `heading` about the
        vertical), from `start`: (angles, position error m, angle error rad), by forward kinematics."""
        cid, saved = self.client, self._angles()
        self._set(start)
        solution = pb.calculateInverseKinematics(
            self.body,
            self.flange_link,
            list(flange_target),
            down(heading),
            maxNumIterations=IK_ITERATIONS,
            residualThreshold=1e-6,
            physicsClientId=cid,
            **self.ik_limits,
        )[: len(self.joints)]
        self._set(solution)
        state = pb.getLinkState(self.body, self.flange_link, computeForwardKinematics=1, physicsClientId=cid)
        error = math.dist(state[4], flange_target)
        axis_z = pb.getMatrixFromQuaternion(state[5])[8]  # flange z axis . world z
        self._set(saved)
        return list(solution), error, math.acos(max(-1.0, min(1.0, -axis_z)))

    def _angles(self) -> list[float]:
        return [pb.getJointState(self.body, j, physicsClientId=self.client)[0] for j in self.joints]

    def _set(self, angles) -> None:
        for joint, angle in zip(self.joints, angles):
            pb.resetJointState(self.body, joint, angle, 0.0, physicsClientId=self.client)


def down(heading: float) -> tuple[float, ...]:
    """The tool-down orientation turned by `heading` about the vertical."""
    return pb.multiplyTransforms((0, 0, 0), pb.getQuaternionFromEuler((0, 0, heading)), (0, 0, 0), DOWN)[1]


def find_heading(ik: ArmIK, start, tool_length: float, last_range: tuple[float, float]) -> float:
    """The flange's turn about the vertical at which the arm holds the tool down over the middle of the
    candidate areas with its last joint nearest the middle of its range (room to yaw either way)."""
    middle, half = (last_range[0] + last_range[1]) / 2, (last_range[1] - last_range[0]) / 2
    x = (CENTRE_CANDIDATES[0] + CENTRE_CANDIDATES[-1]) / 2
    scores = []
    for heading in HEADINGS:
        angles, error, angle = ik.solve((x, 0.0, REST_TCP_HEIGHT + tool_length), start, heading)
        scores.append((error + angle + abs(angles[-1] - middle) / half, heading))
    return min(scores)[1]


def find_table_area(
    ik: ArmIK, start: tuple[float, ...], tool_length: float, floor: float, heading: float, name: str
) -> TableArea:
    """The first candidate area whose grid the tool reaches pointing down; RobotFileError otherwise,
    with the candidate that came nearest (its worst miss and tilt, in tolerances)."""
    best = (math.inf, None, None, None)
    for x in CENTRE_CANDIDATES:
        area = TableArea.centred(x)
        errors, angles = zip(*_misses(ik, start, area, tool_length, floor, heading))
        error, angle = max(errors), max(angles)
        over = max(error / POSITION_TOLERANCE, angle / ANGLE_TOLERANCE)
        if over <= 1.0:
            return area
        best = min(best, (over, x, error, angle))
    _, x, error, angle = best
    raise RobotFileError(
        f"{name}: the tool cannot reach the table pointing down: over a {AREA_SIZE[0]} x {AREA_SIZE[1]} m "
        f"area centred at x = {x} m (the best of {list(CENTRE_CANDIDATES)}) the TCP misses by up to "
        f"{error * 100:.1f} cm and the tool tips up to {math.degrees(angle):.1f} degrees from straight down "
        f"(allowed: {POSITION_TOLERANCE * 100:g} cm, {math.degrees(ANGLE_TOLERANCE):.1f} degrees); check "
        "flange_link= (the tool mounts on it, +z out of the arm), the arm's joint limits, and its size (it "
        "must reach about 0.6 m from its base)"
    )


def _misses(ik: ArmIK, start, area: TableArea, tool_length: float, floor: float, heading: float):
    """(position error m, angle from straight down rad) at each point of the grid over the area, at
    the tool's lowest height and the check heights."""
    xs = np.linspace(area.low[0], area.high[0], GRID)
    ys = np.linspace(area.low[1], area.high[1], GRID)
    for x, y, z in itertools.product(xs, ys, (floor, *CHECK_HEIGHTS)):
        _, error, angle = ik.solve((x, y, z + tool_length), start, heading)
        yield error, angle


def find_rest_pose(ik: ArmIK, start, area: TableArea, tool_length: float, heading: float) -> tuple:
    """Joint angles holding the tool down, REST_TCP_HEIGHT over the area's centre (IK from `start`,
    which its null space keeps the elbow near)."""
    centre = ((area.low[0] + area.high[0]) / 2, 0.0, REST_TCP_HEIGHT + tool_length)
    angles, _, _ = ik.solve(centre, start, heading)
    return tuple(round(a, 6) for a in angles)
