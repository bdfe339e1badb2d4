"""Each task names the bodies it added to the world: image sensors draw exactly those and the robot."""

import gymnasium as gym
import pybullet as pb

#: the names robo2d's scene files give the objects a task places (a marker is a nameless visual shape)
TASK_BODY_NAMES = {"robo2d_puck", "robo2d_cube", ""}


def test_a_task_lists_its_objects_and_marker_and_nothing_else(env_id):
    """The task's ``bodies`` are the puck or cube and the goal marker found in the world by name, in
    the order they were added; the floor, the arm and its tool are not among them."""
    env = gym.make(env_id)
    env.reset(seed=0)
    client = env.unwrapped.sim.client
    names = {
        b: pb.getBodyInfo(b, physicsClientId=client)[1].decode()
        for b in range(pb.getNumBodies(physicsClientId=client))
    }
    assert env.unwrapped.task.bodies == [b for b, name in names.items() if name in TASK_BODY_NAMES]
    assert len(env.unwrapped.task.bodies) in (1, 2)
    env.close()
