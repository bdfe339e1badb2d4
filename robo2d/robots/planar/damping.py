"""Torque control and joint damping: how finely the physics must step for an arm's damping.

PyBullet adds each joint's damping torque -D dq explicitly, once per ``stepSimulation`` call, from the
speeds at the call's start (torque control steps one physics step per call: robo2d.core.sim). With
nothing else holding the joints (torque control; velocity and position motors are solved as
constraints and hold them), that step is stable only while the physics step dt times the largest
eigenvalue of M(q)^-1 D stays below 2, and it rings well before. Where it passes DAMPING_STEP_LIMIT,
the physics step is split; an arm that would need more than MAX_SUBSTEP_FACTOR splits of its id's
step is refused with the numbers and what to change. What randomisation may add (damping on every
joint, lighter links) counts too, once the env knows its ranges.
"""

from __future__ import annotations

import math

import numpy as np
import pybullet as pb

DAMPING_STEP_LIMIT = 0.5  # dt * largest eigenvalue of M(q)^-1 D per physics step
MAX_SUBSTEP_FACTOR = 8  # torque control may split the id's physics step this many times at most
CHECK_ANGLE = 0.3  # rad: every joint bent a little, away from the stretched-out singularity


def step_ratio(arm, added: float = 0.0, mass_factor: float = 1.0) -> tuple[float, int]:
    """dt times the largest eigenvalue of M(q)^-1 D at the check pose, with `added` damping on every
    joint and the links `mass_factor` times as heavy; and the joint that moves most in that mode."""
    q = [CHECK_ANGLE] * arm.n_joints
    mass = np.array(pb.calculateMassMatrix(arm.body, q, physicsClientId=arm.sim.client)) * mass_factor
    root = np.sqrt(np.array(arm.damping) + added)
    # D^1/2 M^-1 D^1/2 is symmetric and has the eigenvalues of M^-1 D
    values, vectors = np.linalg.eigh(root[:, None] * np.linalg.inv(mass) * root[None, :])
    return float(arm.sim.timestep * values[-1]), int(np.argmax(np.abs(vectors[:, -1])))


def split_needed(arm, split: int, added: float = 0.0, mass_factor: float = 1.0) -> tuple[int, float, int]:
    """How many times finer than the id's physics step the arm needs to step, the ratio at the id's step
    and the joint it is worst on. The ratio scales with the step: it is measured at the current step
    (already `split` times finer than the id's) and scaled back."""
    ratio, joint = step_ratio(arm, added, mass_factor)
    at_id_step = ratio * split
    return max(1, math.ceil(at_id_step / DAMPING_STEP_LIMIT)), at_id_step, joint


def too_fast(arm, at_id_step: float, joint: int, added: float, id_step: float) -> str:
    """The numbers of a refusal: which joint, its damping, how fast it decays and the step it meets."""
    damping = arm.damping[joint] + added
    inertia = damping * id_step / at_id_step
    return (
        f"joint {arm.chain.moving[joint].name!r}: damping {damping:g} N m s/rad on an effective inertia "
        f"of {inertia:.2e} kg m^2 decays within {inertia / damping * 1e3:.1f} ms, too fast for torque "
        f"control's {id_step * 1e3:.1f} ms physics step even split {MAX_SUBSTEP_FACTOR} times"
    )


def _two_digits(value: float, rounding) -> float:
    """`value` (> 0) to two significant digits, rounded by `rounding` (math.floor or math.ceil)."""
    scale = 10.0 ** (1 - math.floor(math.log10(value)))
    return rounding(value * scale) / scale


def advised(limit: float) -> float:
    """`limit` cut to two significant digits, towards zero, for a refusal's advice: a damping advised as
    "at most" must not be past the limit (0.177 is advised as 0.17; rounding would say 0.18, refused)."""
    return _two_digits(limit, math.floor) if limit > 0.0 else 0.0


def lightest_fitting(arm, split: int, added: float) -> float:
    """The lightest link-mass factor at which the arm, with `added` damping on every joint, still fits
    MAX_SUBSTEP_FACTOR splits of its id's step, rounded up to two significant digits (advice stated as
    "at least"). M(q)^-1 D scales as 1 / the factor, so the factor is the ratio at 1 over the ratio
    MAX_SUBSTEP_FACTOR splits allow."""
    _, at_id_step, _ = split_needed(arm, split, added)
    return _two_digits(at_id_step / (MAX_SUBSTEP_FACTOR * DAMPING_STEP_LIMIT), math.ceil)
