"""What every env can vary besides its parts: the table, the actuation channel and state sensing.

Action delay and noise act between the agent and the robot (after the action is checked and
clipped); observation noise acts on the state vector the agent sees (never on the goals or the
reward, which stay exact). All per-step noise comes from the env's generator.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pybullet as pb

from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim

MAX_ACTION_DELAY = 5  # control steps a user's range may reach
TABLE_FRICTION = Parameter("table_friction", "x", (0.8, 1.2), 1.0, "factor on the table's lateral friction")
ACTION_DELAY = Parameter(
    "action_delay",
    "steps",
    (0, 0),  # off unless asked for: 0-1 steps cut the scripted policies to 25-40% success (20 seeds)
    0,
    "steps from an action to the motors (zeros till then); off by default",
    limits=(0, MAX_ACTION_DELAY),
    integer=True,
)
ACTION_NOISE = Parameter(
    "action_noise",
    "-",
    (0.0, 0.05),
    0.0,
    "std of Gaussian noise on each action (before clipping)",
    (0.0, 1.0),
)
OBSERVATION_NOISE = Parameter(
    "observation_noise",
    "obs unit",
    (0.0, 0.002),
    0.0,
    "std of Gaussian noise on each state-observation entry",
    (0.0, 1.0),
)


def env_parameters(state_observation: bool) -> list[Parameter]:
    """What every env varies: table friction, action delay and noise, and (when the observation is the
    state vector) observation noise."""
    own = [TABLE_FRICTION, ACTION_DELAY, ACTION_NOISE]
    return own + [OBSERVATION_NOISE] if state_observation else own


class EnvPerturbations:
    """Table friction, action delay and noise, observation noise (state observations only)."""

    def __init__(self, sim: Sim, table: int, action_dim: int, state_observation: bool) -> None:
        self.sim, self.table, self.action_dim = sim, table, action_dim
        self.state_observation = state_observation
        self.nominal_table_friction = pb.getDynamicsInfo(table, -1, physicsClientId=sim.client)[1]
        self.active = False  # whether step() must route actions and observations through here
        self.delay, self.action_std, self.observation_std = 0, 0.0, 0.0
        self.bounds: tuple[np.ndarray, np.ndarray] | None = None  # the state observation's low, high
        self._queue: deque = deque()
        self._rng: np.random.Generator | None = None

    def randomization_parameters(self) -> list[Parameter]:
        return env_parameters(self.state_observation)

    def apply_randomization(self, values: dict[str, float], rng: np.random.Generator) -> None:
        friction = self.nominal_table_friction * values["table_friction"]
        pb.changeDynamics(self.table, -1, lateralFriction=friction, physicsClientId=self.sim.client)
        self.delay, self.action_std = values["action_delay"], values["action_noise"]
        self.observation_std = values.get("observation_noise", 0.0)
        self._queue = deque([[0.0] * self.action_dim] * self.delay)
        self._rng = rng
        self.active = bool(self.delay or self.action_std or self.observation_std)

    def actuate(self, action: list[float]) -> list[float]:
        """The action the motors receive this step: noisy, clipped again, and `delay` steps late."""
        if self.action_std:  # in Python: a handful of numbers, where numpy's call overhead dominates
            noise = self._rng.normal(0.0, self.action_std, self.action_dim).tolist()
            action = [
                -1.0 if x < -1.0 else (1.0 if x > 1.0 else x) for x in map(float.__add__, action, noise)
            ]
        if self.delay:
            self._queue.append(action)
            action = self._queue.popleft()
        return action

    def sense(self, observation: np.ndarray) -> np.ndarray:
        """The state observation with this episode's noise, kept within the observation's bounds."""
        if self.observation_std:
            noise = self._rng.normal(0.0, self.observation_std, observation.shape)
            observation = np.clip(observation + noise.astype(np.float32), *self.bounds)
        return observation
