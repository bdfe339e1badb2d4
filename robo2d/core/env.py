"""ComposedEnv: the one Gymnasium env of robo2d, wiring the parts an id declares.

A concrete id is a subclass that declares its parts (``parts``: physics, robot, task, start state,
optional sensor) and its arguments (``arguments``: ``Argument`` declarations), and whose docstring is
its spec, with the Arguments and Domain randomization tables rendered from those declarations
(core/env_doc.py); everything else -- spaces, seeding, input checks, observation assembly, rewards,
rendering -- lives here once. Data flows one way: action -> robot -> sim substeps -> task -> reward /
observation / info.
"""

from __future__ import annotations

import math
import time
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from robo2d.core.arguments import ANY, Argument, check_arguments
from robo2d.core.env_doc import complete_doc
from robo2d.core.observation import ObsLayout
from robo2d.core.parts import EnvParts
from robo2d.core.perturbation import EnvPerturbations, env_parameters
from robo2d.core.randomization import Parameter, Randomization
from robo2d.core.sim import Sim

RENDER_MODES = ("rgb_array", "human")
# Gymnasium >= 1.1 names the modes; 1.0 knew only this one, so its name stands in there
AUTORESET_MODE = getattr(getattr(gym.vector, "AutoresetMode", None), "NEXT_STEP", "NextStep")
RENDER_SIZE = (320, 240)  # width, height of render_mode="rgb_array" frames
#: the arguments of every env, taken by the env itself (an id may reword one by declaring it anew)
COMMON_ARGUMENTS = {
    "render_mode": Argument(None, 'None, "rgb_array" or "human"', ANY, (None, *RENDER_MODES)),
    "goal_conditioned": Argument(False, "Dict observation and compute_reward, for HER"),
    "randomize": Argument(False, "domain randomisation: False, True or a dict of ranges (below)", ANY),
}
#: the docstring lists goal_conditioned and randomize after this one: together they pose the problem
MODES_AFTER = "reward_type"


