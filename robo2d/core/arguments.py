"""An env argument declared once: its default, its meaning, and what a value of it must be.

Each env class declares ``arguments = {name: Argument(...)}``; the constructor checks what it is
given against the declarations (the names first, then each value), and the class docstring's
Arguments table is rendered from them (core/env_doc.py). A value's kind comes from the default
unless the declaration states it: a default of None says nothing, and some arguments (``robot``,
``randomize``) take values of several kinds that the part they go to checks in its own words.
"""

from __future__ import annotations

import difflib
import math
import numbers
from dataclasses import dataclass
from typing import Any

#: what a value of each kind must be, in the words of the TypeError
KIND_WORDS = {"bool": "True or False", "int": "an integer", "float": "a finite number", "str": "a string"}
#: the kind of an argument whose type the part it goes to checks (or its ``choices`` do)
ANY = "any"


@dataclass(frozen=True)
class Argument:
    """One constructor argument of an env: default, one-line meaning, and the check its value passes."""

    default: Any
    meaning: str  # the docstring's Arguments table says this
    kind: str = ""  # a key of KIND_WORDS or ANY; "" takes the default's kind
    choices: tuple = ()  # the only values it takes (ValueError otherwise); () means any of its kind

    def __post_init__(self) -> None:
        kind = self.kind or _kind_of(self.default)
        if kind not in (*KIND_WORDS, ANY):
            raise ValueError(f"Argument({self.default!r}): state its kind, one of {[*KIND_WORDS, ANY]}")
        object.__setattr__(self, "kind", kind)

    def check(self, owner: str, name: str, value: Any) -> None:
        """TypeError if the value is not of the argument's kind, ValueError if not one of its choices."""
        if not _is_kind(value, self.kind):
            want = KIND_WORDS[self.kind]
            raise TypeError(f"{owner}: {name} must be {want} (default {self.default!r}), got {value!r}")
        if self.choices and not any(type(value) is type(c) and value == c for c in self.choices):
            raise ValueError(f"{name} must be one of {self.choices}, got {value!r}")


def check_arguments(owner: str, declared: dict[str, Argument], given: dict[str, Any]) -> None:
    """Reject unknown names (with the valid ones and the closest match), then values of the wrong kind.

    The unknown-name message starts in Python's own words, which clients match on (TorchRL's GymEnv
    retries without its ``frameskip=`` only when the TypeError says "unexpected keyword argument
    'frameskip'").
    """
    valid = list(declared)
    for name in given:
        if name not in declared:
            close = difflib.get_close_matches(name, valid, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise TypeError(
                f"{owner}.__init__() got an unexpected keyword argument {name!r}.{hint} "
                f"Valid arguments: {valid}."
            )
    for name, value in given.items():
        declared[name].check(owner, name, value)


def _kind_of(default: Any) -> str:
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    return "str" if isinstance(default, str) else ""


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("int", "float"):
        number = numbers.Integral if kind == "int" else numbers.Real
        return isinstance(value, number) and not isinstance(value, bool) and math.isfinite(value)
    return isinstance(value, str) if kind == "str" else True
