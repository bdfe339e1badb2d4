"""Domain randomisation: reported, seeded, checked, and each parameter does what it says."""

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest
from gymnasium.utils.env_checker import check_env
from stable_baselines3.common.env_checker import check_env as sb3_check_env

from robo2d.core.assets import robot_path
from robo2d.core.randomization import Parameter
from robo2d.oracles.kuka import jaw_oracle
from tests.conftest import RANDOMIZED, flatten, rollout

NOMINAL_OTHERS = {"others": "nominal"}


def _only(**values) -> dict:
    """A randomize argument that varies nothing but `values` (fixed or [low, high])."""
    return {**NOMINAL_OTHERS, **values}


def _point(value):
    """A fixed value as the randomize argument states it (vectors: one [low, high] per entry)."""
    return [[v, v] for v in value] if isinstance(value, list) else value


def _parameters(env_id: str) -> dict:
    env = gym.make(env_id)
    parameters = {p.name: p for p in env.unwrapped.randomization.parameters}
    env.close()
    return parameters


def test_checkers_pass_randomized(env_id):
    env = gym.make(env_id, randomize=RANDOMIZED)
    check_env(env.unwrapped, skip_render_check=True)
    sb3_check_env(env.unwrapped, warn=False)
    env.close()


def test_reset_info_reports_values_within_their_ranges(env_id):
    env = gym.make(env_id, randomize=True)
    ranges = env.unwrapped.randomization.ranges
    _, info = env.reset(seed=4)
    values = info["randomization"]
    assert set(values) == set(_parameters(env_id))
    for name, value in values.items():
        if name not in ranges:  # not varied by default: as modelled
            assert value == env.unwrapped.randomization.nominal()[name]
            continue
        for entry, (low, high) in zip(np.atleast_1d(value), ranges[name]):
            assert low <= entry <= high, name
    env.close()
    assert "randomization" not in gym.make(env_id).reset(seed=4)[1], "randomize=False reports nothing"


def test_seeds_give_the_same_and_different_draws(env_id):
    """Same seed: the same values; different seeds: every varied parameter differs (levels may repeat)."""
    env = gym.make(env_id, randomize=True)
    first = env.reset(seed=1)[1]["randomization"]
    assert env.reset(seed=1)[1]["randomization"] == first
    others = [env.reset(seed=s)[1]["randomization"] for s in range(2, 12)]
    for name in env.unwrapped.randomization.ranges:
        assert any(o[name] != first[name] for o in others), f"{name} ignores the seed"
    env.close()


def test_nominal_values_leave_episodes_unchanged(env_id):
    """Every parameter set to its nominal value (applied at each reset) gives the modelled episode."""
    parameters = _parameters(env_id)
    fixed = gym.make(env_id, randomize={name: _point(p.nominal_value) for name, p in parameters.items()})
    assert fixed.unwrapped.randomization.enabled
    plain = gym.make(env_id)
    actions = np.random.default_rng(3).uniform(-1, 1, (30, plain.action_space.shape[0])).astype(np.float32)
    rollout(fixed, 2, actions)  # after another episode, too
    a, b = rollout(fixed, 5, actions), rollout(plain, 5, actions)
    assert a[1] == b[1]
    for x, y in zip(a[0], b[0]):
        np.testing.assert_array_equal(flatten(x), flatten(y))


@pytest.mark.parametrize("env_id", ["Robo2DReacher-v0", "Robo2DKukaSuctionPickPlace-v0"])
def test_action_delay_replays_actions_late(env_id):
    """A delay of 2 steps: the motors get zeros, zeros, then the agent's actions, two steps late."""
    delayed, plain = gym.make(env_id, randomize=_only(action_delay=2)), gym.make(env_id)
    actions = np.random.default_rng(0).uniform(-1, 1, (20, plain.action_space.shape[0])).astype(np.float32)
    zeros = np.zeros((2, actions.shape[1]), np.float32)
    late, _ = rollout(delayed, 3, actions)
    reference, _ = rollout(plain, 3, np.concatenate([zeros, actions]))
    for x, y in zip(late, reference):
        np.testing.assert_array_equal(x, y)


