"""Kinematics of a planar serial chain: joints about parallel vertical axes, read off the loaded model.

Each segment (from one joint to the next, or to the tip) is measured in the plane at zero joint
angles; joint i turns every segment after it by sign_i * q_i (sign -1 for an axis pointing down).
Everything runs in pure Python (2 x n matrices are far too small for numpy): forward kinematics
in the env's hot path, the damped least-squares IK for the oracles and for redundant arms' IK control,
for any number of joints and any link lengths.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

REFERENCE_REACH = 0.2  # m: the shipped 2-link arm, on which the task distances were tuned
IK_STEPS = 60
IK_DAMPING = 1e-4  # m^2: damped least squares stays finite at the stretched-out singularity
LIMIT_AVOIDANCE = 0.1  # gain of the null-space pull towards mid-range (redundant arms)
IK_TOLERANCE = 1e-6  # m
NULL_SPACE_DAMPING = 1e-9  # m^2: just enough to stay finite at a singularity


def wrap(angle: float) -> float:
    """The angle (rad) brought into [-pi, pi)."""
    return (angle + math.pi) % (2 * math.pi) - math.pi


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

    def solve(
        self, target, q0, tolerance: float = IK_TOLERANCE, also_from=(), restart: bool = True
    ) -> np.ndarray:
        """Joint angles within limits that bring the tip within `tolerance` (m) of `target`, from `q0`.

        Damped least squares for the tip, plus a pull towards mid-range projected into the null space
        (undamped, so it does not move the tip): redundant arms keep off their joint limits. Where the
        descent from `q0` stalls short of the target (held at a joint limit, or folded back on itself
        with the tip on the first axis, where no joint moves it outwards: arms whose links bend sideways
        meet both), it starts again from each of `also_from` (a caller's earlier solution keeps it on
        one branch), the mid-range pose and `q0` with the later joints mirrored: the first start that
        reaches the target wins, else the descent from `q0` is kept. `restart=False` keeps the descent
        from `q0` always (IK control: a motor target far from the pose would swing the arm across).
        """
        gx, gy = float(target[0]), float(target[1])
        first = self._descend(gx, gy, q0, tolerance)
        if not restart or self.reaches(first, target, tolerance):
            return np.array(first)
        mirrored = [q0[0], *(-float(qi) for qi in q0[1:])]
        for start in (*also_from, self._middle(), mirrored):
            q = self._descend(gx, gy, start, tolerance)
            if self.reaches(q, target, tolerance):
                return np.array(q)
        return np.array(first)

    def reaches(self, q, target, tolerance: float = IK_TOLERANCE) -> bool:
        """Whether the tip at angles `q` is within `tolerance` (m) of `target`."""
        x, y = self.tip(q)
        return (float(target[0]) - x) ** 2 + (float(target[1]) - y) ** 2 < tolerance * tolerance

    def _descend(self, gx: float, gy: float, q0, tolerance: float) -> list[float]:
        """At most IK_STEPS damped least-squares steps from `q0` towards the tip at (gx, gy)."""
        q = [min(max(float(qi), lo), hi) for qi, lo, hi in zip(q0, self.lower, self.upper)]
        for _ in range(IK_STEPS):
            x, y = self.tip(q)
            ex, ey = gx - x, gy - y
            if ex * ex + ey * ey < tolerance * tolerance:
                break
            columns, pull = self._columns(q), self._away_from_limits(q)
            px = sum(jx * g for (jx, _), g in zip(columns, pull))  # J @ pull: its effect on the tip
            py = sum(jy * g for (_, jy), g in zip(columns, pull))
            ux, uy = _solve_2x2(columns, IK_DAMPING, ex, ey)  # damped step for the tip error
            vx, vy = _solve_2x2(columns, NULL_SPACE_DAMPING, px, py)  # what undoes the pull's effect
            q = [
                min(max(qi + g + jx * (ux - vx) + jy * (uy - vy), lo), hi)
                for qi, g, (jx, jy), lo, hi in zip(q, pull, columns, self.lower, self.upper)
            ]
        return q

    def _middle(self) -> list[float]:
        """Every limited joint at the middle of its range, continuous ones at 0."""
        return [
            (lo + hi) / 2 if math.isfinite(lo) and math.isfinite(hi) else 0.0
            for lo, hi in zip(self.lower, self.upper)
        ]

    def _columns(self, q) -> list[tuple[float, float]]:
        """Jacobian columns d(tip)/dq_i, as (dx, dy) per joint."""
        angle, points = 0.0, []
        x, y = self.origin
        for qi, sign, (sx, sy) in zip(q, self.signs, self.segments):
            points.append((x, y))
            angle += sign * qi
            c, s = math.cos(angle), math.sin(angle)
            x, y = x + c * sx - s * sy, y + s * sx + c * sy
        return [(-sign * (y - py), sign * (x - px)) for (px, py), sign in zip(points, self.signs)]

    def _away_from_limits(self, q) -> list[float]:
        """A joint move towards the middle of each limited joint's range (0 for continuous joints)."""
        return [
            LIMIT_AVOIDANCE * ((lo + hi) / 2 - qi) / (hi - lo) * 2
            if math.isfinite(lo) and math.isfinite(hi)
            else 0.0
            for qi, lo, hi in zip(q, self.lower, self.upper)
        ]


def _solve_2x2(
    columns: list[tuple[float, float]], damping: float, ex: float, ey: float
) -> tuple[float, float]:
    """(J J^T + damping I)^-1 (ex, ey) for the 2 x n Jacobian given by its columns."""
    a, b, d = damping, 0.0, damping
    for jx, jy in columns:
        a, b, d = a + jx * jx, b + jx * jy, d + jy * jy
    det = a * d - b * b
    return (d * ex - b * ey) / det, (a * ey - b * ex) / det
