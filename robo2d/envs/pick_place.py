"""What the Kuka pick-and-place ids share: the task, its arguments, the start state; the tool differs."""

from __future__ import annotations

from robo2d.core.arguments import Argument
from robo2d.tasks.base import ACTION_COST, REWARD_TYPE, TaskSpec
from robo2d.tasks.pick_place import PickPlaceTask

TABLE_FRICTION = 0.5
PICK_PLACE_TASK = TaskSpec(PickPlaceTask)
PICK_PLACE_ARGUMENTS = {
    "reward_type": REWARD_TYPE,
    "distance_threshold": Argument(0.03, "success radius in m"),
    "action_cost": ACTION_COST,
    "reach_weight": Argument(0.5, "weight of the TCP-to-cube distance penalty"),
    "grasp_bonus": Argument(0.1, "reward per step while the cube is attached"),
}