def test_observation_noise_leaves_goals_and_physics_exact():
    noisy = gym.make("Robo2DReacher-v0", goal_conditioned=True, randomize=_only(observation_noise=0.01))
    plain = gym.make("Robo2DReacher-v0", goal_conditioned=True)
    actions = np.random.default_rng(1).uniform(-1, 1, (40, 2)).astype(np.float32)
    (seen, _), (true, _) = rollout(noisy, 0, actions), rollout(plain, 0, actions)
    diffs = []
    for s, t in zip(seen, true):
        np.testing.assert_array_equal(s["achieved_goal"], t["achieved_goal"])
        np.testing.assert_array_equal(s["desired_goal"], t["desired_goal"])
        assert s["observation"] in noisy.observation_space["observation"]
        diffs.append(s["observation"] - t["observation"])
    assert 0.007 < np.std(diffs) < 0.013, "noise std should be the 0.01 asked for (clipped at bounds)"


def test_action_noise_is_seeded_and_changes_the_motion():
    noisy = gym.make("Robo2DReacher-v0", randomize=_only(action_noise=0.2))
    plain = gym.make("Robo2DReacher-v0")
    actions = np.zeros((20, 2), np.float32)
    a, b = rollout(noisy, 0, actions)[0], rollout(noisy, 0, actions)[0]
    np.testing.assert_array_equal(np.array(a), np.array(b))
    still = rollout(plain, 0, actions)[0]
    assert np.abs(np.array(a)[-1] - np.array(still)[-1]).max() > 1e-3, "zero actions plus noise move the arm"


def test_noisy_actions_never_drive_a_joint_past_its_rated_speed():
    """The noise is added to the checked action and the sum clipped to [-1, 1] again: with noise of std 1
    on full-speed commands either way, neither joint of the reacher ever turns faster than the 3 rad/s
    that a full action asks (unclipped, sums near +-3 would ask for up to 9 rad/s)."""
    for command in (1.0, -1.0):
        env = gym.make("Robo2DReacher-v0", randomize=_only(action_noise=1.0))
        env.reset(seed=0)
        arm, cid = env.unwrapped.robot, env.unwrapped.sim.client
        assert arm.max_velocities == [3.0, 3.0]
        speeds = []
        for _ in range(40):
            env.step(np.full(2, command, np.float32))
            speeds += [pb.getJointState(arm.body, j, physicsClientId=cid)[1] for j in arm.joints]
        env.close()
        assert np.abs(speeds).max() == pytest.approx(3.0, abs=1e-3), (command, np.abs(speeds).max())


def _dynamics(cid: int, body: int, link: int = -1) -> tuple:
    return pb.getDynamicsInfo(body, link, physicsClientId=cid)


def test_masses_and_frictions_reach_the_simulator():
    values = {"link_mass": 1.5, "object_mass": 2.0, "object_friction": 0.5, "table_friction": 0.6}
    nominal, varied = (
        gym.make("Robo2DPusher-v0").unwrapped,
        gym.make("Robo2DPusher-v0", randomize=_only(**values)),
    )
    varied.reset(seed=0)
    nominal.reset(seed=0)
    env, cid, ncid = varied.unwrapped, varied.unwrapped.sim.client, nominal.sim.client
    for joint in env.robot.joints:
        mass, inertia = _dynamics(cid, env.robot.body, joint)[0], _dynamics(cid, env.robot.body, joint)[2]
        model_mass, model_inertia = (
            _dynamics(ncid, nominal.robot.body, joint)[0],
            _dynamics(ncid, nominal.robot.body, joint)[2],
        )
        assert mass == pytest.approx(1.5 * model_mass)
        np.testing.assert_allclose(inertia, 1.5 * np.array(model_inertia))
    puck = _dynamics(cid, env.task.puck)
    assert puck[0] == pytest.approx(0.08) and puck[1] == pytest.approx(0.25)  # 40 g, friction 0.5 in the URDF
    np.testing.assert_allclose(
        puck[2], 2.0 * np.array(_dynamics(ncid, nominal.task.puck)[2])
    )  # with the mass
    assert _dynamics(cid, env.perturbations.table)[1] == pytest.approx(0.6 * 0.5)  # the pusher's table: 0.5


