"""An env class's docstring completed from its declarations: the Arguments and randomisation tables.

The class docstring holds the prose and, on a line of its own, a placeholder where each table goes;
the tables are rendered from the class's ``Argument`` declarations and from the ``Parameter``
declarations of the parts it is composed of, so no table is written by hand. One class may serve
several ids (the pushers differ in ``control``): its randomisation table lists what each of its ids
draws, in the order they draw it.
"""

from __future__ import annotations

from collections.abc import Callable

from robo2d.catalog import ENTRIES
from robo2d.core.arguments import Argument
from robo2d.core.randomization import Parameter

ARGUMENTS_TABLE = "{arguments table}"
RANDOMIZATION_TABLE = "{randomization table}"
ARGUMENTS_HEADER = ["| argument | default | meaning |", "|---|---|---|"]
PARAMETERS_HEADER = ["| parameter | unit | default range | meaning |", "|---|---|---|---|"]


def complete_doc(cls: type) -> str:
    """The class's docstring (its ``doc_template``, the docstring as written) with its tables in place of
    their placeholders."""
    doc = _fill(cls.doc_template, ARGUMENTS_TABLE, lambda: arguments_table(cls.declared_arguments()))
    return _fill(doc, RANDOMIZATION_TABLE, lambda: parameters_table(documented_parameters(cls)))


def arguments_table(arguments: dict[str, Argument]) -> list[str]:
    """One row per argument: its name, its default as Python writes it (in double quotes), its meaning."""
    rows = [f"| `{name}` | `{_literal(a.default)}` | {a.meaning} |" for name, a in arguments.items()]
    return ARGUMENTS_HEADER + rows


def parameters_table(parameters: list[Parameter]) -> list[str]:
    """One row per parameter: name, unit, the range ``randomize=True`` draws from, meaning."""
    rows = [
        f"| `{p.name}` | {p.unit} | [{p.default[0]:g}, {p.default[1]:g}] | {p.meaning} |" for p in parameters
    ]
    return PARAMETERS_HEADER + rows


def id_arguments(cls: type) -> list[dict]:
    """The arguments each registered id of the class sets (one empty dict if no id is registered)."""
    entry_point = f"{cls.__module__}:{cls.__qualname__}"
    return [dict(e.kwargs) for e in ENTRIES if e.entry_point == entry_point] or [{}]


def documented_parameters(cls: type) -> list[Parameter]:
    """What ``randomize=True`` varies in any id of the class, each parameter once, in drawing order."""
    merged: list[Parameter] = []
    for parameters in (cls.declared_parameters(**kwargs) for kwargs in id_arguments(cls)):
        for i, parameter in enumerate(parameters):
            names = [p.name for p in merged]
            if parameter.name not in names:  # after the one it follows in its own id's order
                merged.insert(names.index(parameters[i - 1].name) + 1 if i else 0, parameter)
    return merged


def _literal(value) -> str:
    return repr(value).replace("'", '"')


def _fill(doc: str, placeholder: str, table: Callable[[], list[str]]) -> str:
    """Replace the placeholder's line by the table, indented as the placeholder is."""
    lines: list[str] = []
    for line in doc.split("\n"):
        if line.strip() == placeholder:
            indent = line[: len(line) - len(line.lstrip())]
            lines += [indent + row for row in table()]
        else:
            lines.append(line)
    return "\n".join(lines)
