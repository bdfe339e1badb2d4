"""Each env's class docstring is its spec: documented defaults must equal the code's."""

import ast
import inspect
import re

import gymnasium as gym
import pytest

ROW = re.compile(r"^\s*\| `(\w+)` \| `([^`]*)` \|", re.MULTILINE)
SECTIONS = (
    "## Description",
    "## Action space",
    "## Observation space",
    "## Rewards",
    "## Starting state",
    "## Episode end",
    "## Arguments",
    "## Version history",
)


def _env_class(env_id):
    return type(gym.make(env_id).unwrapped)


def test_docstring_has_every_section(env_id):
    doc = inspect.getdoc(_env_class(env_id))
    for section in SECTIONS:
        assert section in doc, f"{env_id} docstring lacks {section}"


def test_documented_defaults_match_code(env_id):
    cls = _env_class(env_id)
    documented = dict(ROW.findall(inspect.getdoc(cls)))
    params = cls.all_arguments()
    assert set(documented) == set(params), "arguments table and the class's arguments differ"
    for name, text in documented.items():
        default = params[name]
        assert ast.literal_eval(text) == default, f"{name}: documented {text}, code {default!r}"
    for name, value in gym.spec(env_id).kwargs.items():  # per-id settings are named in the docstring
        assert repr(value).replace("'", '"') in inspect.getdoc(cls), f"{env_id} sets {name}={value!r}"


def test_documented_episode_length(env_id):
    doc = inspect.getdoc(_env_class(env_id))
    steps = gym.spec(env_id).max_episode_steps
    assert re.search(rf"truncated after {steps} steps", doc), f"docstring should state {steps} steps"


def test_documented_control_rate(env_id):
    env = gym.make(env_id)
    hz = env.unwrapped.metadata["render_fps"]
    assert f"{hz} Hz" in inspect.getdoc(type(env.unwrapped))
    env.close()


@pytest.mark.parametrize("section", ["## Action space"])
def test_action_table_lists_every_action(env_id, section):
    env = gym.make(env_id)
    doc = inspect.getdoc(type(env.unwrapped))
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
    table = inspect.getdoc(type(unwrapped)).split("## Observation space")[1].split("##")[0]
    rows = [line for line in table.splitlines() if re.match(r"^\| \d", line)]
    expected = [
        f"| {i} | `{name}` | {meaning} | {unit} |"
        for i, name, meaning, unit in unwrapped.observation_layout.rows()
    ]
    assert rows == expected
    env.close()