@pytest.mark.parametrize("env_id", ["Robo2DPusher-v0", "Robo2DKukaSuctionPickPlace-v0"])
@pytest.mark.parametrize("size", [0.9, 1.1])
def test_object_size_scales_the_object_and_places_it_on_the_table(env_id, size):
    env = gym.make(env_id, randomize=_only(object_size=size)).unwrapped
    env.reset(seed=0)
    body, cid = env.task.object.body, env.sim.client
    low, high = pb.getAABB(body, -1, physicsClientId=cid)
    nominal = gym.make(env_id).unwrapped
    nominal.reset(seed=0)
    n_low, n_high = pb.getAABB(nominal.task.object.body, -1, physicsClientId=nominal.sim.client)
    assert high[2] - low[2] == pytest.approx(size * (n_high[2] - n_low[2]), rel=0.05)
    start, n_start = (
        pb.getBasePositionAndOrientation(b, physicsClientId=c)[0]
        for b, c in ((body, cid), (nominal.task.object.body, nominal.sim.client))
    )
    assert start[2] == pytest.approx(size * n_start[2]), "it starts on the table, as the nominal one does"
    for _ in range(10):
        env.step(np.zeros(env.action_space.shape, np.float32))
    rest = pb.getBasePositionAndOrientation(body, physicsClientId=cid)[0]
    assert abs(rest[2] - (high[2] - low[2]) / 2) < 2e-3, "the object rests on the table, not in it"
    parked = [b for b in env.task.object._variants.values() if b != body]
    assert parked and all(pb.getBasePositionAndOrientation(b, physicsClientId=cid)[0][0] > 20 for b in parked)
    inertia = np.array(pb.getDynamicsInfo(body, -1, physicsClientId=cid)[2])
    n_inertia = np.array(
        pb.getDynamicsInfo(nominal.task.object.body, -1, physicsClientId=nominal.sim.client)[2]
    )
    assert inertia == pytest.approx(size * size * n_inertia, rel=1e-6)  # same mass, lengths scaled


@pytest.mark.parametrize(
    ("levels", "expected"), [(2, [0.8, 1.2]), (3, [0.8, 1.0, 1.2]), (5, [0.8, 0.9, 1.0, 1.1, 1.2])]
)
def test_a_levelled_parameter_lists_exactly_the_values_its_draws_give(levels, expected):
    """A parameter drawn in levels (as object_size is, with 5) over 0.8-1.2: its list of values is the
    evenly spread levels, both ends included, and 200 draws give each of them and nothing else, to the
    bit (the object's size variants are loaded for the listed values and looked up by the drawn one)."""
    parameter = Parameter("factor", "x", (0.8, 1.2), 1.0, "a factor in levels", levels=levels)
    listed = parameter.values(0.8, 1.2)
    assert listed == pytest.approx(expected)
    rng = np.random.default_rng(0)
    drawn = {parameter.draw(rng, ((0.8, 1.2),)) for _ in range(200)}
    assert drawn == set(listed)


@pytest.mark.parametrize("levels", [0, 1])
def test_a_parameter_with_fewer_than_two_levels_is_refused_naming_it(levels):
    with pytest.raises(ValueError, match=rf"'factor': levels={levels} .* give 2 or more"):
        Parameter("factor", "x", (0.8, 1.2), 1.0, "a factor in levels", levels=levels)
    assert Parameter("factor", "x", (0.8, 1.2), 1.0, "both ends", levels=2).values(0.8, 1.2) == [0.8, 1.2]


def test_a_fixed_object_size_replays_a_seed_after_a_grasp():
    """object_size fixed off nominal (the nominal cube and one resized variant loaded): after an episode
    that ends holding the cube, the next reset starts clean, reporting no grasp, and the seed replays."""
    env = gym.make("Robo2DKukaJawPickPlace-v0", randomize=_only(object_size=1.1)).unwrapped
    oracle = jaw_oracle(env)
    runs = []
    for _ in range(2):
        obs, _ = env.reset(seed=0)
        trajectory = [obs]
        for _ in range(30):
            obs, *_ = env.step(oracle(obs))
            trajectory.append(obs)
        assert env.robot.tool.is_grasped, "the episode ends with the cube in the gripper"
        runs.append(np.array(trajectory))
    assert env.observation_layout.read(runs[1][0], "grasped")[0] == 0.0
    np.testing.assert_array_equal(runs[0], runs[1])
    env.close()


def test_motor_force_limits_the_torque():
    """Full speed from rest with ten times the link masses: the motors saturate at motor_force times the
    modelled 1 N m."""

    def torques(env) -> np.ndarray:
        env.reset(seed=0)
        env.step(np.ones(2, np.float32))
        arm, cid = env.unwrapped.robot, env.unwrapped.sim.client
        return np.array([pb.getJointState(arm.body, j, physicsClientId=cid)[3] for j in arm.joints])

    heavy = {"link_mass": 10.0}
    weak = torques(gym.make("Robo2DReacher-v0", randomize=_only(motor_force=0.1, **heavy)))
    plain = torques(gym.make("Robo2DReacher-v0", randomize=_only(**heavy)))
    assert np.all(np.abs(weak) <= 0.1 + 1e-9) and np.abs(weak).max() == pytest.approx(0.1), weak
    assert np.abs(plain).max() > 0.15, plain  # what the same motion takes unlimited


