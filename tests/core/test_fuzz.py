"""Property-based fuzzing: any action, any argument, any robot file gets a clear answer, never a crash.

Budgets are fixed and the search is derandomised (the same examples on every run, no example
database), so the suite stays fast and repeatable.
"""

import math
import re
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import robo2d
from robo2d.core.assets import robot_path
from robo2d.core.sim import connected_clients
from tests.conftest import flatten

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SEED = 3
AFTER = 3  # valid steps compared after each fuzzed action
SPECIAL = [0.0, -0.0, 1.0, -1.0, 1.5, -7.0, 1e300, -1e300, 1e-300, math.nan, math.inf, -math.inf]
_ENVS: dict[str, tuple] = {}


def _pair(env_id: str) -> tuple:
    """One fuzzed env and one reference env per id, kept across examples (making them is the slow part)."""
    if env_id not in _ENVS:
        _ENVS[env_id] = (gym.make(env_id).unwrapped, gym.make(env_id).unwrapped)
    return _ENVS[env_id]


@pytest.fixture(scope="module", autouse=True)
def _close_envs():
    yield
    for envs in _ENVS.values():
        for env in envs:
            env.close()
    _ENVS.clear()


def _values(n: int):
    return st.lists(
        st.one_of(st.sampled_from(SPECIAL), st.floats(allow_nan=True, allow_infinity=True)),
        min_size=n,
        max_size=n,
    )


def actions(n: int):
    """Arrays of every dtype and layout, Python sequences, scalars, nesting and wrong lengths."""
    numeric = st.sampled_from([np.float16, np.float32, np.float64, np.int8, np.int64, np.uint8, np.bool_])
    arrays = hnp.arrays(numeric, st.sampled_from([(n,), (n - 1,) if n > 1 else (2,), (1, n), (n, 2), ()]))
    strided = _values(2 * n).map(lambda v: np.array(v)[::2])  # non-contiguous
    readonly = _values(n).map(_readonly)
    return st.one_of(
        arrays,
        strided,
        readonly,
        _values(n),
        _values(n).map(tuple),
        _values(n).map(lambda v: np.array(v, dtype=object)),
        _values(n).map(lambda v: [v]),  # nested
        st.sampled_from(SPECIAL),
        st.lists(st.text(max_size=3), min_size=n, max_size=n),
        st.just(None),
        st.just([[1.0], [2.0]] if n == 2 else [[1.0]] * n),
    )


def _readonly(values):
    a = np.array(values, dtype=np.float32)
    a.setflags(write=False)
    return a


def _equal(a, b) -> None:
    np.testing.assert_array_equal(np.asarray(a[0]), np.asarray(b[0]))
    assert a[1] == b[1]


@pytest.mark.parametrize("env_id", robo2d.ENV_IDS)
def test_any_action_steps_or_is_refused_and_the_env_carries_on(env_id):
    fuzzed, reference = _pair(env_id)
    n = fuzzed.action_space.shape[0]
    valid = np.random.default_rng(0).uniform(-1, 1, (AFTER, n)).astype(np.float32)

    @FUZZ
    @given(action=actions(n))
    def check(action):
        fuzzed.reset(seed=SEED)
        reference.reset(seed=SEED)
        try:
            step = fuzzed.step(action)
        except (ValueError, TypeError) as err:
            assert str(err), "an error must say what was wrong"
        else:  # accepted: it is the documented conversion and clipping of a finite action of the right shape
            expected = np.clip(np.asarray(action, dtype=np.float64), -1.0, 1.0)
            assert expected.shape == (n,) and np.isfinite(expected).all()
            assert step[0] in fuzzed.observation_space
            _equal(step, reference.step(expected))
        for a in valid:  # either way the env goes on exactly as one that never saw the bad action
            _equal(fuzzed.step(a), reference.step(a))

    check()


