"""Rewards, success and seeding against expectations written out here, not recomputed by robo2d's code."""

import math

import gymnasium as gym
import numpy as np
import pytest

import robo2d

#: what each id samples at reset (observation parts; the pixel reacher: its task's goal)
SAMPLED = {
    "Robo2DReacher-v0": ("joint_cos_sin", "target"),
    "Robo2DPusher-v0": ("joint_cos_sin", "puck", "puck_yaw_cos_sin", "goal"),
    "Robo2DIKPusher-v0": ("joint_cos_sin", "puck", "puck_yaw_cos_sin", "goal"),
    "Robo2DPixelReacher-v0": (),
    "Robo2DOneJoint-v0": ("joint_cos_sin", "target_cos_sin"),
    "Robo2DKukaSuctionPickPlace-v0": ("cube_position", "cube_orientation", "target"),
    "Robo2DKukaJawPickPlace-v0": ("cube_position", "cube_orientation", "target"),
}
ACTION_COST = 0.01  # every id's default weight of |a|^2
TIP_OBJECT = 0.5  # pushers: fingertip-to-puck weight
REACH, GRASP = 0.5, 0.1  # pick and place: TCP-to-cube weight, bonus while held


def test_every_id_is_listed():
    assert set(SAMPLED) == set(robo2d.ENV_IDS)


def _norm(v) -> float:
    return float(np.sqrt(np.sum(np.square(np.asarray(v, dtype=np.float64)))))


def expected_dense(env_id: str, env, obs: np.ndarray, action: np.ndarray) -> float:
    """The docstring's dense reward, from the observed state (float32) and the clipped action."""
    part = (lambda name: env.observation_layout.read(obs, name)) if env.sensor is None else None
    cost = -ACTION_COST * float(np.sum(np.square(np.clip(action.astype(np.float64), -1, 1))))
    if env_id in ("Robo2DReacher-v0",):
        return -_norm(part("tip_to_target")) + cost
    if env_id == "Robo2DPixelReacher-v0":
        tip = np.array(env.robot.tip, np.float32)
        return -_norm(tip - env.task.goal) + cost
    if env_id in ("Robo2DPusher-v0", "Robo2DIKPusher-v0"):
        puck = part("puck")
        return -_norm(puck - part("goal")) - TIP_OBJECT * _norm(part("tip") - puck) + cost
    if env_id == "Robo2DOneJoint-v0":
        q, target = part("joint_cos_sin"), part("target_cos_sin")
        return -_norm(q - target) + cost  # the chord 2 sin(|error| / 2)
    names = [p.name for p in env.observation_layout.parts]
    held = part("attached" if "attached" in names else "grasped")[0]
    cube = part("cube_position")
    return -_norm(cube - part("target")) - REACH * _norm(part("cube_minus_tcp")) + cost + GRASP * held


@pytest.mark.parametrize("env_id", robo2d.ENV_IDS)
def test_dense_reward_equals_the_documented_formula(env_id):
    env = gym.make(env_id).unwrapped
    env.reset(seed=2)
    rng = np.random.default_rng(0)
    for _ in range(25):
        action = rng.uniform(-1.5, 1.5, env.action_space.shape).astype(np.float32)
        obs, reward, *_ = env.step(action)
        assert reward == pytest.approx(expected_dense(env_id, env, obs, action), abs=2e-5)
    env.close()


@pytest.mark.parametrize("env_id", robo2d.ENV_IDS)
def test_sparse_reward_is_minus_one_until_success(env_id):
    env = gym.make(env_id, reward_type="sparse").unwrapped
    env.reset(seed=2)
    for _ in range(10):
        _, reward, _, _, info = env.step(env.action_space.sample())
        assert reward == (0.0 if info["distance"] < env.task.distance_threshold else -1.0)
        assert info["is_success"] == (info["distance"] < env.task.distance_threshold)
    env.close()


def test_hand_computed_reacher_reward():
    """A tip 3 cm from the target, action (0.5, -0.5): -0.03 - 0.01 * 0.5 = -0.035; sparse -1."""
    task = gym.make("Robo2DReacher-v0").unwrapped.task
    task.set_goal([0.1, 0.0])
    info = task.info(np.array([0.1, 0.03], np.float32), [0.5, -0.5])
    assert info["reward_distance"] == pytest.approx(-0.03, abs=1e-7)
    assert info["reward_action"] == pytest.approx(-0.005)
    assert task.step_reward(info) == pytest.approx(-0.035, abs=1e-7) and not info["is_success"]
    task.reward_type = "sparse"
    assert task.step_reward(info) == -1.0


