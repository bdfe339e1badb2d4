"""Scripted policies that read only the public observation: proof that each task is solvable.

Each oracle is a callable ``oracle(observation) -> action`` for the env's flat observation (see the
env's docstring for the layout); a test asserts its success rate.
"""

from __future__ import annotations

import math

import numpy as np

PLANAR_LINK = 0.1  # m, both links of robo2d's planar arm (documented in the env docstrings)
PLANAR_MAX_JOINT_STEP = 3.0 * 0.05  # rad per step at full action (3 rad/s for 0.05 s)


def _wrap(angle: float) -> float:
    return (angle + math.pi) % (2 * math.pi) - math.pi


def planar_ik(x: float, y: float, elbow_hint: float) -> tuple[float, float]:
    """Joint angles putting the 2-link tip at (x, y), on the elbow side nearest `elbow_hint`."""
    cos_q2 = (x * x + y * y - 2 * PLANAR_LINK**2) / (2 * PLANAR_LINK**2)
    q2 = math.acos(min(1.0, max(-1.0, cos_q2)))
    if elbow_hint < 0:
        q2 = -q2
    q1 = math.atan2(y, x) - math.atan2(PLANAR_LINK * math.sin(q2), PLANAR_LINK * (1 + math.cos(q2)))
    return q1, q2


def joint_action_towards(obs: np.ndarray, x: float, y: float) -> np.ndarray:
    """Joint-velocity action moving the planar arm's tip towards (x, y) (reacher/pusher layout)."""
    q1 = math.atan2(obs[1], obs[0])
    q2 = math.atan2(obs[3], obs[2])
    t1, t2 = planar_ik(x, y, q2 if abs(q2) > 1e-3 else 1.0)
    action = [_wrap(t1 - q1) / PLANAR_MAX_JOINT_STEP, (t2 - q2) / PLANAR_MAX_JOINT_STEP]
    return np.clip(np.array(action, dtype=np.float32), -1.0, 1.0)


def reacher_oracle(obs: np.ndarray) -> np.ndarray:
    """Robo2DReacher-v0: drive the joints straight to the inverse-kinematics solution of the target."""
    return joint_action_towards(obs, float(obs[6]), float(obs[7]))


ORACLES = {"Robo2DReacher-v0": reacher_oracle}