class ComposedEnv(gym.Env):
    """Base of every robo2d env; see each env's class docstring for its spec."""

    #: autoreset_mode: vector envs of robo2d ids reset a finished sub-env on the next step (Gymnasium's
    #: default), which is how the env behaves under gym.make_vec and SB3's VecEnv alike
    metadata = {"render_modes": list(RENDER_MODES), "render_fps": 20, "autoreset_mode": AUTORESET_MODE}
    #: what the id is made of (set by each id's class)
    parts: ClassVar[EnvParts]
    #: the id's own arguments (those its parts take), and any common one it words its own way
    arguments: ClassVar[dict[str, Argument]] = {}
    #: whether goal_conditioned=True is offered (Dict observation and compute_reward): not with a sensor
    supports_goal_conditioned: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.keys() & {"parts", "arguments"} and hasattr(cls, "parts"):
            cls.supports_goal_conditioned = cls.parts.sensor is None
            _check_parts_take(cls)
            if cls.__doc__:
                cls.doc_template = cls.__doc__  # as written, placeholders and all
                cls.__doc__ = complete_doc(cls)

    @classmethod
    def declared_arguments(cls) -> dict[str, Argument]:
        """Every constructor argument, in the docstring's order: render_mode, the id's own, with
        goal_conditioned and randomize after MODES_AFTER."""
        own = dict(cls.arguments)
        common = {name: own.pop(name, a) for name, a in COMMON_ARGUMENTS.items()}
        first = {"render_mode": common.pop("render_mode")}
        names = list(own)
        at = names.index(MODES_AFTER) + 1 if MODES_AFTER in own else 0
        return {**first, **{n: own[n] for n in names[:at]}, **common, **{n: own[n] for n in names[at:]}}

    @classmethod
    def all_arguments(cls) -> dict[str, Any]:
        """Every constructor argument with its default (what the docstring's Arguments table lists)."""
        return {name: a.default for name, a in cls.declared_arguments().items()}

    @classmethod
    def declared_parameters(cls, **arguments) -> list[Parameter]:
        """What ``randomize=True`` varies in the env these arguments make (the default robot's), from
        the parts' declarations, without building it; in the order the built env draws them."""
        settings = {**_settings_defaults(cls), **arguments}
        parts = cls.parts
        own = env_parameters(parts.sensor is None)
        own += parts.robot.parameters(settings) + parts.task.parameters(settings)
        return own + parts.sensor.parameters(settings) if parts.sensor else own

    def __new__(cls, *args, goal_conditioned: bool = False, **kwargs):
        check_arguments(
            cls.__name__, cls.declared_arguments(), {"goal_conditioned": goal_conditioned, **kwargs}
        )
        if goal_conditioned and not cls.supports_goal_conditioned:
            raise ValueError(f"{cls.__name__} has no goal-conditioned mode; use goal_conditioned=False")
        if goal_conditioned and not issubclass(cls, GoalConditionedEnv):
            cls = _goal_variant(cls)
        return super().__new__(cls)

    def __init__(
        self, render_mode: str | None = None, goal_conditioned: bool = False, randomize=False, **arguments
    ) -> None:
        render = COMMON_ARGUMENTS["render_mode"]  # checked here too: it may come by position
        render.check(type(self).__name__, "render_mode", render_mode)
        self.settings = {**_settings_defaults(type(self)), **arguments}
        parts, physics = self.parts, self.parts.physics
        sim = Sim(render_mode == "human", physics.timestep, physics.substeps, physics.solver_iterations)
        try:  # a part that refuses its arguments must not leak the client
            table = sim.load_table(physics.table_friction)
            robot = parts.robot.build(sim, self.settings)
            task = parts.task.build(sim, robot, self.settings)
            self.sensor = parts.sensor.build(sim, robot, task, self.settings) if parts.sensor else None
            self.perturbations = EnvPerturbations(sim, table, robot.action_dim, self.sensor is None)
            self._randomizable = [p for p in (self.perturbations, robot, task, self.sensor) if p is not None]
            parameters = [q for part in self._randomizable for q in part.randomization_parameters()]
            self.randomization = Randomization(parameters, randomize)
            robot.prepare_randomization(self.randomization.ranges)
            task.prepare_randomization(self.randomization.ranges)
        except BaseException:
            sim.close()
            raise
        self._setup(sim, robot, task, render_mode)

    def _setup(self, sim: Sim, robot, task, render_mode: str | None) -> None:
        self.sim, self.robot, self.task = sim, robot, task
        self._perturbed = False  # whether this episode's actions and observations pass perturbations
        self.render_mode = render_mode
        self.camera = robot.camera
        if render_mode == "human":  # the GUI window shows what rgb_array frames show
            sim.aim_gui_camera(**self.camera)
        self.metadata = {**self.metadata, "render_fps": round(1.0 / sim.control_dt)}
        self.action_space = spaces.Box(-1.0, 1.0, (robot.action_dim,), np.float32)
        self._action_shape = (robot.action_dim,)
        self.observation_layout = ObsLayout(robot.observation_parts() + task.observation_parts())
        layout = self.observation_layout
        self.perturbations.bounds = (np.array(layout.low, np.float32), np.array(layout.high, np.float32))
        self.observation_space = self._make_observation_space()
        # One physics step first, so the saved state holds every resting contact: restoreState then
        # replaces the contact cache of the previous episode (a state saved without contacts leaves
        # it in place, and the next episode would differ in its last digits). PyBullet's collision
        # pairs still outlive it: through contacts made mid-episode (a pushed puck) an episode can
        # still depend on the one before (tests/core/test_determinism.py, CONTACT_HISTORY).
        sim.step()
        self._initial_state = sim.save_state()
        self._last_frame_time = 0.0

    def _make_observation_space(self) -> spaces.Space:
        if self.sensor is not None:
            return self.sensor.observation_space
        layout = self.observation_layout
        return spaces.Box(
            np.array(layout.low, np.float32), np.array(layout.high, np.float32), dtype=np.float32
        )

    # --- Gymnasium API ------------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        # The generator before this episode's draws: setting it back and resetting replays this reset
        # (how a resumed training run rebuilds its envs exactly).
        self.episode_random_state = self.np_random.bit_generator.state
        self.sim.restore_state(self._initial_state)
        values = self._randomize() if self.randomization.enabled else None
        self.parts.start(self.robot, self.np_random)
        self.task.reset(self.np_random)
        self.robot.update()
        self.task.update()
        achieved = self.task.achieved_goal()
        info = self.task.info(achieved, self._zero_action)
        if values is not None:
            info["randomization"] = values
        return self._observation(achieved), info

    def step(self, action):
        action = self._validate(action)
        self.robot.apply_action(self.perturbations.actuate(action) if self._perturbed else action)
        self.sim.step()
        self.robot.update()
        self.task.update()
        achieved = self.task.achieved_goal()
        info = self.task.info(achieved, action)
        reward = self.task.step_reward(info)
        if self.render_mode == "human":
            self._keep_real_time()
        return self._observation(achieved), reward, False, False, info

    def render(self):
        if self.render_mode == "rgb_array":
            width, height = RENDER_SIZE
            return self.sim.camera_image(width, height, **self.camera)
        return None

    def close(self) -> None:
        if hasattr(self, "sim"):
            self.sim.close()

    # --- internals ----------------------------------------------------------------------------------
    def _randomize(self) -> dict:
        """Draw this episode's parameters (before the start state's and the task's draws) and apply them."""
        values = self.randomization.sample(self.np_random)
        for part in self._randomizable:
            part.apply_randomization(values, self.np_random)
        self._perturbed = self.perturbations.active
        return values

    @property
    def _zero_action(self) -> list[float]:
        return [0.0] * self._action_shape[0]

    def _validate(self, action) -> list[float]:
        """Check shape and finiteness (ValueError that names the problem), then clip to [-1, 1]."""
        if type(action) is np.ndarray and action.shape == self._action_shape and action.dtype.kind == "f":
            values = action.tolist()  # the common case, without a conversion
        else:
            values = self._convert(action)
        if not math.isfinite(sum(values)):  # NaN and inf survive the sum
            raise ValueError(f"action contains NaN or inf: {values}; the env state is unchanged")
        return [-1.0 if x < -1.0 else (1.0 if x > 1.0 else x) for x in values]

    def _convert(self, action) -> list[float]:
        try:
            a = np.asarray(action, dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise ValueError(f"action must be numeric with shape {self._action_shape}: {err}") from None
        if a.shape != self._action_shape:
            raise ValueError(
                f"action must have shape {self._action_shape}, got shape {a.shape}; "
                "pass one action, not a batch (use a VecEnv for batches)"
            )
        return a.tolist()

    def _observation(self, achieved: np.ndarray):
        """The observation; `achieved` is this step's achieved goal (used by the goal-conditioned mode)."""
        if self.sensor is not None:
            return self.sensor.observe()
        observation = np.array(self.robot.observation() + self.task.observation(), dtype=np.float32)
        return self.perturbations.sense(observation) if self._perturbed else observation

    def _keep_real_time(self) -> None:
        wait = self.sim.control_dt - (time.perf_counter() - self._last_frame_time)
        if wait > 0:
            time.sleep(wait)
        self._last_frame_time = time.perf_counter()


def _settings_defaults(cls: type) -> dict[str, Any]:
    """The defaults of the arguments the parts take (the env keeps the common ones)."""
    return {name: a.default for name, a in cls.arguments.items() if name not in COMMON_ARGUMENTS}


def _check_parts_take(cls: type) -> None:
    """Each of the id's own arguments goes to a part that takes it, and each argument a part takes is
    declared: a misspelt name fails when the class is defined, not when someone passes it."""
    own, taken = set(_settings_defaults(cls)), cls.parts.argument_names
    problems = [f"no part takes: {sorted(own - taken)}"] if own - taken else []
    problems += [f"a part takes, but not declared: {sorted(taken - own)}"] if taken - own else []
    if problems:
        raise TypeError(f"{cls.__name__} arguments {'; '.join(problems)}")


class GoalConditionedEnv(ComposedEnv):
    """Goal-conditioned variant: Dict observations and a batch-capable compute_reward (for HER)."""

    def _make_observation_space(self) -> spaces.Space:
        goal_low, goal_high = self.task.goal_bounds()
        goal_box = spaces.Box(
            np.array(goal_low, np.float32), np.array(goal_high, np.float32), dtype=np.float32
        )
        return spaces.Dict(
            {
                "observation": super()._make_observation_space(),
                "achieved_goal": goal_box,
                "desired_goal": goal_box,
            }
        )

    def _observation(self, achieved: np.ndarray):
        return {
            "observation": super()._observation(achieved),
            "achieved_goal": achieved.copy(),
            "desired_goal": self.task.goal.copy(),
        }

    def compute_reward(self, achieved_goal, desired_goal, info):
        """Step reward recomputed from goals and info; batches give shape (N,)."""
        return self.task.compute_reward(achieved_goal, desired_goal, info)


_GOAL_VARIANTS: dict[type, type] = {}


def _goal_variant(cls: type) -> type:
    """The goal-conditioned subclass of a concrete env (created once, same docstring)."""
    if cls not in _GOAL_VARIANTS:
        name = f"{cls.__name__}GoalConditioned"
        _GOAL_VARIANTS[cls] = type(
            name, (GoalConditionedEnv, cls), {"__doc__": cls.__doc__, "__module__": cls.__module__}
        )
    return _GOAL_VARIANTS[cls]