@pytest.mark.parametrize("env_id", ["Robo2DReacher-v0", "Robo2DPusher-v0", "Robo2DKukaSuctionPickPlace-v0"])
def test_success_is_strictly_inside_the_threshold(env_id):
    """distance_threshold 2^-6 m (exact in float32): at it, no success; just inside, success."""
    threshold = 2.0**-6
    env = gym.make(env_id, distance_threshold=threshold, reward_type="sparse").unwrapped
    task = env.task
    goal = np.zeros(task.goal_dim, np.float32)
    task.set_goal(goal)
    at = goal.copy()
    at[0] = threshold
    inside = at.copy()
    inside[0] = np.nextafter(np.float32(threshold), np.float32(0))
    zero = [0.0] * env.action_space.shape[0]
    for achieved, success in ((at, False), (inside, True)):
        info = {**task.info(achieved, zero), "is_grasped": False}
        assert info["is_success"] is success
        assert task.compute_reward(achieved, goal, info) == (0.0 if success else -1.0)
    env.close()


def _sampled(env, env_id: str, seed: int) -> dict:
    obs, _ = env.reset(seed=seed)
    if env.sensor is not None:
        return {"goal": env.task.goal.copy()}
    return {name: env.observation_layout.read(obs, name) for name in SAMPLED[env_id]}


@pytest.mark.parametrize("env_id", robo2d.ENV_IDS)
def test_every_sampled_quantity_follows_the_seed(env_id):
    """Same seed: the same start; different seeds: every sampled quantity differs (continuous draws)."""
    env = gym.make(env_id).unwrapped
    draws = [_sampled(env, env_id, seed) for seed in range(6)]
    again = _sampled(env, env_id, 0)
    for name, value in draws[0].items():
        np.testing.assert_array_equal(again[name], value)
        distinct = {tuple(np.round(d[name], 7)) for d in draws}
        assert len(distinct) == len(draws), f"{env_id}: {name} does not change with the seed"
    env.close()


def test_kuka_targets_are_on_the_table_or_in_the_air():
    env = gym.make("Robo2DKukaSuctionPickPlace-v0").unwrapped
    heights = [env.observation_layout.read(env.reset(seed=s)[0], "target")[2] for s in range(40)]
    on_table = [h for h in heights if math.isclose(h, 0.025, abs_tol=1e-6)]
    assert 5 < len(on_table) < 35, "about half the targets rest on the table (cube half height 2.5 cm)"
    assert all(0.05 <= h <= 0.25 for h in heights if h not in on_table)
    env.close()


def _goals(env_id: str, reward_type: str):
    env = gym.make(env_id, goal_conditioned=True, reward_type=reward_type)
    obs, info = env.reset(seed=3)
    obs, _, _, _, info = env.step(env.action_space.sample())
    return env, obs["achieved_goal"], obs["desired_goal"], info


@pytest.mark.parametrize("env_id", [i for i in robo2d.ENV_IDS if i != "Robo2DPixelReacher-v0"])
def test_compute_reward_types_shapes_and_goal_precision(env_id):
    """One goal pair gives a Python float; batches of any leading shape give one reward per pair; a
    single desired goal broadcasts against a batch; goals are read as the float32 the agent observes."""
    env, achieved, desired, info = _goals(env_id, "dense")
    reward = env.unwrapped.compute_reward
    single = reward(achieved, desired, info)
    assert type(single) is float
    near_a, near_d = achieved.astype(np.float64) + 1e-12, desired.astype(np.float64) + 1e-12  # below float32
    assert reward(near_a, desired, info) == single and reward(achieved, near_d, info) == single
    pairs = np.stack([achieved, desired]), np.stack([desired, desired])
    dense = reward(*pairs, [info] * 2)
    near = [p.astype(np.float64) + 1e-12 for p in pairs]
    assert np.array_equal(reward(near[0], pairs[1], [info] * 2), dense)
    assert np.array_equal(reward(pairs[0], near[1], [info] * 2), dense)
    env.close()
    env, achieved, desired, info = _goals(env_id, "sparse")
    reward = env.unwrapped.compute_reward
    pairs_a, pairs_d = np.stack([achieved, desired, achieved]), np.stack([desired, desired, achieved])
    batch = reward(pairs_a, pairs_d, [info] * 3)
    assert type(reward(achieved, desired, info)) is float
    assert batch.shape == (3,) and list(batch[1:]) == [0.0, 0.0]
    assert batch[0] == reward(achieved, desired, info)
    deep = reward(np.stack([pairs_a, pairs_a]), np.stack([pairs_d, pairs_d]), None)
    assert deep.shape == (2, 3) and np.array_equal(deep[1], batch)
    assert np.array_equal(reward(pairs_a, desired, None), reward(pairs_a, np.stack([desired] * 3), None))
    assert np.array_equal(reward(achieved, pairs_d, None), reward(np.stack([achieved] * 3), pairs_d, None))
    assert np.array_equal(reward(pairs_a + 1e-12, pairs_d.astype(np.float64) + 1e-12, None), batch)
    env.close()


