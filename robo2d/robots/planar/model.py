"""Geometry from the model: a loaded planar arm's kinematics, measured in PyBullet at zero joint angles.

Every segment (joint to joint, then to the tip) and every axis direction is read off the loaded body,
so the shipped arms and any user's arm go through the same code; an arm whose joints would take it
out of its horizontal plane, or whose tip has no workspace, is refused here with the fix.
"""

from __future__ import annotations

import math

import pybullet as pb

from robo2d.robots.planar.kinematics import PlanarKinematics
from robo2d.robots.urdf_check import RobotFileError, UrdfChain

VERTICAL_TOLERANCE = 1e-3  # |axis . z| must be within this of 1
MIN_REACH = 0.01  # m: a tip closer than this to the first joint's axis has no workspace to speak of


def measure_kinematics(
    body: int, joints: list[int], tip_link: int, chain: UrdfChain, cid: int
) -> PlanarKinematics:
    """Segments and axis directions at zero joint angles; RobotFileError if the arm leaves its plane."""

    def frame(link: int) -> tuple:
        return pb.getLinkState(body, link, computeForwardKinematics=1, physicsClientId=cid)[4:6]

    signs, lower, upper = [], [], []
    for joint, urdf in zip(joints, chain.moving):
        axis = pb.getJointInfo(body, joint, physicsClientId=cid)[13]
        world = pb.multiplyTransforms((0, 0, 0), frame(joint)[1], axis, (0, 0, 0, 1))[0]
        norm = math.sqrt(sum(a * a for a in world)) or 1.0
        if abs(abs(world[2] / norm) - 1.0) > VERTICAL_TOLERANCE:
            _axis_error(chain, urdf.name, [a / norm for a in world], signs)
        signs.append(1.0 if world[2] > 0 else -1.0)
        lower.append(urdf.lower)
        upper.append(urdf.upper)
    frames = [frame(j)[0][:2] for j in joints] + [frame(tip_link)[0][:2]]
    segments = tuple((b[0] - a[0], b[1] - a[1]) for a, b in zip(frames, frames[1:]))
    kinematics = PlanarKinematics(frames[0], segments, tuple(signs), tuple(lower), tuple(upper))
    if kinematics.reach < MIN_REACH:
        raise RobotFileError(
            f"{chain.path}: the tip link {chain.tip!r} is {kinematics.reach:.4f} m from the first "
            f"joint's axis, so the arm has no workspace; put the tip at least {MIN_REACH} m out"
        )
    return kinematics


def _axis_error(chain: UrdfChain, joint: str, axis: list[float], earlier: list[float]) -> None:
    where = "not parallel to the axes before it" if earlier else "not vertical"
    raise RobotFileError(
        f"{chain.path}: joint {joint!r} turns about ({axis[0]:.3f}, {axis[1]:.3f}, {axis[2]:.3f}) in the "
        f"world, {where}: the arm would leave its horizontal plane. Give every moving joint "
        '<axis xyz="0 0 1"/> and no roll or pitch in the joint and link origins (rpy="0 0 yaw")'
    )
