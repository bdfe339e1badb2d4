"""Kinematics of a planar serial chain: joints about parallel vertical axes, read off the loaded model.

Each segment (from one joint to the next, or to the tip) is measured in the plane at zero joint
angles; joint i turns every segment after it by sign_i * q_i (sign -1 for an axis pointing down).
Forward kinematics runs in pure Python (the env's hot path); the Jacobian and the damped
least-squares IK serve oracles and tools, for any number of joints and any link lengths.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

REFERENCE_REACH = 0.2  # m: the shipped 2-link arm, on which the task distances were tuned
IK_STEPS = 60
IK_DAMPING = 1e-4  # m^2: damped least squares stays finite at the stretched-out singularity
LIMIT_AVOIDANCE = 0.1  # gain of the null-space pull towards mid-range (redundant arms)


@dataclass(frozen=True)
class PlanarKinematics:
    origin: tuple[float, float]  # world x, y of the first joint's axis
    segments: tuple[tuple[float, float], ...]  # planar vector of each segment at zero angles (m)
    signs: tuple[float, ...]  # +1 for an axis along +z, -1 along -z
    lower: tuple[float, ...]  # joint limits (rad; -inf/inf for continuous joints)
    upper: tuple[float, ...]
    downward: bool = field(init=False)  # some axis points along -z

    def __post_init__(self) -> None:
        object.__setattr__(self, "downward", -1.0 in self.signs)

    @property
    def n_joints(self) -> int:
        return len(self.segments)

    @property
    def link_lengths(self) -> list[float]:
        return [math.hypot(*seg) for seg in self.segments]

    @property
    def reach(self) -> float:
        """Farthest the tip gets from the first joint's axis (m)."""
        return sum(self.link_lengths)

    @property
    def min_reach(self) -> float:
        """Nearest the tip gets to the first joint's axis, limits aside: the longest link folded back."""
        lengths = self.link_lengths
        return max(0.0, 2 * max(lengths) - sum(lengths)) if len(lengths) > 1 else lengths[0]

    @property
    def scale(self) -> float:
        """Reach relative to the shipped 2-link arm, to a micrometre (PyBullet keeps frames in float32)."""
        return round(self.reach / REFERENCE_REACH, 6)

    def heading_range(self) -> tuple[float, float]:
        """Directions (rad) the first joint can point: the whole circle unless its limits are narrower."""
        lo, hi = self.lower[0], self.upper[0]
        return (-math.pi, math.pi) if hi - lo >= 2 * math.pi else (lo, hi)

    def tip(self, q) -> tuple[float, float]:
        """World x, y of the tip at joint angles `q` (the env's hot path: plain floats, no numpy)."""
        x, y = self.origin
        angle = 0.0
        segments = self.segments
        if self.downward:  # an axis along -z turns the other way
            q = [qi * sign for qi, sign in zip(q, self.signs)]
        for qi, (sx, sy) in zip(q, segments):
            angle += qi
            c, s = math.cos(angle), math.sin(angle)
            x += c * sx - s * sy
            y += s * sx + c * sy
        return x, y

    def jacobian(self, q) -> np.ndarray:
        """d(tip x, y) / dq, shape (2, n)."""
        angles = np.cumsum(np.asarray(q, float) * self.signs)
        seg = np.asarray(self.segments, float)
        c, s = np.cos(angles), np.sin(angles)
        world = np.stack([c * seg[:, 0] - s * seg[:, 1], s * seg[:, 0] + c * seg[:, 1]], axis=1)
        tail = np.cumsum(world[::-1], axis=0)[::-1]  # from joint i to the tip
        return np.stack([-tail[:, 1], tail[:, 0]]) * np.asarray(self.signs)

    def solve(self, target, q0) -> np.ndarray:
        """Joint angles within limits that bring the tip nearest `target`, starting from `q0`."""
        q = np.clip(np.asarray(q0, float), self.lower, self.upper)
        goal = np.asarray(target, float)
        for _ in range(IK_STEPS):
            error = goal - np.array(self.tip(q))
            if float(error @ error) < 1e-12:
                break
            jac = self.jacobian(q)
            pinv = jac.T @ np.linalg.inv(jac @ jac.T + IK_DAMPING * np.eye(2))
            null = np.eye(self.n_joints) - pinv @ jac  # moves that leave the tip where it is
            q = np.clip(q + pinv @ error + null @ self._away_from_limits(q), self.lower, self.upper)
        return q

    def _away_from_limits(self, q: np.ndarray) -> np.ndarray:
        """A joint move towards the middle of each limited joint's range (0 for continuous joints)."""
        lower, upper = np.asarray(self.lower), np.asarray(self.upper)
        limited = np.isfinite(lower) & np.isfinite(upper)
        lower, upper = np.where(limited, lower, q), np.where(limited, upper, q + 1.0)
        middle, span = (lower + upper) / 2, upper - lower
        return LIMIT_AVOIDANCE * (middle - q) / span * 2
