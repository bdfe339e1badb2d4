"""How planar ids build their arm and place it at the start of an episode (parts of EnvParts), and
the arguments every planar id takes to choose its robot."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from robo2d.core.arguments import ANY, Argument
from robo2d.core.parts import Physics
from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim
from robo2d.robots.planar.arm import VELOCITY_CONTROL, PlanarArm, planar_parameters
from robo2d.robots.planar.motion_check import solver_iterations
from robo2d.robots.urdf_check import RobotFileError

#: the arguments every planar id takes to choose its robot; robot and tip_link are checked by the arm
ROBOT_ARGUMENTS = {
    "robot": Argument(
        "planar_arm", 'a shipped arm (`"planar_arm"`, `"planar_arm_3link"`) or a URDF path', ANY
    ),
    "tip_link": Argument("tip", "the link whose origin is the fingertip", ANY),
    "control": Argument(
        VELOCITY_CONTROL, '"velocity", "torque" or "position": how actions drive the joints (above)'
    ),
}
FOLD_LIMIT_FRACTION = 0.9  # a folded start stays this far inside a joint's upper limit


@dataclass(frozen=True)
class PlanarRobot:
    """The arm named by the ``robot`` and ``tip_link`` arguments, driven as ``control`` says."""

    joints: int | None = None  # required number of moving joints (None: any from min_joints)
    min_joints: int = 2  # a tip on one joint only sweeps a circle: no area to reach or push in
    argument_names: ClassVar[tuple[str, ...]] = tuple(ROBOT_ARGUMENTS)

    def parameters(self, settings: dict) -> list[Parameter]:
        """What the arm varies under the settings' control (the same for every planar arm file)."""
        return planar_parameters(settings.get("control", VELOCITY_CONTROL))

    def build(self, sim: Sim, settings: dict) -> PlanarArm:
        arm = PlanarArm(
            sim, settings["robot"], settings["tip_link"], settings.get("control", VELOCITY_CONTROL)
        )
        iterations = solver_iterations(arm, Physics(sim.timestep, sim.substeps, sim.solver_iterations))
        if iterations != sim.solver_iterations:
            sim.set_solver_iterations(iterations)
        wrong = arm.n_joints != self.joints if self.joints is not None else arm.n_joints < self.min_joints
        if wrong:
            need = f"exactly {self.joints}" if self.joints is not None else f"at least {self.min_joints}"
            other = "Robo2DReacher-v0 for arms" if self.joints == 1 else "Robo2DOneJoint-v0 for one joint"
            raise RobotFileError(
                f"{arm.path}: this env needs {need} moving joint(s), the file has {arm.n_joints} "
                f"({[j.name for j in arm.chain.moving]}); use {other}"
            )
        return arm


@dataclass(frozen=True)
class JointStart:
    """Joints uniform within +-noise rad of zero, or of a folded pose (every joint after the first at
    ``fold`` rad, kept inside its limit), at rest."""

    noise: float
    fold: float | None = None

    def __call__(self, robot: PlanarArm, rng: np.random.Generator) -> None:
        noise = rng.uniform(-self.noise, self.noise, robot.n_joints)
        if self.fold is None:
            robot.reset(noise)
            return
        upper = robot.kinematics.upper[1:]
        robot.reset(noise + np.array([0.0] + [min(self.fold, FOLD_LIMIT_FRACTION * u) for u in upper]))


@dataclass(frozen=True)
class UniformJointStart:
    """Every joint uniform in [-pi, pi), at rest."""

    def __call__(self, robot: PlanarArm, rng: np.random.Generator) -> None:
        robot.reset([rng.uniform(-math.pi, math.pi) for _ in range(robot.n_joints)])
