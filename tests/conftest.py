import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest
from gymnasium.envs.registration import load_env_creator

import robo2d
from robo2d.catalog import MANIPULATOR_IDS, PLANAR_IDS, entry
from robo2d.core.assets import robot_path
from robo2d.robots.manipulators.shipped import SHIPPED_ARMS
from tests import mutation_order

#: the ids with a goal-conditioned mode, read from their classes (without building an env)
GOAL_IDS = tuple(
    i for i in robo2d.ENV_IDS if load_env_creator(gym.spec(i).entry_point).supports_goal_conditioned
)
#: every shipped planar arm other than an id's default, per planar id: (id, robot)
ARMS = tuple((env_id, "planar_arm_3link") for env_id in PLANAR_IDS if entry(env_id).id != "Robo2DOneJoint-v0")
#: every shipped 6/7-DoF arm other than the Kuka, per pick-and-place id: (id, robot)
MANIPULATORS = tuple((i, arm) for i in MANIPULATOR_IDS for arm in SHIPPED_ARMS if arm != "kuka")
#: the shipped robot written as ROS descriptions are (a package folder, package:// meshes, transmissions)
ROS_ARM, ROS_TIP = "planar5", "ee"


def edited_robot(tmp_path: Path, robot: str, *edits: tuple[str, str]) -> Path:
    """A copy of a shipped planar robot with each (old, new) replaced once (each old must be in it)."""
    text = robot_path(robot).read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / f"{robot}_edited.urdf"
    path.write_text(text)
    return path


#: SBX compiles its update at a run's start (seconds); the tests' many short SBX runs (the reacher's
#: recipe names it) share the compiled programs through robo2d's cache of them, in their processes and
#: children; one of the tests' own, not the user's
JAX_CACHE = Path(tempfile.gettempdir()) / "robo2d-tests-jax-cache"
os.environ.setdefault("ROBO2D_JAX_CACHE", str(JAX_CACHE))

#: PyBullet's client 0, connected before any env and left empty: a call that forgets its physicsClientId
#: goes to client 0, which would otherwise be the first env made in a fresh process, and act on it as
#: if nothing were wrong; here it finds no bodies, so it fails or changes nothing the tests can see.
DECOY_CLIENT = pb.connect(pb.DIRECT)


@dataclass(frozen=True)
class EnvCase:
    """An id with its default robot, or a planar id with another shipped arm."""

    id: str
    robot: str | None = None
    randomize: bool | dict = False
    tip_link: str | None = None

    @property
    def kwargs(self) -> dict:
        kwargs = {"robot": self.robot} if self.robot else {}
        kwargs = {**kwargs, "tip_link": self.tip_link} if self.tip_link else kwargs
        return {**kwargs, "randomize": self.randomize} if self.randomize else kwargs

    def make(self, **kwargs) -> gym.Env:
        return gym.make(self.id, **self.kwargs, **kwargs)

    def __str__(self) -> str:
        return self.id + (f"-{self.robot}" if self.robot else "") + ("-randomized" if self.randomize else "")


CASES = (
    tuple(EnvCase(i) for i in robo2d.ENV_IDS)
    + tuple(EnvCase(i, arm) for i, arm in ARMS)
    + tuple(EnvCase(i, ROS_ARM, tip_link=ROS_TIP) for i, _ in ARMS)
    + tuple(EnvCase(i, arm) for i, arm in MANIPULATORS)
)
GOAL_CASES = tuple(c for c in CASES if c.id in GOAL_IDS)
#: every id under its default randomisation, with action delays of 0-2 steps as well
RANDOMIZED = {"action_delay": [0, 2]}
RANDOMIZED_CASES = tuple(EnvCase(i, randomize=RANDOMIZED) for i in robo2d.ENV_IDS) + tuple(
    EnvCase(i, arm, randomize=RANDOMIZED) for i, arm in MANIPULATORS
)


@pytest.fixture(params=CASES, ids=str)
def case(request) -> EnvCase:
    """Every id with its default robot, and every planar id with each other shipped arm."""
    return request.param


@pytest.fixture(params=CASES + RANDOMIZED_CASES, ids=str)
def any_case(request) -> EnvCase:
    """The cases above, and every id randomised (for the determinism tests)."""
    return request.param


@pytest.fixture(params=GOAL_CASES, ids=str)
def goal_case(request) -> EnvCase:
    """The cases whose id offers goal_conditioned=True."""
    return request.param


@pytest.fixture(params=robo2d.ENV_IDS)
def env_id(request) -> str:
    return request.param


def rollout(env: gym.Env, seed: int, actions: np.ndarray):
    """Observations and rewards of one reset(seed) followed by `actions`."""
    obs, _ = env.reset(seed=seed)
    observations, rewards = [obs], []
    for a in actions:
        obs, reward, *_ = env.step(a)
        observations.append(obs)
        rewards.append(reward)
    return observations, rewards


def flatten(obs) -> np.ndarray:
    if isinstance(obs, dict):
        return np.concatenate([np.ravel(obs[k]) for k in sorted(obs)])
    return np.ravel(obs)


@pytest.fixture
def no_unpickling(monkeypatch):
    """Any pickle read fails the test."""
    import cloudpickle

    def refuse(*args, **kwargs):
        raise AssertionError("an agent file was unpickled")

    for module in (pickle, cloudpickle):
        monkeypatch.setattr(module, "loads", refuse)
        monkeypatch.setattr(module, "load", refuse)


def pytest_collection_modifyitems(config, items) -> None:
    """Under mutation testing, each mutant's tests in the order likeliest to kill it soonest."""
    mutant = mutation_order.mutant_under_test()
    if mutant is None:  # not a mutant: the stats and check runs take every test
        return
    kept = mutation_order.selected([item.nodeid for item in items], mutant)
    rank = {nodeid: i for i, nodeid in enumerate(mutation_order.order(kept, mutant))}
    items[:] = sorted((item for item in items if item.nodeid in rank), key=lambda item: rank[item.nodeid])


#: under mutation testing, the mutant's timer: which test killed it and how long its tests took
_MUTANT_TIMER: list[mutation_order.MutantTimer] = []


def pytest_sessionstart(session) -> None:
    mutant = mutation_order.mutant_under_test()
    if mutant:
        _MUTANT_TIMER[:] = [mutation_order.MutantTimer(mutant)]


def pytest_runtest_logreport(report) -> None:
    if _MUTANT_TIMER and report.failed:
        _MUTANT_TIMER[0].failed(report.nodeid)


def pytest_sessionfinish(session, exitstatus) -> None:
    if _MUTANT_TIMER:
        _MUTANT_TIMER.pop().finish(exitstatus)
