"""Domain randomisation: physics, actuation and sensing drawn anew at every reset.

Each part declares what it can vary (``Parameter``: name, unit, default range, the nominal value that
means "as modelled") and applies the values it is given (``Randomizable``); its part spec knows the
same parameters without building it, for the env's docstring table. The env gathers the
parameters of its parts, turns its ``randomize`` argument into one range per parameter
(``Randomization``) and, at each reset, draws every varied parameter from its own ``np_random`` in
the declared order, so ``reset(seed=s)`` replays the same randomised episode bit for bit.
``randomize=False`` draws nothing and changes nothing.

The ``randomize`` argument of every env: ``False`` (default) or ``None``: nothing varies; ``True``:
every parameter over its default range (each env's docstring lists them); a dict of
``name: [low, high]`` (a range), ``name: value`` (fixed), ``name: None`` (as modelled), vectors also
one ``[low, high]`` per entry, and ``"others": "default"`` (unnamed parameters keep their default
range) or ``"nominal"`` (they stay as modelled). The values drawn are in the reset info under
``"randomization"``.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

#: the ``randomize`` dict key that says what unnamed parameters do: "default" ranges or "nominal" values
OTHERS_KEY = "others"
OTHERS_CHOICES = ("default", "nominal")


@dataclass(frozen=True)
class Parameter:
    """One randomisable quantity: drawn uniformly from ``low``-``high`` (integers: inclusive)."""

    name: str
    unit: str  # "x" for a factor on the modelled value
    default: tuple[float, float]  # the range ``randomize=True`` draws from
    nominal: float  # the value that leaves the part as modelled (1 for factors, 0 for offsets)
    meaning: str
    limits: tuple[float, float] = (0.0, math.inf)  # what a user's range may span
    integer: bool = False
    levels: int | None = None  # draw one of this many values evenly spread over the range
    size: int = 1  # > 1: a vector, each entry drawn from the range (e.g. x, y of an offset)

    def __post_init__(self) -> None:
        if self.levels is not None and self.levels < 2:
            raise ValueError(
                f"Parameter {self.name!r}: levels={self.levels} cannot spread values over a range; give 2 "
                "or more (both ends and evenly between), or None to draw anywhere in the range"
            )

    @property
    def nominal_value(self) -> float | list[float]:
        return self.nominal if self.size == 1 else [self.nominal] * self.size

    def check(self, low: float, high: float) -> tuple[float, float]:
        """The range, validated against ``limits`` (ValueError that says what is allowed)."""
        kind = "integers" if self.integer else "numbers"
        ok = all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (low, high)
        )
        if not ok or (self.integer and (low != int(low) or high != int(high))):
            raise ValueError(f"randomize[{self.name!r}] must be {kind} (a value or a [low, high] pair)")
        lo, hi = self.limits
        if not lo <= low <= high <= hi:
            raise ValueError(
                f"randomize[{self.name!r}] = [{low}, {high}] is outside what it allows: low <= high within "
                f"[{lo}, {hi}] {self.unit} (default [{self.default[0]}, {self.default[1]}])"
            )
        return (int(low), int(high)) if self.integer else (float(low), float(high))

    def parse(self, value: Any) -> tuple[tuple[float, float], ...]:
        """A user's value, [low, high] pair or (vectors) list of one value or pair per entry, as one
        checked (low, high) per entry."""
        per_entry = isinstance(value, (list, tuple)) and len(value) == self.size > 1
        if per_entry and all(isinstance(v, (list, tuple)) for v in value):
            return tuple(self.check(*_pair(self.name, v)) for v in value)
        return (self.check(*_pair(self.name, value)),) * self.size

    def draw(self, rng: np.random.Generator, entries: tuple[tuple[float, float], ...]) -> Any:
        """One episode's value: each entry drawn from its range (a range that is one point: no draw)."""
        drawn = [self._draw_one(rng, low, high) if high > low else low for low, high in entries]
        return drawn[0] if self.size == 1 else drawn

    def _draw_one(self, rng: np.random.Generator, low: float, high: float) -> float | int:
        if self.integer:
            return int(rng.integers(low, high + 1))
        if self.levels:
            return float(low + (high - low) * int(rng.integers(0, self.levels)) / (self.levels - 1))
        return float(rng.uniform(low, high))

    def values(self, low: float, high: float) -> list[float]:
        """Every value a draw from low-high can give (``levels`` parameters)."""
        n = self.levels or 1
        return [float(low + (high - low) * k / (n - 1)) if n > 1 else float(low) for k in range(n)]


