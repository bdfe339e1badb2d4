"""Pick and place: carry a cube from the table to a target point, on the table or in the air."""

from __future__ import annotations

import math

import numpy as np
import pybullet as pb

from robo2d.core.observation import ObsPart
from robo2d.core.parts import ToolArm
from robo2d.core.sim import Sim
from robo2d.tasks.base import GoalTask, check_weight
from robo2d.tasks.objects import SceneObject

TARGET_RGBA = (0.1, 0.8, 0.2, 0.5)
CUBE_HALF = 0.025  # m; keep in sync with urdf/cube.urdf
MIN_CARRY = 0.1  # m between cube start and target (x-y): every episode needs a real carry
AIR_PROBABILITY = 0.5  # half the targets float 5-25 cm above the table
AIR_HEIGHT = (0.05, 0.25)
MAX_SAMPLING_TRIES = 1000


class PickPlaceTask(GoalTask):
    """achieved_goal = cube centre (x, y, z); desired_goal = target point."""

    extra_terms = ("reward_action", "reward_reach", "reward_grasp")
    scene_parameters = SceneObject.parameters
    goal_dim = 3

    def __init__(
        self,
        sim: Sim,
        robot: ToolArm,
        reward_type: str,
        distance_threshold: float,
        action_cost: float,
        reach_weight: float,
        grasp_bonus: float,
    ) -> None:
        super().__init__(reward_type, distance_threshold, action_cost)
        check_weight("reach_weight", reach_weight)
        check_weight("grasp_bonus", grasp_bonus)
        self.sim, self.robot = sim, robot
        self.reach_weight, self.grasp_bonus = reach_weight, grasp_bonus
        centre = (robot.table_area.low[0] + robot.table_area.high[0]) / 2
        self.object = SceneObject(sim, "cube.urdf", (centre, 0.0, CUBE_HALF))
        self.marker = sim.create_marker(distance_threshold, TARGET_RGBA, (centre, 0.2, CUBE_HALF))
        self.bodies = [self.object.body, self.marker]
        self.cube_pos = np.zeros(3)
        self.cube_state: list[float] = [0.0] * 10  # quaternion, linear and angular velocity

    @property
    def cube(self) -> int:
        return self.object.body

    def reset(self, rng: np.random.Generator) -> None:
        """Cube and target drawn in the arm's table area (the x-y box its tool reaches pointing down)."""
        low, high = self.robot.table_area.low, self.robot.table_area.high
        for _ in range(MAX_SAMPLING_TRIES):
            start, goal = rng.uniform(low, high), rng.uniform(low, high)
            if math.dist(start, goal) >= MIN_CARRY:
                break
        yaw = rng.uniform(-math.pi / 4, math.pi / 4)
        orientation = pb.getQuaternionFromEuler((0.0, 0.0, yaw))
        self.sim.move_body(self.cube, (start[0], start[1], CUBE_HALF * self.object.scale), orientation)
        height = rng.uniform(*AIR_HEIGHT) if rng.uniform() < AIR_PROBABILITY else CUBE_HALF
        self.set_goal([goal[0], goal[1], height])
        self.sim.move_body(self.marker, self.goal_values)

    def update(self) -> None:
        cid = self.sim.client
        pos, orn = pb.getBasePositionAndOrientation(self.cube, physicsClientId=cid)
        lin, ang = pb.getBaseVelocity(self.cube, physicsClientId=cid)
        self.cube_pos = np.array(pos)
        self.cube_state = [*orn, *lin, *ang]

    def achieved_goal(self) -> np.ndarray:
        return self.cube_pos.astype(np.float32)

    def info(self, achieved: np.ndarray, action: list[float]) -> dict:
        info = super().info(achieved, action)
        grasped = self.robot.tool.is_grasped
        info["is_grasped"] = grasped
        info["reward_reach"] = -self.reach_weight * math.dist(self.robot.tcp.tolist(), self.cube_pos.tolist())
        info["reward_grasp"] = self.grasp_bonus * grasped
        return info

    def observation(self) -> list[float]:
        """Cube x, y, z; quaternion; linear, angular velocity; cube minus TCP; target x, y, z."""
        rel = (self.cube_pos - self.robot.tcp).tolist()
        return [*self.cube_pos.tolist(), *self.cube_state, *rel, *self.goal_values]

    def observation_parts(self) -> list[ObsPart]:
        inf = math.inf
        area = self.robot.table_area
        target_low, target_high = (*area.low, CUBE_HALF), (*area.high, AIR_HEIGHT[1])
        return [
            ObsPart.uniform("cube_position", 3, "m", -inf, inf, "cube x, y, z"),
            ObsPart.uniform(
                "cube_orientation", 4, "-", -1.0, 1.0, "cube orientation quaternion (x, y, z, w)"
            ),
            ObsPart.uniform("cube_velocity", 3, "m/s", -inf, inf, "cube linear velocity"),
            ObsPart.uniform("cube_angular_velocity", 3, "rad/s", -inf, inf, "cube angular velocity"),
            ObsPart.uniform("cube_minus_tcp", 3, "m", -inf, inf, "cube minus TCP"),
            ObsPart("target", 3, "m", target_low, target_high, "target x, y, z"),
        ]

    def goal_bounds(self) -> tuple[list[float], list[float]]:
        """The cube (achieved goal) can end up anywhere."""
        return [-math.inf] * 3, [math.inf] * 3
