"""Named observation parts, flattened only at the edge.

A robot, tool or task declares its parts (name, size, unit, bounds, meaning) in the order its
``observation()`` list gives their values; the env concatenates robot, then task, into the flat
float32 vector the agent sees. The layout turns names into slices, so oracles and tests read
``layout.read(obs, "target")`` instead of ``obs[6:8]``, and the docstring's observation table is
checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ObsPart:
    name: str
    size: int
    unit: str  # "m", "m/s", "rad", "rad/s", "-" (dimensionless), "0/1"
    low: tuple[float, ...]
    high: tuple[float, ...]
    meaning: str

    @classmethod
    def uniform(cls, name: str, size: int, unit: str, low: float, high: float, meaning: str) -> ObsPart:
        """A part whose entries share one bound."""
        return cls(name, size, unit, (low,) * size, (high,) * size, meaning)

    def __post_init__(self) -> None:
        if len(self.low) != self.size or len(self.high) != self.size:
            raise ValueError(f"observation part {self.name!r}: bounds must have {self.size} entries")


class ObsLayout:
    """The flat observation as a sequence of named parts."""

    def __init__(self, parts: list[ObsPart]) -> None:
        names = [p.name for p in parts]
        if len(set(names)) != len(names):
            raise ValueError(f"observation part names must be unique, got {names}")
        self.parts = list(parts)
        self.slices: dict[str, slice] = {}
        start = 0
        for part in parts:
            self.slices[part.name] = slice(start, start + part.size)
            start += part.size
        self.size = start

    @property
    def low(self) -> list[float]:
        return [x for p in self.parts for x in p.low]

    @property
    def high(self) -> list[float]:
        return [x for p in self.parts for x in p.high]

    def read(self, obs, name: str) -> np.ndarray:
        """The values of part `name` in a flat observation (or a batch of them, last axis)."""
        if name not in self.slices:
            raise KeyError(f"no observation part {name!r}; parts: {list(self.slices)}")
        return np.asarray(obs)[..., self.slices[name]]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(index, name, meaning, unit) per part, as the docstring's observation table lists them."""
        out = []
        for part in self.parts:
            s = self.slices[part.name]
            index = str(s.start) if part.size == 1 else f"{s.start}-{s.stop - 1}"
            out.append((index, part.name, part.meaning, part.unit))
        return out
