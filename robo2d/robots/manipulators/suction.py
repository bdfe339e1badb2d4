"""A virtual suction cup: on + touching an object = a fixed constraint at the current relative pose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pybullet as pb

from robo2d.core.observation import ObsPart
from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim
from robo2d.robots.manipulators.manipulator import Manipulator
from robo2d.robots.manipulators.shipped import weld_tool

SUCTION_FORCE = 40.0  # N: holds a 0.1 kg cube through 20 m/s^2 arm accelerations with margin, not infinite
SUCTION_TCP = 0.1075  # m from the flange face to the cup centre (urdf/suction_tool.urdf)
CUP_LINK = 0
LOWEST_TCP = 0.045  # m above the table: keeps the cup off it
SUCTION_STRENGTH = Parameter(
    "suction_force", "x", (0.8, 1.2), 1.0, "factor on the suction hold's force limit (40 N)", (0.1, 10.0)
)
SUCTION_PARAMETERS = (SUCTION_STRENGTH,)  # what the suction tool varies


class SuctionCup:
    """Attaches to whatever dynamic body its cup link touches; knows nothing of tasks or goals.

    The weld is taken at the current relative pose of the two centres of mass (Sim.weld): the object
    is held exactly where it was touched.
    """

    action_dim = 1

    def __init__(
        self, sim: Sim, body: int, cup_link: int, ignore: tuple[int, ...], max_force: float = SUCTION_FORCE
    ) -> None:
        self.sim, self.body, self.cup_link = sim, body, cup_link
        self.ignore = set(ignore) | {body}
        self.max_force = self.model_force = max_force
        self.on = False
        self.held: int | None = None
        self.constraint: int | None = None

    @property
    def is_grasped(self) -> bool:
        return self.held is not None

    def randomization_parameters(self) -> list[Parameter]:
        return list(SUCTION_PARAMETERS)

    def apply_randomization(self, values: dict[str, float], rng) -> None:
        self.max_force = self.model_force * values["suction_force"]

    def reset(self) -> None:
        self.release()
        self.on = False

    def apply(self, command: list[float]) -> None:
        """command[0] > 0: suction on (attach on contact); otherwise off (release)."""
        self.on = command[0] > 0.0
        if not self.on:
            self.release()
        elif self.held is None:
            target = self._touched_body()
            if target is not None:
                self.attach(target)

    def _touched_body(self) -> int | None:
        cid = self.sim.client
        for contact in pb.getContactPoints(bodyA=self.body, linkIndexA=self.cup_link, physicsClientId=cid):
            other = contact[2]
            if other not in self.ignore and pb.getDynamicsInfo(other, -1, physicsClientId=cid)[0] > 0:
                return other
        return None

    def attach(self, target: int) -> None:
        self.constraint = self.sim.weld(self.body, self.cup_link, target, self.max_force)
        self.held = target

    def release(self) -> None:
        if self.constraint is not None:
            pb.removeConstraint(self.constraint, physicsClientId=self.sim.client)
        self.constraint, self.held = None, None

    def update(self) -> None:
        """Attachment changes only in apply(); nothing to read."""

    def observation_parts(self) -> list[ObsPart]:
        return [
            ObsPart.uniform("suction_on", 1, "0/1", 0.0, 1.0, "suction on"),
            ObsPart.uniform("attached", 1, "0/1", 0.0, 1.0, "cube attached"),
        ]

    def observation(self) -> list[float]:
        """Suction on (1/0), object attached (1/0)."""
        return [float(self.on), float(self.held is not None)]


@dataclass(frozen=True)
class SuctionTool:
    """robo2d's suction tool (urdf/suction_tool.urdf) welded to the flange; TCP at the cup centre."""

    urdf: str = "suction_tool.urdf"
    max_force: float = SUCTION_FORCE
    parameters: ClassVar[tuple[Parameter, ...]] = SUCTION_PARAMETERS
    length: ClassVar[float] = SUCTION_TCP
    floor: ClassVar[float] = LOWEST_TCP

    def attach(self, robot: Manipulator) -> tuple[SuctionCup, tuple[float, float, float]]:
        tool = weld_tool(robot, self.urdf)
        cup = SuctionCup(robot.sim, tool, CUP_LINK, ignore=(robot.body,), max_force=self.max_force)
        return cup, (0.0, 0.0, robot.face_offset + SUCTION_TCP)
