"""Physics sanity: planar motion, forward kinematics, puck stays on the table, no NaN."""

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.catalog import PLANAR_IDS

ARMS = ("planar_arm", "planar_arm_3link")


@pytest.mark.parametrize("robot", ARMS)
@pytest.mark.parametrize("env_id", [i for i in PLANAR_IDS if i != "Robo2DOneJoint-v0"])
def test_tip_kinematics_match_pybullet_and_stay_planar(env_id, robot):
    env = gym.make(env_id, robot=robot).unwrapped
    env.reset(seed=3)
    arm, cid = env.robot, env.sim.client
    for _ in range(60):
        env.step(env.action_space.sample())
        pos = pb.getLinkState(arm.body, arm.tip_link, computeForwardKinematics=1, physicsClientId=cid)[4]
        np.testing.assert_allclose(arm.tip, pos[:2], atol=1e-6)
        assert abs(pos[2] - arm.tip_height) < 1e-4, "the fingertip must stay in its plane"
    env.close()


@pytest.mark.parametrize("randomize", [False, True], ids=["nominal", "randomized"])
@pytest.mark.parametrize("robot", ARMS)
@pytest.mark.parametrize("env_id", ["Robo2DPusher-v0", "Robo2DIKPusher-v0"])
def test_random_pushing_keeps_puck_on_table(env_id, robot, randomize):
    """Random actions for many episodes: finite observations, the puck never sinks or flies (its
    centre stays within its half height, 1 cm times its size, of resting)."""
    env = gym.make(env_id, robot=robot, randomize=randomize)
    task, cid = env.unwrapped.task, env.unwrapped.sim.client
    rng = np.random.default_rng(0)
    env.reset(seed=0)
    for step in range(3000):
        obs, _, terminated, truncated, _ = env.step(rng.uniform(-1, 1, env.action_space.shape))
        assert np.isfinite(obs).all()
        z = pb.getBasePositionAndOrientation(task.puck, physicsClientId=cid)[0][2]
        assert 0.005 < z / task.object.scale < 0.02, f"puck height {z:.4f} m at step {step}"
        if terminated or truncated:
            env.reset()
    env.close()


@pytest.mark.parametrize("robot", ARMS)
def test_ik_target_is_clamped_to_workspace(robot):
    env = gym.make("Robo2DIKPusher-v0", robot=robot).unwrapped
    env.reset(seed=0)
    for _ in range(80):  # drive far outside the reach
        env.step(np.array([1.0, 1.0]))
    arm = env.robot
    assert np.hypot(*arm.tip_target) <= arm.reach
    assert np.hypot(*arm.tip) <= arm.reach
    assert all(np.isfinite(arm.q))
    env.close()
