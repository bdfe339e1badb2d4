"""Turn: bring a single joint to a target angle. The goal is the angle's point on the unit circle."""

from __future__ import annotations

import math

import numpy as np

from robo2d.core.observation import ObsPart
from robo2d.core.parts import PlanarGeometry
from robo2d.core.sim import Sim
from robo2d.tasks.base import GoalTask

TARGET_RGBA = (0.1, 0.8, 0.2, 0.9)
MARKER_RADIUS = 0.012


class TurnTask(GoalTask):
    """Goal (cos, sin) of a target angle; achieved goal (cos, sin) of the joint angle.

    The distance between them is the chord 2 sin(|angle error| / 2): smooth across +-pi, which raw
    angle differences are not, and usable by hindsight relabelling as it is.
    """

    def __init__(
        self, sim: Sim, arm: PlanarGeometry, reward_type: str, distance_threshold: float, action_cost: float
    ) -> None:
        super().__init__(reward_type, distance_threshold, action_cost)
        self.sim, self.arm = sim, arm
        self.marker = sim.create_marker(MARKER_RADIUS, TARGET_RGBA, (arm.reach, 0.0, arm.tip_height))
        self.bodies = [self.marker]

    def reset(self, rng: np.random.Generator) -> None:
        angle = rng.uniform(-math.pi, math.pi)
        self.set_goal([math.cos(angle), math.sin(angle)])
        bx, by = self.arm.base_xy
        c, s = self.goal_values
        self.sim.move_body(
            self.marker, (bx + self.arm.reach * c, by + self.arm.reach * s, self.arm.tip_height)
        )

    def update(self) -> None:
        """Nothing moves but the joint."""

    def achieved_goal(self) -> np.ndarray:
        q = self.arm.q[0]
        return np.array([math.cos(q), math.sin(q)], dtype=np.float32)

    def observation(self) -> list[float]:
        """cos and sin of the target angle."""
        return list(self.goal_values)

    def observation_parts(self) -> list[ObsPart]:
        return [ObsPart.uniform("target_cos_sin", 2, "-", -1.0, 1.0, "cos, sin of the target angle")]

    def goal_bounds(self) -> tuple[list[float], list[float]]:
        return [-1.0, -1.0], [1.0, 1.0]
