"""Sim's physics step split finer: the control period keeps its length and is integrated in the finer
steps, seen on a body falling freely (no damping) through one control period."""

import pybullet as pb
import pytest

from robo2d.core.sim import Sim

G = 9.81  # m/s^2


def _fall_over_one_control_period(sim: Sim) -> tuple[float, float]:
    """(drop in m, downward speed in m/s) of a free 1 kg sphere after one `sim.step()` from rest."""
    cid = sim.client
    shape = pb.createCollisionShape(pb.GEOM_SPHERE, radius=0.05, physicsClientId=cid)
    ball = pb.createMultiBody(1.0, shape, basePosition=(0.0, 0.0, 10.0), physicsClientId=cid)
    pb.changeDynamics(ball, -1, linearDamping=0.0, angularDamping=0.0, physicsClientId=cid)
    sim.step()
    (_, _, z), _ = pb.getBasePositionAndOrientation(ball, physicsClientId=cid)
    (_, _, vz), _ = pb.getBaseVelocity(ball, physicsClientId=cid)
    return 10.0 - z, -vz


@pytest.mark.parametrize("split", [1, 2])
def test_a_split_step_keeps_the_control_period_and_integrates_it_in_finer_steps(split):
    """0.01 s x 5 steps per control period, split 2x: 10 steps of 0.005 s. Either way the period lasts
    0.05 s, so the speed is g * 0.05 s; stepping velocity then position (semi-implicit Euler), n steps of
    h drop g h^2 n (n + 1) / 2: 0.01472 m in 5 steps, 0.01349 m in 10."""
    sim = Sim(timestep=0.01, substeps=5)
    if split != 1:
        sim.split_steps(1, split)
    drop, speed = _fall_over_one_control_period(sim)
    sim.close()
    assert speed == pytest.approx(G * 0.05, rel=1e-6)
    assert drop == pytest.approx({1: 0.014715, 2: 0.01348875}[split], rel=1e-6)
