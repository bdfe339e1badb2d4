"""The parts an env is composed of, and what each may ask of the others.

An env id declares its parts (``EnvParts``): physics settings, how to build the robot (its tool
included), the task, the start state, and optionally a sensor that replaces the state vector (the
pixel reacher's camera). The generic env (core/env.py) wires them and knows none by name. Data flows
one way: action -> robot -> physics -> task -> reward / observation / info. A task reads the robot
only through the Robot protocol below (plus the geometry a robot family documents, e.g. a planar
arm's ``reach`` and ``tip``); a robot knows nothing of goals. Each part spec also says, without
building anything, which of the id's arguments it takes and what its part can vary: the env checks
the first when its class is defined and renders its docstring's randomisation table from the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from gymnasium import spaces

from robo2d.core.observation import ObsPart
from robo2d.core.randomization import Parameter, Randomizable
from robo2d.core.sim import Sim


@dataclass(frozen=True)
class Physics:
    """Simulation settings of an id: control runs at 1 / (timestep * substeps) Hz."""

    timestep: float  # s per physics step
    substeps: int  # physics steps per env step
    solver_iterations: int
    table_friction: float | None = None  # lateral friction of the table (None: PyBullet's default)


class Tool(Randomizable, Protocol):
    """What a robot carries at its end (suction cup, jaw gripper): commands after the arm's in the action.
    Its randomisation parameters are offered through the robot that carries it."""

    action_dim: int

    @property
    def is_grasped(self) -> bool:
        """Whether the tool holds an object now."""

    def reset(self) -> None: ...

    def apply(self, command: list[float]) -> None:
        """Send the tool's slice of a validated action."""

    def update(self) -> None:
        """Read the tool's state once per step."""

    def observation_parts(self) -> list[ObsPart]: ...

    def observation(self) -> list[float]: ...


class Robot(Randomizable, Protocol):
    """An arm in the sim: its action, motors and observation; camera framing for rendering; the
    dynamics it can vary (with its tool's)."""

    action_dim: int
    body: int
    #: camera for rgb_array frames and the GUI: target (x, y, z), distance, yaw, pitch
    camera: dict

    def apply_action(self, action: list[float]) -> None:
        """Send one validated action in [-1, 1] to the motors."""

    def update(self) -> None:
        """Read the state once per step (after physics), before the task reads it."""

    def observation_parts(self) -> list[ObsPart]: ...

    def observation(self) -> list[float]:
        """Values of observation_parts(), in order, flat."""

    def prepare_randomization(self, ranges: dict[str, tuple[float, float]]) -> None:
        """Fit the simulation to what the varied ranges may do (e.g. torque control's step split for the
        most damping), once, before the initial state is saved."""


class PlanarGeometry(Robot, Protocol):
    """What planar tasks may read of a planar arm (robots/planar/arm.py): its geometry and tip."""

    n_joints: int
    base_xy: tuple[float, float]  # m, where the first joint's axis meets the table
    reach: float  # m, farthest the tip gets from the base
    tip_height: float  # m above the table
    tip: tuple[float, float]  # m, this step's fingertip x, y
    q: list[float]  # rad, this step's joint angles
    kinematics: Any  # PlanarKinematics: scale (reach / 0.2 m), heading_range()


class ToolArm(Robot, Protocol):
    """What manipulation tasks may read of an arm with a tool (robots/manipulators/manipulator.py)."""

    tcp: np.ndarray  # m, this step's tool centre point
    tool: Tool
    table_area: Any  # TableArea: the x-y box (low, high) the tool reaches pointing down


class Task(Randomizable, Protocol):
    """What the robot is asked to do: scene objects, goal, reward terms, success; what its scene can
    vary (object mass, friction, size)."""

    goal: np.ndarray  # the desired goal, float32
    bodies: list[int]  # scene objects and markers it added (drawn by image sensors)

    def reset(self, rng: np.random.Generator) -> None:
        """Sample the goal and place the scene objects, drawing only from `rng` (the env's np_random)."""

    def update(self) -> None:
        """Read the scene's state once per step (after the robot's)."""

    def achieved_goal(self) -> np.ndarray: ...

    def info(self, achieved: np.ndarray, action: list[float]) -> dict:
        """is_success and every reward term by name."""

    def step_reward(self, info: dict) -> float: ...

    def compute_reward(self, achieved_goal, desired_goal, info) -> np.ndarray | float:
        """Reward from goals and info; batches give shape (N,)."""

    def observation_parts(self) -> list[ObsPart]: ...

    def observation(self) -> list[float]: ...

    def goal_bounds(self) -> tuple[list[float], list[float]]: ...

    def prepare_randomization(self, ranges: dict[str, tuple[float, float]]) -> None:
        """Load what the varied ranges need (e.g. object sizes), once, before the initial state is saved."""


class PartBuilder(Protocol):
    """What every part spec of an id says without building: which of the id's arguments it takes, and
    what the part it builds from them can vary (the same ``Parameter``s the built part offers)."""

    argument_names: tuple[str, ...]

    def parameters(self, settings: dict[str, Any]) -> list[Parameter]: ...


class RobotBuilder(PartBuilder, Protocol):
    def build(self, sim: Sim, settings: dict[str, Any]) -> Robot:
        """The robot (with its tool) in `sim`, from the env's arguments."""


class TaskBuilder(PartBuilder, Protocol):
    def build(self, sim: Sim, robot: Robot, settings: dict[str, Any]) -> Task: ...


class StartState(Protocol):
    def __call__(self, robot: Robot, rng: np.random.Generator) -> None:
        """Place the robot at its start state, drawing only from `rng` (before the task's draws)."""


class Sensor(Randomizable, Protocol):
    """An observation other than the state vector (e.g. an image); what its view can vary."""

    observation_space: spaces.Space

    def observe(self) -> np.ndarray: ...


class SensorBuilder(PartBuilder, Protocol):
    def build(self, sim: Sim, robot: Robot, task: Task, settings: dict[str, Any]) -> Sensor: ...


@dataclass(frozen=True)
class EnvParts:
    """Everything an id is made of; its env class adds only its docstring and arguments."""

    physics: Physics
    robot: RobotBuilder
    task: TaskBuilder
    start: StartState
    sensor: SensorBuilder | None = None  # None: the observation is the robot's and task's parts

    @property
    def argument_names(self) -> set[str]:
        """The id arguments its parts take (the env itself takes the common ones)."""
        builders = (self.robot, self.task) + ((self.sensor,) if self.sensor else ())
        return {name for builder in builders for name in builder.argument_names}
