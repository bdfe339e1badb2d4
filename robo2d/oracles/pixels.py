"""Scripted policy for the pixel reacher, from the image alone, for any planar arm.

It knows what a designer knows of the robot: each link's colour and where its visual box sits in
the link frame (read from the sensor's list of drawn shapes), the segment lengths and the view.
From the newest frame it finds the target and every link by colour, walks the chain from the base
(each link's centroid gives its heading), and then acts as the reacher oracle. The arm often hides
the small target (at the start, and once the tip covers it): the oracle then heads for where it
last saw it. After a reset that memory may be the previous episode's; moving there uncovers the new
target, and the oracle turns to it. Before it has seen any target it sweeps the shoulder.
"""

from __future__ import annotations

import math

import numpy as np
import pybullet as pb

from robo2d.oracles.planar import Oracle, joint_action_to
from robo2d.robots.planar.kinematics import wrap

COLOUR_TOLERANCE = 40  # per channel, around the URDF material colour
SWEEP = 0.5  # shoulder action while no target has been seen yet


def _pixels_near(raster, image: np.ndarray, rgb, tolerance: int = COLOUR_TOLERANCE) -> np.ndarray:
    """World (x, y) of the pixels within `tolerance` of a colour."""
    rows, cols = np.nonzero(np.abs(image.astype(int) - rgb).max(axis=-1) < tolerance)
    metres_per_px = 1.0 / raster.px_per_m
    ox, oy = raster.origin
    return np.stack([ox + (cols + 0.5) * metres_per_px, oy - (rows + 0.5) * metres_per_px], axis=-1)


def _link_boxes(env) -> list[tuple[tuple[int, int, int], float]]:
    """Per moving link: its box's colour and the heading of the box centre in the link frame."""
    raster, arm = env.sensor.raster, env.robot
    boxes = {}
    for body, link, kind, _, lx, ly, _, rgb, _ in raster.shapes:
        if body == arm.body and kind == pb.GEOM_BOX and link not in boxes:
            boxes[link] = (rgb, math.atan2(ly, lx))
    missing = [j for j in arm.joints if j not in boxes]
    if missing:
        raise ValueError(
            f"the pixel oracle needs a box visual on every moving link; links {missing} have none"
        )
    return [boxes[j] for j in arm.joints]


def pixel_reacher_oracle(env) -> Oracle:
    """Robo2DPixelReacher-v0: read joint angles and the target off the newest frame, then reach."""
    raster, kin = env.sensor.raster, env.robot.kinematics
    boxes = _link_boxes(env)
    target_rgb = next(s[7] for s in raster.shapes if s[0] == env.task.marker)

    seen: list[np.ndarray] = []  # where the target was last visible
    last_q: list[np.ndarray] = []  # the angles read off the frame before (velocities for torque control)
    branch: list = []  # this episode's last IK solution that reached its target (joint_action_to)
    dt = env.sim.control_dt

    def act(obs: np.ndarray) -> np.ndarray:
        image = np.asarray(obs)[..., -3:]  # the newest frame when frames are stacked
        target = _pixels_near(raster, image, target_rgb)
        links = [_pixels_near(raster, image, rgb) for rgb, _ in boxes]
        if len(target):
            seen[:] = [target.mean(axis=0)]
        if any(len(p) == 0 for p in links):
            return np.zeros(kin.n_joints, dtype=np.float32)  # a link hidden under another: hold
        if not seen:
            return np.array([SWEEP] + [0.0] * (kin.n_joints - 1), dtype=np.float32)
        joint, total, q = np.array(kin.origin), 0.0, []
        for pixels, (_, box_heading), seg, sign in zip(links, boxes, kin.segments, kin.signs):
            centre = pixels.mean(axis=0) - joint
            frame = math.atan2(centre[1], centre[0]) - box_heading  # the link frame's heading
            q.append(sign * wrap(frame - total))
            total = frame
            c, s = math.cos(frame), math.sin(frame)
            joint = joint + (c * seg[0] - s * seg[1], s * seg[0] + c * seg[1])
        q = np.array(q)
        dq = np.array([wrap(a) for a in q - last_q[0]]) / dt if last_q else np.zeros_like(q)
        last_q[:] = [q]
        return joint_action_to(env, q, dq, seen[0], branch)

    return act