def test_pixel_appearance_parameters():
    base = gym.make("Robo2DPixelReacher-v0")
    image = base.reset(seed=0)[0]
    corner = image[0, 0].astype(int)

    def frame(**values):
        env = gym.make("Robo2DPixelReacher-v0", randomize=_only(**values))
        obs = env.reset(seed=0)[0]
        assert obs.shape == image.shape and obs.dtype == np.uint8
        return obs

    np.testing.assert_array_equal(frame(table_color=_point([20.0, -20.0, 0.0]))[0, 0], corner + [20, -20, 0])
    np.testing.assert_array_equal(frame(brightness=0.5)[0, 0], np.rint(corner * 0.5))
    px = 1.0 / base.unwrapped.sensor.raster.px_per_m
    shifted = frame(camera_offset=_point([px, 0.0])).astype(
        int
    )  # one pixel: the picture moves one column left
    np.testing.assert_array_equal(shifted[:, :-1], image[:, 1:].astype(int))
    turned = frame(camera_rotation=np.pi / 2).astype(int)  # the camera turns left: the scene turns right
    right = np.abs(turned - np.rot90(image, k=-1).astype(int)).mean()
    wrong = np.abs(turned - np.rot90(image, k=1).astype(int)).mean()
    assert right < 0.5 and wrong > 8 * right, (right, wrong)
    noisy = frame(image_noise=8.0).astype(int) - image
    assert 6 < noisy.std() < 10


@pytest.mark.parametrize(
    ("randomize", "error", "match"),
    [
        ({"link_mas": 1.2}, ValueError, "Did you mean 'link_mass'.*Valid"),
        ({"link_mass": [1.2, 0.8]}, ValueError, "low <= high"),
        ({"link_mass": [0.0, 1.0]}, ValueError, "outside what it allows"),
        ({"link_mass": "heavy"}, ValueError, "must be numbers"),
        ({"link_mass": [1, 2, 3]}, ValueError, r"\[low, high\] pair"),
        ({"action_delay": 1.5}, ValueError, "must be integers"),
        ({"action_delay": [0, 9]}, ValueError, "outside"),
        ({"others": "some"}, ValueError, "'others'"),
        ("yes", TypeError, "randomize must be True, False or a dict"),
    ],
)
def test_bad_randomize_arguments_are_clear_errors(randomize, error, match):
    with pytest.raises(error, match=match):
        gym.make("Robo2DReacher-v0", randomize=randomize)


def test_randomized_kuka_keeps_the_cube_sane():
    """Random actions under randomisation: finite observations; the cube never sinks into the table."""
    env = gym.make("Robo2DKukaJawPickPlace-v0", randomize=True)
    task, cid = env.unwrapped.task, env.unwrapped.sim.client
    rng = np.random.default_rng(0)
    env.reset(seed=0)
    for _ in range(400):
        obs, _, terminated, truncated, _ = env.step(rng.uniform(-1, 1, env.action_space.shape))
        assert np.isfinite(obs).all()
        z = pb.getBasePositionAndOrientation(task.cube, physicsClientId=cid)[0][2]
        assert z > 0.02 * task.object.scale
        if terminated or truncated:
            env.reset()
    env.close()


def test_an_integer_range_includes_its_top():
    """randomize={"action_delay": [0, 2]} delays by 0, 1 and 2 steps: every value of the range is drawn,
    each about a third of the time (over 300 resets)."""
    env = gym.make("Robo2DReacher-v0", randomize={"action_delay": [0, 2], "others": "nominal"})
    draws = [env.reset(seed=seed)[1]["randomization"]["action_delay"] for seed in range(300)]
    env.close()
    counts = {value: draws.count(value) for value in set(draws)}
    assert set(counts) == {0, 1, 2}, counts
    assert all(70 <= n <= 130 for n in counts.values()), counts


def test_declared_parameters_are_those_the_built_env_draws(case):
    """What the docs list for an env's arguments (declared, without building it) is what the env built
    with them varies: the same parameters, in the order it draws them."""
    env = case.make()
    kwargs = {**gym.spec(case.id).kwargs, **{k: v for k, v in case.kwargs.items() if k != "randomize"}}
    declared = type(env.unwrapped).declared_parameters(**kwargs)
    assert declared == env.unwrapped.randomization.parameters
    env.close()


