"""Bad input raises errors a user can act on, and leaves the env usable."""

import subprocess
import sys

import gymnasium as gym
import numpy as np
import pytest

from robo2d.core.arguments import Argument
from robo2d.core.env import ComposedEnv
from robo2d.envs.pusher import PusherEnv


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_action_raises_and_env_survives(case, bad):
    env = case.make()
    env.reset(seed=0)
    action = np.zeros(env.action_space.shape, np.float32)
    action[0] = bad
    with pytest.raises(ValueError, match="NaN or inf"):
        env.step(action)
    env.step(np.zeros(env.action_space.shape, np.float32))
    env.close()


def test_wrong_shape_raises(case):
    env = case.make()
    env.reset(seed=0)
    n = env.action_space.shape[0]
    for bad in (np.zeros(n + 1), np.zeros((2, n)), np.zeros(0), "left"):
        with pytest.raises(ValueError, match="shape|numeric"):
            env.step(bad)
    with pytest.raises(ValueError, match=r"pass one action, not a batch \(use a VecEnv for batches\)"):
        env.step(np.zeros((4, n)))  # what a user with a batch of actions is told to do
    env.step(np.zeros(n))
    env.close()


def test_actions_as_lists_tuples_and_integers_step_alike(env_id):
    """Any numeric sequence of the action's shape is that action; a sequence of words is refused."""
    env = gym.make(env_id)
    n = env.action_space.shape[0]
    observations = []
    for action in (np.full(n, 0.5, np.float32), [0.5] * n, tuple([0.5] * n), np.ones(n, int), [1] * n):
        env.reset(seed=5)
        obs = env.step(action)[0]
        observations.append(np.ravel(obs["observation"] if isinstance(obs, dict) else obs))
    for obs in observations[1:3]:
        np.testing.assert_array_equal(obs, observations[0])
    np.testing.assert_array_equal(observations[4], observations[3])
    with pytest.raises(ValueError, match=r"action must be numeric with shape"):
        env.step(["left"] * n)
    env.close()


def test_out_of_range_is_clipped(case):
    env = case.make()
    n = env.action_space.shape[0]
    env.reset(seed=3)
    big = env.step(np.full(n, 7.0))[0]
    env.reset(seed=3)
    one = env.step(np.ones(n))[0]
    np.testing.assert_array_equal(
        np.ravel(big) if not isinstance(big, dict) else big["observation"],
        np.ravel(one) if not isinstance(one, dict) else one["observation"],
    )
    env.close()


def test_unknown_kwarg_names_the_problem(case):
    with pytest.raises(TypeError, match="reward_type"):
        case.make(rewrd_type="sparse")


def test_bad_option_values(case):
    with pytest.raises(ValueError, match="reward_type"):
        case.make(reward_type="shaped")
    with pytest.raises(ValueError, match="render_mode"):
        case.make(render_mode="ascii")


def test_wrong_kind_names_the_argument_and_its_default(case):
    with pytest.raises(TypeError, match=r"distance_threshold must be a finite number \(default"):
        case.make(distance_threshold="far")
    with pytest.raises(TypeError, match="goal_conditioned must be True or False"):
        case.make(goal_conditioned=1)


def test_an_argument_no_part_takes_fails_when_the_class_is_defined():
    """A misspelt argument would otherwise be accepted and never reach the task."""
    arguments = dict(PusherEnv.arguments)
    arguments["tip_objet_weight"] = arguments.pop("tip_object_weight")
    with pytest.raises(TypeError, match=r"no part takes: \['tip_objet_weight'\].*\['tip_object_weight'\]"):
        type("Misspelt", (ComposedEnv,), {"parts": PusherEnv.parts, "arguments": arguments})
    with pytest.raises(ValueError, match="state its kind"):
        Argument(None, "a default that says nothing of its kind")


@pytest.mark.parametrize(
    "default, kind, good, bad, words",
    [
        (True, "bool", False, 1, "True or False"),
        (3, "int", 7, 2.5, "an integer"),
        (0.5, "float", 2, "0.5", "a finite number"),
        ("velocity", "str", "torque", 0, "a string"),
    ],
)
def test_an_argument_takes_the_kind_of_its_default(default, kind, good, bad, words):
    """An argument declared with only a default checks values against the default's kind."""
    argument = Argument(default, "a user's argument")
    assert argument.kind == kind
    argument.check("UserEnv", "user_argument", good)
    with pytest.raises(TypeError, match=f"UserEnv: user_argument must be {words} \\(default"):
        argument.check("UserEnv", "user_argument", bad)


@pytest.mark.child_process
def test_gui_without_display_is_an_exception_not_an_exit():
    code = (
        "import gymnasium as gym, robo2d\n"
        "from robo2d.core.sim import DisplayUnavailableError\n"
        "try:\n    gym.make('Robo2DReacher-v0', render_mode='human')\n"
        "except DisplayUnavailableError as e:\n    print('caught:', e)\n"
        "print('still alive')\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "still alive" in out.stdout and "xvfb-run" in out.stdout, out.stderr
