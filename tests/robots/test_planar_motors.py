"""The planar arm's position motors: their effort limit and gain, measured one control step after a
position step from rest on the one-joint robot (a single link, so the solver converges exactly)."""

from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

from robo2d.core.assets import robot_path
from robo2d.core.sim import Sim
from robo2d.envs import reacher
from robo2d.robots.planar.arm import PlanarArm

PHYSICS = reacher.PHYSICS


def _speed_after_a_step(urdf: Path, step: float) -> float:
    """The joint's speed (rad/s) one control step after being asked `step` rad away from rest."""
    sim = Sim(
        timestep=PHYSICS.timestep, substeps=PHYSICS.substeps, solver_iterations=PHYSICS.solver_iterations
    )
    try:
        arm = PlanarArm(sim, urdf, control="position")
        arm.reset([0.3])
        arm.apply_action([arm.position_action(0, 0.3 + step)])
        sim.step()
        arm.update()
        return arm.dq[0]
    finally:
        sim.close()


def test_a_position_motor_is_held_to_its_effort_limit(tmp_path):
    """A half-radian step is more than motors of 5 and 10 mN m can take in one 50 ms step (unlimited, the
    pointer would be at 2.4 rad/s): each accelerates at its limit, so half the effort gives half the
    speed."""
    speeds = []
    for effort in (0.005, 0.01):
        urdf = tmp_path / f"pointer_{effort}.urdf"
        urdf.write_text(robot_path("one_joint").read_text().replace('effort="1.0"', f'effort="{effort}"'))
        speeds.append(_speed_after_a_step(urdf, 0.5))
    assert speeds[1] < 2.4
    assert speeds[0] == pytest.approx(speeds[1] / 2, rel=1e-3)


@pytest.mark.parametrize("gain", [0.5, 2.0])
def test_randomised_position_gain_reaches_the_position_motors(gain):
    """PyBullet's position motor closes its gain (0.1 x the randomised factor) of the remaining error each
    physics step: a 0.2 rad step is 1 - (1 - 0.1 gain)^3 done after one control step of three."""
    env = gym.make(
        "Robo2DOneJoint-v0",
        control="position",
        randomize={"position_gain": [gain, gain], "others": "nominal"},
    )
    env.reset(seed=0)
    arm = env.unwrapped.robot
    start = arm.q[0]
    env.step(np.array([arm.position_action(0, start + 0.2)], dtype=np.float32))
    assert (arm.q[0] - start) / 0.2 == pytest.approx(1 - (1 - 0.1 * gain) ** 3, rel=1e-4)
    env.close()
