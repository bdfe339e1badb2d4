"""What every robo2d task shares: a goal, a success radius, and one reward formula.

reward = -distance(achieved_goal, desired_goal) + sum of the task's goal-independent terms (dense),
or -1 until the goal is within ``distance_threshold`` and 0 after (sparse). The goal-independent terms
(action cost, tip-to-object distance...) are stored in ``info`` under their names, so
``compute_reward`` can recompute any step's reward from (achieved_goal, desired_goal, info) in batches,
as hindsight relabelling needs.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from robo2d.core.arguments import Argument
from robo2d.core.randomization import Parameter
from robo2d.tasks.objects import SceneObject

REWARD_TYPES = ("dense", "sparse")
#: the arguments every task takes that read the same in every id (distance_threshold differs)
REWARD_TYPE = Argument("dense", '"dense" or "sparse"', choices=REWARD_TYPES)
ACTION_COST = Argument(0.01, "weight of the squared-action penalty")


def goal_distance(achieved: np.ndarray, desired: np.ndarray) -> np.ndarray | float:
    """Euclidean distance over the last axis, in float64 of the float32 goals the agent observes.

    One goal pair takes a pure-Python path (the env's hot path); it sums in the same order as
    numpy does for short vectors, so single and batched results agree bit for bit.
    """
    if np.ndim(achieved) == 1 and np.ndim(desired) == 1:
        return _distance(np.asarray(achieved, np.float32).tolist(), np.asarray(desired, np.float32).tolist())
    diff = np.asarray(achieved, dtype=np.float32).astype(np.float64) - np.asarray(desired, dtype=np.float32)
    return np.sqrt(np.sum(diff * diff, axis=-1))


def _distance(a: list[float], b: list[float]) -> float:
    total = 0.0
    for x, y in zip(a, b):
        total += (x - y) * (x - y)
    return math.sqrt(total)


def check_weight(name: str, value: float) -> None:
    """A reward weight is a penalty's or a bonus's size: never negative (that would flip its sign)."""
    if value < 0:
        raise ValueError(f"{name} must be zero or positive (it is the size of a reward term), got {value}")


class GoalTask:
    """Base of all tasks. Subclasses set the goal and fill the goal-independent reward terms."""

    #: names of info entries added to the dense reward (each already carries its sign and weight)
    extra_terms: tuple[str, ...] = ("reward_action",)
    goal_dim = 2
    #: the object the task moves, if any (tasks/objects.py)
    object: SceneObject | None = None
    #: what the task's scene can vary: its object's mass, friction and size (SceneObject.parameters)
    scene_parameters: ClassVar[tuple[Parameter, ...]] = ()

    def __init__(self, reward_type: str, distance_threshold: float, action_cost: float) -> None:
        if reward_type not in REWARD_TYPES:
            raise ValueError(f"reward_type must be one of {REWARD_TYPES}, got {reward_type!r}")
        if distance_threshold <= 0:
            raise ValueError(f"distance_threshold must be positive, got {distance_threshold}")
        check_weight("action_cost", action_cost)
        self.reward_type = reward_type
        self.distance_threshold = distance_threshold
        self.action_cost = action_cost
        self.set_goal([0.0] * self.goal_dim)

    def set_goal(self, values) -> None:
        """Store the goal as the float32 the agent observes (and its Python floats for the hot path)."""
        self.goal = np.array(values, dtype=np.float32)
        self.goal_values = self.goal.tolist()

    def randomization_parameters(self) -> list[Parameter]:
        return list(self.scene_parameters)

    def prepare_randomization(self, ranges: dict[str, tuple[float, float]]) -> None:
        """Load what the ranges need (the object's sizes) before the env saves its initial state."""
        if self.object:
            self.object.prepare(ranges)

    def apply_randomization(self, values: dict[str, float], rng: np.random.Generator) -> None:
        """Take this episode's values, before reset() places the scene."""
        if self.object:
            self.object.apply(values)

    def info(self, achieved: np.ndarray, action: list[float]) -> dict:
        """Success flag and every reward term by name, for one step (`achieved` is float32).

        Tasks with more terms add them to this dict (named in ``extra_terms``).
        """
        distance = _distance(achieved.tolist(), self.goal_values)
        squared_action = 0.0
        for a in action:
            squared_action += a * a
        return {
            "is_success": distance < self.distance_threshold,
            "distance": distance,
            "reward_distance": -distance,
            "reward_action": -self.action_cost * squared_action,
        }

    def step_reward(self, info: dict) -> float:
        """This step's reward from its info; equal to compute_reward(achieved, desired, info)."""
        if self.reward_type == "sparse":
            return 0.0 if info["is_success"] else -1.0
        return -info["distance"] + self._extra(info)

    def compute_reward(self, achieved_goal, desired_goal, info) -> np.ndarray | float:
        """Reward for one step (info a dict) or a batch (info a sequence of dicts, returns shape (N,))."""
        distance = goal_distance(achieved_goal, desired_goal)
        if self.reward_type == "sparse":
            reward = -(np.asarray(distance) >= self.distance_threshold).astype(np.float64)
        else:
            reward = -distance + self._extra(info)
        return reward if np.ndim(reward) else float(reward)

    def _extra(self, info) -> np.ndarray | float:
        try:
            if isinstance(info, dict):
                total = 0.0
                for name in self.extra_terms:
                    total += info[name]
                return total
            total = np.zeros(len(info))  # term by term, in the order the one-step sum adds them
            for name in self.extra_terms:
                total += np.fromiter((i[name] for i in info), np.float64, len(info))
            return total
        except KeyError as err:
            raise KeyError(
                f"dense compute_reward needs each step's info term {err}; with SB3's HerReplayBuffer pass "
                "replay_buffer_kwargs=dict(copy_info_dict=True), or use reward_type='sparse'"
            ) from None


@dataclass(frozen=True)
class TaskSpec:
    """How an id builds its task: the class, given the id's arguments its constructor names after the
    sim and the robot (so an argument is declared once, as the env's, and reaches the task by name)."""

    task: type

    @property
    def argument_names(self) -> tuple[str, ...]:
        return tuple(inspect.signature(self.task).parameters)[2:]

    def parameters(self, settings: dict) -> list[Parameter]:
        return list(self.task.scene_parameters)

    def build(self, sim, robot, settings: dict):
        return self.task(sim, robot, **{name: settings[name] for name in self.argument_names})
