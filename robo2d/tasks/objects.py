"""A task's movable object (puck, cube) with randomisable mass, friction and size.

PyBullet cannot resize a loaded body, and every reset restores one saved physics state, so sizes
come from variants loaded once (only when ``object_size`` is varied): the object of each size waits
far outside every camera's view, static (mass 0: a resting dynamic body would cost ~0.2 ms of
contact solving per step), until an episode draws it.
"""

from __future__ import annotations

import pybullet as pb

from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim

SIZE_LEVELS = 5  # object sizes loaded when object_size is varied, evenly spread over its range
PARKING_X = 30.0  # m: where unused size variants wait, 0.5 m up (the cameras' far plane is 10 m)
PARKING_SPACING = 0.5  # m between parked variants
OBJECT_MASS = Parameter(
    "object_mass", "x", (0.7, 1.5), 1.0, "factor on the object's mass and inertia", (0.05, 20.0)
)
OBJECT_FRICTION = Parameter(
    "object_friction", "x", (0.8, 1.2), 1.0, "factor on the object's lateral friction", (0.05, 10.0)
)
OBJECT_SIZE = Parameter(
    "object_size",
    "x",
    (0.9, 1.1),
    1.0,
    f"factor on the object's size (one of {SIZE_LEVELS} evenly spread over the range)",
    (0.5, 1.5),
    levels=SIZE_LEVELS,
)


class SceneObject:
    """The object a task moves; ``body`` and ``scale`` are this episode's (the nominal one by default)."""

    parameters = (OBJECT_MASS, OBJECT_FRICTION, OBJECT_SIZE)  # what it varies (a task offers them)

    def __init__(self, sim: Sim, urdf: str, position: tuple[float, float, float]) -> None:
        self.sim, self.urdf = sim, urdf
        self.body = sim.load(urdf, position)
        self.scale = 1.0
        info = pb.getDynamicsInfo(self.body, -1, physicsClientId=sim.client)
        self._mass, self._inertia, self._friction = info[0], info[2], info[1]
        self._variants = {1.0: self.body}

    def prepare(self, ranges: dict[str, tuple[float, float]]) -> None:
        """Load the size variants the ranges can draw (before the env saves its initial state)."""
        if "object_size" not in ranges:
            return
        for k, scale in enumerate(OBJECT_SIZE.values(*ranges["object_size"][0])):
            if scale not in self._variants:
                position = (PARKING_X + PARKING_SPACING * k, 0.0, 0.5)
                body = self.sim.load(self.urdf, position, globalScaling=scale)
                self._variants[scale] = body
        for k, body in enumerate(self._variants.values()):  # the restored state has them here
            self.sim.move_body(body, (PARKING_X + PARKING_SPACING * k, 0.0, 0.5))
            pb.changeDynamics(body, -1, mass=0.0, physicsClientId=self.sim.client)

    def apply(self, values: dict[str, float]) -> None:
        """This episode's object: the variant of the drawn size (the restored state has every variant
        parked; the task places this one), with the drawn mass and friction."""
        scale, cid = values["object_size"], self.sim.client
        self.body, self.scale = self._variants[scale], scale
        if len(self._variants) > 1:  # all static first: the drawn one turns dynamic from the same start
            for body in self._variants.values():  # whichever the previous episode used
                pb.changeDynamics(body, -1, mass=0.0, physicsClientId=cid)
        mass = values["object_mass"]
        pb.changeDynamics(
            self.body,
            -1,
            mass=self._mass * mass,
            localInertiaDiagonal=[i * mass * scale * scale for i in self._inertia],
            lateralFriction=self._friction * values["object_friction"],
            physicsClientId=cid,
        )
