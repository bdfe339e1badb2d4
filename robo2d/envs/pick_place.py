"""What the Kuka pick-and-place ids share: the task, its arguments, the start state; the tool differs."""

from __future__ import annotations

from robo2d.tasks.base import TaskSpec
from robo2d.tasks.pick_place import PickPlaceTask

TABLE_FRICTION = 0.5
PICK_PLACE_TASK = TaskSpec(PickPlaceTask, ("reach_weight", "grasp_bonus"))
PICK_PLACE_ARGUMENTS = {
    "reward_type": "dense",
    "distance_threshold": 0.03,
    "action_cost": 0.01,
    "reach_weight": 0.5,
    "grasp_bonus": 0.1,
}
