"""The randomisable dynamics every arm shares: link masses, joint damping, motor force, position gain.

Each arm keeps an ``ArmDynamics`` of its moving links, reads the modelled values once, and sets
scaled copies of them when an episode's randomisation is applied; what an arm offers to vary is
``arm_parameters``, known without loading the arm. Masses and inertias scale together
(the same body, denser or lighter); damping is added to what the model states.
"""

from __future__ import annotations

import pybullet as pb

from robo2d.core.randomization import Parameter
from robo2d.core.sim import Sim

LINK_MASS = Parameter(
    "link_mass", "x", (0.8, 1.2), 1.0, "factor on every moving link's mass and inertia", (0.1, 10.0)
)
MOTOR_FORCE = Parameter(
    "motor_force", "x", (0.8, 1.2), 1.0, "factor on the motors' force / torque limit", (0.1, 10.0)
)
POSITION_GAIN = Parameter(
    "position_gain", "x", (0.8, 1.2), 1.0, "factor on the position motors' gain", (0.1, 3.0)
)


def joint_damping(default_high: float) -> Parameter:
    """Damping added to each arm joint's modelled damping; its scale depends on the arm (N m s/rad)."""
    return Parameter(
        "joint_damping",
        "N m s/rad",
        (0.0, default_high),
        0.0,
        "damping added to each arm joint",
        (0.0, 100.0),
    )


def arm_parameters(damping_high: float, position_control: bool) -> list[Parameter]:
    """What an arm varies: link masses, added damping (default range up to `damping_high`), motor
    force, and the position motors' gain where it has position motors."""
    own = [LINK_MASS, joint_damping(damping_high), MOTOR_FORCE]
    return own + [POSITION_GAIN] if position_control else own


class ArmDynamics:
    """Modelled masses, inertias and damping of an arm's moving joints' links, and scaled copies of them."""

    def __init__(self, sim: Sim, body: int, joints: list[int]) -> None:
        self.sim, self.body, self.joints = sim, body, list(joints)
        cid = sim.client
        self._masses = [pb.getDynamicsInfo(body, j, physicsClientId=cid)[:3:2] for j in self.joints]
        self.damping = [pb.getJointInfo(body, j, physicsClientId=cid)[6] for j in self.joints]  # modelled

    def apply(self, values: dict[str, float]) -> None:
        """Set this episode's masses, inertias and damping (motor force and gain are the arm's to use)."""
        cid, mass, extra = self.sim.client, values["link_mass"], values["joint_damping"]
        for joint, (m, inertia), damping in zip(self.joints, self._masses, self.damping):
            pb.changeDynamics(
                self.body,
                joint,
                mass=m * mass,
                localInertiaDiagonal=[i * mass for i in inertia],
                jointDamping=damping + extra,
                physicsClientId=cid,
            )
