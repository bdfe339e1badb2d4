"""The planar oracles' kept IK branch: only a solution that reaches its target is kept, for the episode
it was found in; an oracle that keeps none (`branch=None`) acts the same way without one."""

import gymnasium as gym
import numpy as np

from robo2d.oracles.planar import joint_action_to, joint_state

OUT_OF_REACH = (3.0, 3.0)  # m from the base: far past the reacher's 0.2 m arm


def test_only_a_solution_that_reaches_is_kept_for_its_episode():
    env = gym.make("Robo2DReacher-v0").unwrapped
    obs, _ = env.reset(seed=0)
    q, dq = joint_state(env, obs)
    target = env.observation_layout.read(obs, "target")
    branch: list = []
    joint_action_to(env, q, dq, OUT_OF_REACH, branch)
    assert branch == [], "a solution that misses its target is not kept"
    joint_action_to(env, q, dq, target, branch)
    episode, solution = branch
    assert episode is env.episode_random_state
    assert env.robot.kinematics.reaches(solution, target)
    env.close()


def test_without_a_kept_branch_the_action_is_the_same():
    env = gym.make("Robo2DReacher-v0").unwrapped
    obs, _ = env.reset(seed=0)
    q, dq = joint_state(env, obs)
    target = env.observation_layout.read(obs, "target")
    action = joint_action_to(env, q, dq, target, None)
    assert env.action_space.contains(action)
    np.testing.assert_array_equal(action, joint_action_to(env, q, dq, target, []))
    env.close()