@pytest.mark.parametrize("env_id", ["Robo2DReacher-v0", "Robo2DOneJoint-v0"])
def test_the_target_marker_shows_the_target(env_id):
    """Renders and the GUI show the goal where the task has it: at the target point (reach) or at the
    target angle on the arm's reach circle (turn), in the task's target colour."""
    import pybullet as pb

    from robo2d.tasks.reach import TARGET_RGBA as REACH_RGBA
    from robo2d.tasks.turn import TARGET_RGBA as TURN_RGBA

    env = gym.make(env_id).unwrapped
    for seed in (0, 1):
        env.reset(seed=seed)
        task, arm, cid = env.task, env.task.arm, env.sim.client
        position = pb.getBasePositionAndOrientation(task.marker, physicsClientId=cid)[0]
        if env_id == "Robo2DOneJoint-v0":
            (bx, by), (c, s) = arm.base_xy, task.goal_values
            expected = (bx + arm.reach * c, by + arm.reach * s, arm.tip_height)
        else:
            expected = (*task.goal_values, arm.tip_height)
        assert position == pytest.approx(expected, abs=1e-9)
    colour = pb.getVisualShapeData(task.marker, physicsClientId=cid)[0][7]
    assert colour == pytest.approx(TURN_RGBA if env_id == "Robo2DOneJoint-v0" else REACH_RGBA)
    env.close()


@pytest.mark.parametrize("env_id", ["Robo2DKukaSuctionPickPlace-v0", "Robo2DKukaJawPickPlace-v0"])
def test_the_pick_place_target_shows_where_the_cube_must_go(env_id):
    """A sphere of the success radius, in the target colour, at the target (on the table or in the air)."""
    import pybullet as pb

    from robo2d.tasks.pick_place import TARGET_RGBA

    env = gym.make(env_id).unwrapped
    for seed in (0, 1):
        env.reset(seed=seed)
        marker, cid = env.task.marker, env.sim.client
        position = pb.getBasePositionAndOrientation(marker, physicsClientId=cid)[0]
        assert position == pytest.approx(env.task.goal_values, abs=1e-9)
    shape = pb.getVisualShapeData(marker, physicsClientId=cid)[0]
    assert shape[7] == pytest.approx(TARGET_RGBA) and shape[3][0] == pytest.approx(
        env.task.distance_threshold
    )
    env.close()


def test_goal_and_target_bounds_are_the_documented_boxes():
    """The reacher (two 0.1 m links, base at the origin): targets in the box around the base that holds
    every reachable point, target minus tip within twice the reach; the one-joint goal on the unit
    circle's box."""
    layout = gym.make("Robo2DReacher-v0").unwrapped.observation_layout
    bounds = {part.name: part.low + part.high for part in layout.parts}
    assert bounds["target"] == pytest.approx((-0.2, -0.2, 0.2, 0.2))
    assert bounds["tip_to_target"] == pytest.approx((-0.4, -0.4, 0.4, 0.4))
    turn = {p.name: p.low + p.high for p in gym.make("Robo2DOneJoint-v0").unwrapped.observation_layout.parts}
    assert turn["target_cos_sin"] == (-1.0, -1.0, 1.0, 1.0)
    space = gym.make("Robo2DOneJoint-v0", goal_conditioned=True).observation_space
    for key in ("desired_goal", "achieved_goal"):
        assert list(space[key].low) == [-1.0, -1.0] and list(space[key].high) == [1.0, 1.0]


@pytest.mark.parametrize(
    ("env_id", "weight"),
    [
        ("Robo2DReacher-v0", "action_cost"),
        ("Robo2DKukaSuctionPickPlace-v0", "reach_weight"),
        ("Robo2DKukaJawPickPlace-v0", "grasp_bonus"),
    ],
)
def test_reward_weights_zero_allowed_negative_refused_by_name(env_id, weight):
    env = gym.make(env_id, **{weight: 0.0})
    assert env.reset(seed=0)
    env.close()
    with pytest.raises(ValueError, match=rf"^{weight} must be zero or positive \(it is the size of a reward"):
        gym.make(env_id, **{weight: -0.01})


def test_observation_parts_check_their_bounds_and_the_layout_its_size():
    from robo2d.core.observation import ObsPart

    with pytest.raises(ValueError, match="2 entries"):
        ObsPart("x", 2, "m", (0.0, 0.0), (1.0,), "bad high")
    with pytest.raises(ValueError, match="2 entries"):
        ObsPart("x", 2, "m", (0.0,), (1.0, 1.0), "bad low")
    env = gym.make("Robo2DPusher-v0").unwrapped
    assert env.observation_layout.size == env.observation_space.shape[0]
