"""Scripted oracles reading only the public observation solve each task, with every shipped robot."""

import gymnasium as gym
import numpy as np
import pytest

from robo2d.catalog import ENV_IDS, entry
from robo2d.oracles import ScriptedPolicy, make_oracle
from robo2d.robots.planar.arm import JOINT_CONTROLS as MODES
from robo2d.run.evaluation import evaluate_policy
from tests.conftest import ARMS, MANIPULATORS, ROS_ARM, ROS_TIP

N_SEEDS = 50
MODE_SEEDS = 20  # per control mode and arm: the modes multiply the cases
OTHER_ARM_SUCCESS = 0.9  # a planar id's oracle with another shipped arm (issue: bring your own robot)


def success_rate(env: gym.Env, seeds=range(N_SEEDS), oracle=None) -> float:
    """The share of `seeds` whose episode ends in success, driven by the id's oracle (or `oracle`).
    Each action is one of the action space's own (its bounds and dtype), as a recorded dataset keeps it."""
    oracle, successes = oracle or make_oracle(env), []
    for seed in seeds:
        obs, _ = env.reset(seed=seed)
        done = False
        while not done:
            action = oracle(obs)
            assert env.action_space.contains(action), f"seed {seed}: {action!r} is not in the action space"
            obs, _, terminated, truncated, info = env.step(action)
            done = terminated or truncated
        successes.append(info["is_success"])
    return float(np.mean(successes))


@pytest.mark.parametrize("env_id", ENV_IDS)
def test_oracle_success_rate(env_id):
    env = gym.make(env_id)
    rate = success_rate(env)
    assert rate >= entry(env_id).oracle_success, f"{env_id} oracle success {rate:.2f}"
    env.close()


@pytest.mark.parametrize(("env_id", "robot"), ARMS + MANIPULATORS)
def test_oracle_with_other_arms(env_id, robot):
    """Every shipped planar arm and 6/7-DoF arm: the oracles read only the observation, so they drive
    any arm alike."""
    env = gym.make(env_id, robot=robot)
    rate = success_rate(env)
    assert rate >= OTHER_ARM_SUCCESS, f"{env_id} with {robot}: oracle success {rate:.2f}"
    env.close()


@pytest.mark.parametrize("env_id", ENV_IDS)
def test_oracle_under_default_randomization(env_id):
    """The default ranges leave every task solvable from the observation alone."""
    env = gym.make(env_id, randomize=True)
    rate = success_rate(env)
    assert rate >= OTHER_ARM_SUCCESS, f"{env_id} randomised: oracle success {rate:.2f}"
    env.close()


#: (id, robot, tip link, control) -> the success rate the oracle reaches over MODE_SEEDS (measured,
#: rounded down). The pixel reacher's under torque control is low: the joint velocities it reads from
#: successive frames lag a step (without them, none of its episodes succeeds).
MODE_ORACLES = {
    **{("Robo2DReacher-v0", arm, "tip", c): 0.9 for arm in ("planar_arm", "planar_arm_3link") for c in MODES},
    ("Robo2DReacher-v0", ROS_ARM, ROS_TIP, "velocity"): 0.9,
    ("Robo2DReacher-v0", ROS_ARM, ROS_TIP, "position"): 0.9,
    ("Robo2DReacher-v0", ROS_ARM, ROS_TIP, "torque"): 0.9,  # 5% while damping was held a whole step
    **{("Robo2DOneJoint-v0", "one_joint", "tip", c): 0.9 for c in MODES},
    ("Robo2DPusher-v0", "planar_arm", "tip", "torque"): 0.9,
    ("Robo2DPusher-v0", "planar_arm", "tip", "position"): 0.9,  # the oracle leads the lagging motors
    ("Robo2DPixelReacher-v0", "planar_arm", "tip", "position"): 0.9,
    ("Robo2DPixelReacher-v0", "planar_arm", "tip", "torque"): 0.25,
}


@pytest.mark.parametrize(("env_id", "robot", "tip_link", "control"), sorted(MODE_ORACLES))
def test_oracle_in_every_control_mode(env_id, robot, tip_link, control):
    env = gym.make(env_id, robot=robot, tip_link=tip_link, control=control)
    rate = success_rate(env, range(MODE_SEEDS))
    floor = MODE_ORACLES[env_id, robot, tip_link, control]
    assert rate >= floor, f"{env_id} {robot} {control}: oracle success {rate:.2f}"
    env.close()


def test_a_scripted_policy_evaluates_like_a_trained_agent():
    """`robo2d evaluate --oracle` wraps an oracle in the agents' predict(): over the held-out seeds it
    scores what the oracle does, and it acts only on the observation it is given."""
    env = gym.make("Robo2DReacher-v0")
    policy = ScriptedPolicy(env)
    result = evaluate_policy(policy, env, 20)
    assert result.success_rate >= entry("Robo2DReacher-v0").oracle_success
    obs, _ = env.reset(seed=3)
    action, state = policy.predict(obs)
    assert state is None and np.array_equal(action, make_oracle(env)(obs))
    env.close()


def test_an_oracle_is_found_through_a_users_wrappers_and_refused_without_an_id():
    """The id gym.make gave the env names its oracle, under any wrapper; an env class built directly has
    no id, and is refused saying how to make one."""
    wrapped = gym.wrappers.RecordEpisodeStatistics(gym.wrappers.ClipAction(gym.make("Robo2DReacher-v0")))
    obs, _ = wrapped.reset(seed=0)
    assert np.array_equal(make_oracle(wrapped)(obs), make_oracle(wrapped.unwrapped)(obs))
    direct = type(wrapped.unwrapped)()
    with pytest.raises(ValueError, match=r"^make_oracle needs an env made by gym.make \(its id names"):
        make_oracle(direct)
    direct.close()
    wrapped.close()
