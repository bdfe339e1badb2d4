"""Reach: bring the arm's tip to a target point on the table, shown by a visual-only marker."""

from __future__ import annotations

import math

import numpy as np

from robo2d.core.observation import ObsPart
from robo2d.core.parts import PlanarGeometry
from robo2d.core.sim import Sim
from robo2d.tasks.base import GoalTask

TARGET_RGBA = (0.1, 0.8, 0.2, 0.9)
MIN_RADIUS_FRACTION = 0.2  # targets closer to the base than this fraction of the reach are not sampled
MAX_RADIUS_FRACTION = 0.95  # nor targets at the singular, fully stretched edge


class ReachTask(GoalTask):
    """Target sampled uniformly over the area of the annulus the tip can reach (within the directions the
    first joint can point)."""

    def __init__(
        self, sim: Sim, arm: PlanarGeometry, reward_type: str, distance_threshold: float, action_cost: float
    ) -> None:
        super().__init__(reward_type, distance_threshold, action_cost)
        self.arm = arm
        self.r_min = MIN_RADIUS_FRACTION * arm.reach
        self.r_max = MAX_RADIUS_FRACTION * arm.reach
        self.headings = arm.kinematics.heading_range()
        self.marker = sim.create_marker(distance_threshold, TARGET_RGBA, (self.r_max, 0.0, arm.tip_height))
        self.bodies = [self.marker]
        self.sim = sim

    def reset(self, rng: np.random.Generator) -> None:
        radius = math.sqrt(rng.uniform(self.r_min**2, self.r_max**2))  # uniform over area
        angle = rng.uniform(*self.headings)
        bx, by = self.arm.base_xy
        self.set_goal([bx + radius * math.cos(angle), by + radius * math.sin(angle)])
        self.sim.move_body(self.marker, (*self.goal_values, self.arm.tip_height))

    def achieved_goal(self) -> np.ndarray:
        return np.array(self.arm.tip, dtype=np.float32)

    def observation(self) -> list[float]:
        """Target (x, y), then the vector from tip to target (x, y), in metres."""
        gx, gy = self.goal_values
        return [gx, gy, gx - self.arm.tip[0], gy - self.arm.tip[1]]

    def observation_parts(self) -> list[ObsPart]:
        low, high = self.goal_bounds()
        span = 2 * self.arm.reach
        return [
            ObsPart("target", 2, "m", tuple(low), tuple(high), "target x, y (arm base at the origin)"),
            ObsPart.uniform("tip_to_target", 2, "m", -span, span, "target minus tip, x and y"),
        ]

    def goal_bounds(self) -> tuple[list[float], list[float]]:
        """Box around the base holding every reachable point."""
        (bx, by), r = self.arm.base_xy, self.arm.reach
        return [bx - r, by - r], [bx + r, by + r]

    def update(self) -> None:
        """Nothing moves in a reach task but the arm."""