def _wrong_values():
    return st.one_of(
        st.sampled_from(
            [None, True, False, 0, -1, 2, 10**9, 1.5, -0.0, math.nan, math.inf, "", "x", "dense"]
        ),
        st.sampled_from([[], {}, (1, 2), [0.1, 0.2], {"a": 1}, b"x", object()]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(),
        st.text(max_size=8),
    )


@pytest.mark.parametrize("env_id", robo2d.ENV_IDS)
def test_any_argument_value_is_accepted_or_refused_without_leaks(env_id):
    names = [n for n in type(gym.make(env_id).unwrapped).all_arguments() if n != "render_mode"]
    before = connected_clients()

    @FUZZ
    @given(name=st.sampled_from(names), value=_wrong_values())
    def check(name, value):
        try:
            env = gym.make(env_id, **{name: value})
        except (ValueError, TypeError, FileNotFoundError) as err:
            assert str(err)
        else:
            try:  # accepted: it must work
                obs, _ = env.reset(seed=0)
                obs, *_ = env.step(env.action_space.sample())
                assert np.isfinite(flatten(obs).astype(np.float64)).all()
            finally:
                env.close()
        assert connected_clients() == before, f"{name}={value!r} leaked a PyBullet client"

    check()


@FUZZ
@given(
    seed=st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from([np.int64(5), np.uint32(7), np.int8(-3), 2.0, 2.5, "1", None, True, [1]]),
    ),
    options=st.one_of(st.none(), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2)),
)
def test_reset_seeds_and_options(seed, options):
    env = _pair("Robo2DReacher-v0")[0]
    try:
        obs, info = env.reset(seed=seed, options=options)
    except (ValueError, TypeError, gym.error.Error) as err:
        assert str(err)
        obs, info = env.reset(seed=0)
    assert obs in env.observation_space and "is_success" in info


ELEMENT = re.compile(
    r"<(link|joint|inertial|mass|inertia|axis|limit|origin|geometry|collision|visual)\b[^>]*?/?>"
)
NUMBER = re.compile(r'"(-?[\d.]+(?:e-?\d+)?(?: -?[\d.]+(?:e-?\d+)?)*)"')


def _mutations():
    text = robot_path("planar_arm").read_text()
    elements = [m.span() for m in ELEMENT.finditer(text)]
    numbers = [m.span(1) for m in NUMBER.finditer(text)]
    junk = st.sampled_from(["nan", "inf", "-1e400", "x", "", "1 2", "1e308 1e308 1e308", "0", "-0.0"])
    drop = st.sampled_from(elements).map(lambda s: text[: s[0]] + text[s[1] :])
    replace = st.tuples(st.sampled_from(numbers), junk).map(
        lambda t: text[: t[0][0]] + t[1] + text[t[0][1] :]
    )
    cut = st.integers(0, len(text)).map(lambda i: text[:i])
    garbage = st.binary(max_size=200).map(lambda b: b.decode("latin-1"))
    mesh = st.just(text.replace("<cylinder", '<mesh filename="missing.obj"/><cylinder', 1))
    ros = st.sampled_from(
        [  # what ROS descriptions and CAD exporters add: extras, package:// meshes, frames without mass
            '<transmission name="t"><joint name="elbow"><hardwareInterface>x</hardwareInterface></joint>'
            '<actuator name="m"/></transmission><gazebo reference="link1"/><ros2_control name="r"/>',
            '<link name="tool0"/><joint name="tool0_joint" type="fixed"><parent link="tip"/>'
            '<child link="tool0"/></joint>',
            '<link name="world"/><joint name="world_joint" type="fixed"><parent link="world"/>'
            '<child link="base"/></joint>',
        ]
    ).map(lambda extra: text.replace("</robot>", extra + "</robot>"))
    package = st.sampled_from(["package://nowhere/meshes/a.stl", "file:///nowhere/a.stl", "package://"]).map(
        lambda name: text.replace("<cylinder", f'<mesh filename="{name}"/><cylinder', 1)
    )
    return st.one_of(drop, replace, cut, garbage, mesh, ros, package)


@FUZZ
@given(text=_mutations())
def test_any_robot_file_loads_or_gets_a_clear_error(text, tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("urdf")) / "arm.urdf"
    path.write_text(text, encoding="latin-1")
    before = connected_clients()
    try:
        env = gym.make("Robo2DReacher-v0", robot=str(path))
    except (ValueError, TypeError, FileNotFoundError) as err:
        assert str(path) in str(err) or "arm.urdf" in str(err), f"the error should name the file: {err}"
    else:
        env.reset(seed=0)
        obs, *_ = env.step(env.action_space.sample())
        assert np.isfinite(obs).all()
        env.close()
    assert connected_clients() == before


def test_a_very_large_robot_file_is_handled(tmp_path):
    """A 20 MB URDF (a huge comment) loads like the small one: size alone is no error."""
    text = robot_path("planar_arm").read_text()
    path = tmp_path / "big.urdf"
    path.write_text(text.replace("<robot", "<!--" + "x" * 20_000_000 + "-->\n<robot", 1))
    env = gym.make("Robo2DReacher-v0", robot=str(path))
    env.reset(seed=0)
    env.close()