@pytest.mark.parametrize(
    ("randomize", "said"),
    [
        ({"action_delay": [0, 1.5]}, r"randomize\['action_delay'\] must be integers"),  # either bound
        ({"action_delay": [0.5, 2]}, r"randomize\['action_delay'\] must be integers"),
        (
            {"motor_force": [0.9]},
            r"randomize\['motor_force'\] must be a value or a \[low, high\] pair, got \[0.9\]",
        ),
        ({"motor_force": "big"}, r"randomize\['motor_force'\] must be numbers"),
        (  # a list of pairs is for a parameter of several entries; this one has one
            {"motor_force": [[0.9, 1.1]]},
            r"randomize\['motor_force'\] must be a value or a \[low, high\] pair, got \[\[0.9, 1.1\]\]",
        ),
        (
            {"motor_force": [0.0, 5.0]},
            r"^randomize\['motor_force'\] = \[0.0, 5.0\] is outside what it allows: low <= high within "
            r"\[0.1, 10.0\] x \(default \[0.8, 1.2\]\)$",
        ),
    ],
)
def test_a_bad_range_is_refused_naming_the_parameter(randomize, said):
    with pytest.raises(ValueError, match=said):
        gym.make("Robo2DReacher-v0", randomize=randomize)


def test_a_bad_entry_of_a_vector_range_is_refused_naming_the_parameter():
    """The camera's offset has an x and a y entry: a triple for y is refused, naming the parameter."""
    with pytest.raises(ValueError, match=r"randomize\['camera_offset'\] must be a value or a \[low, high\]"):
        gym.make("Robo2DPixelReacher-v0", randomize={"camera_offset": [[0.0, 0.01], [0.0, 0.01, 0.02]]})


def test_an_integer_range_above_zero_draws_only_from_low_to_high():
    """An integer parameter over [2, 4] (both ends included) gives 2, 3 and 4, each about a third of
    300 draws, and never anything below its low end."""
    parameter = Parameter("delay", "steps", (0, 0), 0, "an integer range", limits=(0, 5), integer=True)
    rng = np.random.default_rng(0)
    draws = [parameter.draw(rng, ((2, 4),)) for _ in range(300)]
    counts = {value: draws.count(value) for value in set(draws)}
    assert set(counts) == {2, 3, 4}, counts
    assert all(70 <= n <= 130 for n in counts.values()), counts


#: the one-joint robot's moment of inertia about its hinge, from urdf/one_joint.urdf by the parallel-axis
#: theorem: the 80 g pointer (1.5e-4 about its centre, 7.5 cm out) and the 5 g tip 15 cm out
POINTER_INERTIA = 1.5e-4 + 0.08 * 0.075**2 + 1e-8 + 0.005 * 0.15**2  # kg m^2


def _coasting_speed_kept(tmp_path, modelled: float, added: float) -> float:
    """The share of its speed the one-joint robot's pointer keeps over 10 control steps (0.5 s) of zero
    torque after a small push, with `modelled` damping in its file and `added` by randomisation."""
    urdf = tmp_path / "pointer.urdf"
    dynamics = f'<dynamics damping="{modelled}"/></joint>' if modelled else "</joint>"
    urdf.write_text(robot_path("one_joint").read_text().replace("</joint>", dynamics, 1))
    env = gym.make(
        "Robo2DOneJoint-v0", robot=str(urdf), control="torque", randomize=_only(joint_damping=added)
    )
    env.reset(seed=0)
    arm = env.unwrapped.robot
    env.step(np.array([0.02], np.float32))  # 20 mN m for 50 ms: about 1.4 rad/s
    start = arm.dq[0]
    for _ in range(10):
        env.step(np.zeros(1, np.float32))
    env.close()
    return arm.dq[0] / start


@pytest.mark.parametrize(("modelled", "added"), [(0.0, 1e-3), (5e-4, 5e-4)])
def test_added_joint_damping_slows_a_coasting_joint_as_the_physics_says(tmp_path, modelled, added):
    """A free joint with damping D (N m s/rad) coasts down as exp(-D t / I): with 1 mN m s/rad in all,
    added to none in the file or to 0.5 in it, the pointer (I = 7.1e-4 kg m^2) keeps exp(-0.5 / 0.71)
    = 50% of its speed over 0.5 s, compared with the same push undamped (which PyBullet's own slight
    link damping slows by about 3%)."""
    undamped = _coasting_speed_kept(tmp_path, 0.0, 0.0)
    damped = _coasting_speed_kept(tmp_path, modelled, added)
    assert 0.95 < undamped <= 1.0
    assert damped / undamped == pytest.approx(np.exp(-(modelled + added) * 0.5 / POINTER_INERTIA), rel=0.02)
