"""Push: move a puck across the table into a goal region with the arm's fingertip."""

from __future__ import annotations

import math

import numpy as np
import pybullet as pb

from robo2d.core.observation import ObsPart
from robo2d.core.parts import PlanarGeometry
from robo2d.core.sim import Sim
from robo2d.tasks.base import GoalTask, check_weight
from robo2d.tasks.objects import SceneObject

GOAL_RGBA = (0.1, 0.8, 0.2, 0.6)
PUCK_HEIGHT = 0.02  # m; keep in sync with urdf/puck.urdf
PUCK_RADIUS = 0.02  # m; keep in sync with urdf/puck.urdf
# Distances for the shipped 2-link arm (reach 0.2 m); each arm scales them by its reach / 0.2 m.
SAMPLE_RADII = (0.085, 0.15)  # m from the arm base: where puck starts and goals are drawn
PUSH_DISTANCE = (0.05, 0.12)  # m between puck start and goal: every push is real
MIN_PATH_CLEARANCE = 0.06  # m: the straight push path keeps this far from the arm base
MAX_SAMPLING_TRIES = 1000


class PushTask(GoalTask):
    """Puck start and goal drawn on the table around the arm; achieved goal = puck (x, y)."""

    extra_terms = ("reward_action", "reward_tip_object")
    scene_parameters = SceneObject.parameters

    def __init__(
        self,
        sim: Sim,
        arm: PlanarGeometry,
        reward_type: str,
        distance_threshold: float,
        action_cost: float,
        tip_object_weight: float,
    ) -> None:
        super().__init__(reward_type, distance_threshold, action_cost)
        check_weight("tip_object_weight", tip_object_weight)
        self.sim, self.arm = sim, arm
        self.tip_object_weight = tip_object_weight
        scale = arm.kinematics.scale
        self.radii = (SAMPLE_RADII[0] * scale, SAMPLE_RADII[1] * scale)
        self.push_distance = (PUSH_DISTANCE[0] * scale, PUSH_DISTANCE[1] * scale)
        self.clearance = MIN_PATH_CLEARANCE * scale
        self.headings = arm.kinematics.heading_range()
        self.object = SceneObject(sim, "puck.urdf", (self.radii[1], 0.0, PUCK_HEIGHT / 2))
        self.marker = sim.create_marker(distance_threshold, GOAL_RGBA, (self.radii[1], 0.0, 0.001))
        self.bodies = [self.object.body, self.marker]
        self.puck_xy = (0.0, 0.0)
        self.puck_state = [0.0] * 5  # cos yaw, sin yaw, vx, vy, yaw rate

    @property
    def puck(self) -> int:
        return self.object.body

    def reset(self, rng: np.random.Generator) -> None:
        bx, by = self.arm.base_xy
        for _ in range(MAX_SAMPLING_TRIES):
            start, goal = self._sample_point(rng), self._sample_point(rng)
            if (
                self.push_distance[0] <= math.dist(start, goal) <= self.push_distance[1]
                and _segment_clearance(start, goal) >= self.clearance
            ):
                break
        yaw = rng.uniform(-math.pi, math.pi)
        orientation = pb.getQuaternionFromEuler((0.0, 0.0, yaw))
        z = PUCK_HEIGHT / 2 * self.object.scale
        self.sim.move_body(self.puck, (bx + start[0], by + start[1], z), orientation)
        self.set_goal([bx + goal[0], by + goal[1]])
        self.sim.move_body(self.marker, (*self.goal_values, 0.001))

    def _sample_point(self, rng: np.random.Generator) -> tuple[float, float]:
        """Uniform over the area of the sampling annulus (within the arm's headings), relative to the base."""
        radius = math.sqrt(rng.uniform(self.radii[0] ** 2, self.radii[1] ** 2))
        angle = rng.uniform(*self.headings)
        return radius * math.cos(angle), radius * math.sin(angle)

    def update(self) -> None:
        """Read the puck's pose and velocity once per step."""
        cid = self.sim.client
        pos, orn = pb.getBasePositionAndOrientation(self.puck, physicsClientId=cid)
        lin, ang = pb.getBaseVelocity(self.puck, physicsClientId=cid)
        x, y, z, w = orn
        yaw = math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
        self.puck_xy = (pos[0], pos[1])
        self.puck_state = [math.cos(yaw), math.sin(yaw), lin[0], lin[1], ang[2]]

    def achieved_goal(self) -> np.ndarray:
        return np.array(self.puck_xy, dtype=np.float32)

    def info(self, achieved: np.ndarray, action: list[float]) -> dict:
        info = super().info(achieved, action)
        info["reward_tip_object"] = -self.tip_object_weight * math.dist(self.arm.tip, self.puck_xy)
        return info

    def observation(self) -> list[float]:
        """Tip x, y; puck x, y, cos yaw, sin yaw, vx, vy, yaw rate; goal x, y (m, m/s, rad/s)."""
        return [*self.arm.tip, *self.puck_xy, *self.puck_state, *self.goal_values]

    def observation_parts(self) -> list[ObsPart]:
        inf = math.inf
        (bx, by), r, g = self.arm.base_xy, self.arm.reach, self.radii[1]
        return [
            ObsPart("tip", 2, "m", (bx - r, by - r), (bx + r, by + r), "fingertip x, y"),
            ObsPart.uniform("puck", 2, "m", -inf, inf, "puck x, y"),
            ObsPart.uniform("puck_yaw_cos_sin", 2, "-", -1.0, 1.0, "cos, sin of puck yaw"),
            ObsPart.uniform("puck_velocity", 2, "m/s", -inf, inf, "puck velocity x, y"),
            ObsPart.uniform("puck_yaw_rate", 1, "rad/s", -inf, inf, "puck yaw rate"),
            ObsPart("goal", 2, "m", (bx - g, by - g), (bx + g, by + g), "goal x, y"),
        ]

    def goal_bounds(self) -> tuple[list[float], list[float]]:
        """The puck (achieved goal) can be pushed anywhere on the unbounded table."""
        return [-math.inf, -math.inf], [math.inf, math.inf]


def _segment_clearance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from the origin (arm base) to the segment a-b."""
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    t = max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
    return math.hypot(ax + t * dx, ay + t * dy)
