"""What the Kuka pick-and-place envs share: scene, task, arguments and start state; the tool differs."""

from __future__ import annotations

import numpy as np

from robo2d.core.env import RobotTaskEnv
from robo2d.core.sim import Sim
from robo2d.robots.kuka import Kuka
from robo2d.tasks.pick_place import PickPlaceTask

TABLE_FRICTION = 0.5


class KukaPickPlaceEnv(RobotTaskEnv):
    """Base of the Kuka pick-and-place ids: subclasses build the robot and its tool (their docstrings)."""

    camera = {"target": (0.35, 0.0, 0.25), "distance": 1.5, "yaw": 50.0, "pitch": -25.0}
    # physics, per id: control runs at 1 / (time_step * substeps) = 20 Hz
    time_step = 1.0 / 200.0  # s
    substeps = 10
    solver_iterations = 30

    def __init__(
        self,
        render_mode: str | None = None,
        reward_type: str = "dense",
        goal_conditioned: bool = False,
        distance_threshold: float = 0.03,
        action_cost: float = 0.01,
        reach_weight: float = 0.5,
        grasp_bonus: float = 0.1,
    ) -> None:
        sim = Sim(render_mode == "human", self.time_step, self.substeps, self.solver_iterations)
        sim.load_table(TABLE_FRICTION)
        robot = self._build_robot(sim)
        task = PickPlaceTask(
            sim, robot, reward_type, distance_threshold, action_cost, reach_weight, grasp_bonus
        )
        self._setup(sim, robot, task, render_mode)

    def _build_robot(self, sim: Sim) -> Kuka:
        raise NotImplementedError

    def _reset_scene(self, rng: np.random.Generator) -> None:
        self.robot.reset()
        self.task.reset(rng)