class Randomizable(Protocol):
    """A part that can be varied: what it offers, and taking the values drawn for an episode."""

    def randomization_parameters(self) -> list[Parameter]:
        """What this part can vary (an empty list if nothing)."""

    def apply_randomization(self, values: dict[str, float], rng: np.random.Generator) -> None:
        """Take this episode's values (every one of its parameters, nominal where not varied); called
        at reset after the physics state is restored and before the start state and the task's draws.
        `rng` is the env's generator, for per-step noise."""


class Randomization:
    """The ranges an env draws from at each reset, from its ``randomize`` argument and its parts."""

    def __init__(self, parameters: list[Parameter], randomize: Any) -> None:
        names = [p.name for p in parameters]
        if len(set(names)) != len(names):
            raise ValueError(f"two parts declare the same randomisation parameter: {names}")
        self.parameters = parameters
        self.ranges = _ranges(parameters, randomize)  # name -> (low, high) per entry, varied ones only

    @property
    def enabled(self) -> bool:
        return bool(self.ranges)

    def nominal(self) -> dict[str, float]:
        return {p.name: p.nominal_value for p in self.parameters}

    def sample(self, rng: np.random.Generator) -> dict[str, float]:
        """Every parameter's value for one episode: varied ones drawn in declared order, others nominal."""
        values = self.nominal()
        for p in self.parameters:
            if p.name in self.ranges:
                values[p.name] = p.draw(rng, self.ranges[p.name])
        return values


def _ranges(parameters: list[Parameter], randomize: Any) -> dict[str, tuple[tuple[float, float], ...]]:
    """randomize: False/None (nothing), True (every default range), or a dict of name -> value, [low, high]
    (vectors: also one per entry) or None (nominal), with ``others`` ("default" or "nominal") for the
    parameters it does not name."""
    if randomize is None or randomize is False:
        return {}
    by_name = {p.name: p for p in parameters}
    if randomize is True:
        varied = [p for p in parameters if p.default != (p.nominal, p.nominal)]
        return {p.name: (p.default,) * p.size for p in varied}
    if not isinstance(randomize, dict):
        raise TypeError(f"randomize must be True, False or a dict of parameter ranges, got {randomize!r}")
    given = dict(randomize)
    others = given.pop(OTHERS_KEY, "default")
    if others not in OTHERS_CHOICES:
        raise ValueError(f"randomize[{OTHERS_KEY!r}] must be one of {OTHERS_CHOICES}, got {others!r}")
    for name in given:
        if name not in by_name:
            close = difflib.get_close_matches(str(name), list(by_name), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"this env has no randomisation parameter {name!r}.{hint} Valid: {sorted(by_name)} "
                f"(and {OTHERS_KEY!r}: {' or '.join(OTHERS_CHOICES)})"
            )
    ranges = {} if others == "nominal" else _ranges(parameters, True)
    for name, value in given.items():
        if value is None:
            ranges.pop(name, None)
            continue
        ranges[name] = by_name[name].parse(value)
    return ranges


def _pair(name: str, value: Any) -> tuple[Any, Any]:
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(f"randomize[{name!r}] must be a value or a [low, high] pair, got {value!r}")
        return value[0], value[1]
    return value, value
