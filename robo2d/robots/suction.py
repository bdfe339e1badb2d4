"""A virtual suction cup: on + touching an object = a fixed constraint at the current relative pose."""

from __future__ import annotations

import pybullet as pb

from robo2d.core.sim import Sim

SUCTION_FORCE = 40.0  # N: holds a 0.1 kg cube through 20 m/s^2 arm accelerations with margin, not infinite


class SuctionCup:
    """Attaches to whatever dynamic body its cup link touches; knows nothing of tasks or goals.

    PyBullet constraint frames are relative to each link's centre of mass, so the relative pose is
    computed between the two centres of mass: the object is held exactly where it was touched.
    """

    action_dim = 1

    def __init__(
        self, sim: Sim, body: int, cup_link: int, ignore: tuple[int, ...], max_force: float = SUCTION_FORCE
    ) -> None:
        self.sim, self.body, self.cup_link = sim, body, cup_link
        self.ignore = set(ignore) | {body}
        self.max_force = max_force
        self.on = False
        self.held: int | None = None
        self.constraint: int | None = None

    @property
    def is_grasped(self) -> bool:
        return self.held is not None

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
        cid = self.sim.client
        cup_pos, cup_orn = pb.getLinkState(self.body, self.cup_link, physicsClientId=cid)[:2]  # COM frame
        obj_pos, obj_orn = pb.getBasePositionAndOrientation(target, physicsClientId=cid)  # COM frame
        inv_pos, inv_orn = pb.invertTransform(cup_pos, cup_orn)
        rel_pos, rel_orn = pb.multiplyTransforms(inv_pos, inv_orn, obj_pos, obj_orn)
        self.constraint = pb.createConstraint(
            self.body,
            self.cup_link,
            target,
            -1,
            pb.JOINT_FIXED,
            (0, 0, 0),
            rel_pos,
            (0, 0, 0),
            parentFrameOrientation=rel_orn,
            childFrameOrientation=(0, 0, 0, 1),
            physicsClientId=cid,
        )
        pb.changeConstraint(self.constraint, maxForce=self.max_force, physicsClientId=cid)
        self.held = target

    def release(self) -> None:
        if self.constraint is not None:
            pb.removeConstraint(self.constraint, physicsClientId=self.sim.client)
        self.constraint, self.held = None, None

    def update(self) -> None:
        """Attachment changes only in apply(); nothing to read."""

    def observation_bounds(self) -> tuple[list[float], list[float]]:
        return [0.0, 0.0], [1.0, 1.0]

    def observation(self) -> list[float]:
        """Suction on (1/0), object attached (1/0)."""
        return [float(self.on), float(self.held is not None)]
