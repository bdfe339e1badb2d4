"""Each env's class docstring is its spec: its tables must say what the env does."""

import ast
import inspect
import re
from types import SimpleNamespace

import gymnasium as gym
import pytest

import robo2d
from robo2d.core import env_doc
from robo2d.core.env import COMMON_ARGUMENTS as COMMON
from robo2d.core.env_doc import complete_doc, documented_parameters
from robo2d.core.randomization import Parameter

ROW = re.compile(r"^\s*\| `(\w+)` \| `([^`]*)` \|", re.MULTILINE)
PARAMETER_ROW = re.compile(r"^\| `(\w+)` \| ([^|]+) \| \[([^,]+), ([^\]]+)\] \| ([^|]+) \|$", re.MULTILINE)
SECTIONS = (
    "## Description",
    "## Action space",
    "## Observation space",
    "## Rewards",
    "## Starting state",
    "## Episode end",
    "## Arguments",
    "## Domain randomization",
    "## Version history",
)


def _env_class(env_id):
    return type(gym.make(env_id).unwrapped)


def _doc(cls) -> str:
    """The class's docstring, rendered again here from its declarations (the one Python shows was
    rendered when the class was defined: it must be the same)."""
    doc = inspect.cleandoc(complete_doc(cls))
    assert doc == inspect.getdoc(cls)
    return doc


def _offered(env_id) -> list[str]:
    """The names of the parameters ``randomize=True`` varies in the id, in drawing order."""
    env = gym.make(env_id, randomize=True)
    names = [p.name for p in env.unwrapped.randomization.parameters]
    env.close()
    return names


def test_docstring_has_every_section(env_id):
    doc = _doc(_env_class(env_id))
    for section in SECTIONS:
        assert section in doc, f"{env_id} docstring lacks {section}"


def test_arguments_table_is_what_the_constructor_takes(env_id):
    """The table's arguments, in order, are the constructor's; each is accepted with its documented
    default, and those defaults are what the env uses when it is given nothing."""
    cls = _env_class(env_id)
    doc = _doc(cls)
    documented = {name: ast.literal_eval(text) for name, text in ROW.findall(doc)}
    assert list(documented.items()) == list(cls.all_arguments().items())
    kwargs = gym.spec(env_id).kwargs
    plain, explicit = gym.make(env_id), gym.make(env_id, **{**documented, **kwargs})
    settings = plain.unwrapped.settings
    assert set(settings) | set(COMMON) == set(documented), "a documented argument no part takes"
    assert explicit.unwrapped.settings == settings == {n: {**documented, **kwargs}[n] for n in settings}
    assert plain.unwrapped.render_mode is documented["render_mode"]
    assert plain.unwrapped.randomization.enabled is documented["randomize"]
    assert isinstance(plain.observation_space, gym.spaces.Dict) is documented["goal_conditioned"]
    for name, value in kwargs.items():  # per-id settings are named in the docstring
        assert repr(value).replace("'", '"') in doc, f"{env_id} sets {name}={value!r}"
    plain.close()
    explicit.close()


def test_randomization_table_is_what_randomize_draws(env_id):
    """The table lists, in order, the parameters ``randomize=True`` offers in this id (a class that
    serves several ids lists each id's), with the ranges it draws from."""
    cls = _env_class(env_id)
    table = _doc(cls).split("## Domain randomization")[1].split("##")[0]
    rows = {name: row for name, *row in PARAMETER_ROW.findall(table)}
    env = gym.make(env_id, randomize=True)
    randomization = env.unwrapped.randomization
    drawn = [p.name for p in randomization.parameters]
    assert [name for name in rows if name in drawn] == drawn
    for p in randomization.parameters:
        unit, low, high, meaning = rows[p.name]
        assert (unit, meaning) == (p.unit, p.meaning)
        documented = (float(low), float(high))
        if low == high:  # a range of one point: not varied unless asked for
            assert p.name not in randomization.ranges and documented == (p.nominal, p.nominal)
        else:
            assert randomization.ranges[p.name] == (documented,) * p.size
    env.close()
    siblings = [i for i in robo2d.ENV_IDS if _env_class(i) is cls]
    offered = {name for i in siblings for name in _offered(i)}
    assert set(rows) == offered, "a documented parameter that no id of this class offers"


def test_string_defaults_are_written_as_a_user_types_them(env_id):
    """The Arguments table writes a string default in double quotes ("planar_arm"), as in the prose."""
    defaults = dict(ROW.findall(_doc(_env_class(env_id))))
    strings = [text for text in defaults.values() if isinstance(ast.literal_eval(text), str)]
    assert strings and all(text[0] == text[-1] == '"' for text in strings)


def test_a_class_whose_ids_draw_different_parameters_lists_them_in_drawing_order(monkeypatch):
    """One class serving two ids, the second drawing a parameter before all those the first draws:
    the table lists it first, then the others in their order, each once."""
    first, second, new = (Parameter(n, "m", (0.0, 0.1), 0.0, n, (0.0, 1.0)) for n in ("a", "b", "c"))

    class Served:
        @classmethod
        def declared_parameters(cls, **arguments) -> list[Parameter]:
            return [new, first, second] if arguments else [first, second]

    served_by = f"{__name__}:{Served.__qualname__}"
    ids = [SimpleNamespace(entry_point=served_by, kwargs=kwargs) for kwargs in ({}, {"more": True})]
    monkeypatch.setattr(env_doc, "ENTRIES", ids)
    assert [p.name for p in documented_parameters(Served)] == ["c", "a", "b"]


def test_documented_episode_length(env_id):
    doc = _doc(_env_class(env_id))
    steps = gym.spec(env_id).max_episode_steps
    assert re.search(rf"truncated after {steps} steps", doc), f"docstring should state {steps} steps"


def test_documented_control_rate(env_id):
    env = gym.make(env_id)
    hz = env.unwrapped.metadata["render_fps"]
    assert f"{hz} Hz" in _doc(type(env.unwrapped))
    env.close()


@pytest.mark.parametrize("section", ["## Action space"])
def test_action_table_lists_every_action(env_id, section):
    env = gym.make(env_id)
    doc = _doc(type(env.unwrapped))
    table = doc.split(section)[1].split("##")[0]
    rows = [line for line in table.splitlines() if re.match(r"^\| \d", line)]
    n = env.action_space.shape[0]
    assert rows and len(rows) % n == 0, "one row per action (per control mode when a class has several)"
    env.close()


def test_observation_table_lists_the_named_parts(env_id):
    """The docstring's observation table is the layout of the default robot: index, part, meaning, unit."""
    env = gym.make(env_id)
    unwrapped = env.unwrapped
    if unwrapped.sensor is not None:  # images: the docstring describes the picture instead
        env.close()
        return
    table = _doc(type(unwrapped)).split("## Observation space")[1].split("##")[0]
    rows = [line for line in table.splitlines() if re.match(r"^\| \d", line)]
    expected = [
        f"| {i} | `{name}` | {meaning} | {unit} |"
        for i, name, meaning, unit in unwrapped.observation_layout.rows()
    ]
    assert rows == expected
    env.close()
