"""The oracles' computed torque reaches the joint velocities it is asked for, on an arm whose motors
and damping are not the shipped arms' (1 N m, no damping): what a user's own arm brings."""

from pathlib import Path

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest

from robo2d.core.assets import robot_path
from robo2d.oracles.planar import torque_for

DAMPING = 0.02  # N m s/rad: holding 1 rad/s takes 0.02 N m, many times the torque of a speed change
EFFORT = 0.4  # N m per joint, so an action of 1 is 0.4 N m
ASKED = np.array([0.3, -0.25])  # velocity actions: fractions of each joint's top speed
TOLERANCE = 0.2  # of the asked speed: the links pull on each other within the held step


@pytest.fixture
def damped_arm(tmp_path: Path) -> Path:
    """The shipped two-link arm with weaker motors and strong joint damping."""
    text = robot_path("planar_arm").read_text()
    text = text.replace('damping="0.0"', f'damping="{DAMPING}"').replace('effort="1.0"', f'effort="{EFFORT}"')
    urdf = tmp_path / "damped_arm.urdf"
    urdf.write_text(text)
    return urdf


def _joint_state(env) -> tuple[np.ndarray, np.ndarray]:
    """Angles and speeds as the simulator has them (rad, rad/s)."""
    arm = env.robot
    states = pb.getJointStates(arm.body, arm.joints, physicsClientId=env.sim.client)
    return np.array([s[0] for s in states]), np.array([s[1] for s in states])


def test_computed_torque_reaches_and_holds_the_asked_speed(damped_arm):
    """From rest, one control step of the torques reaches the asked speeds; the next holds them against
    the damping (with the damping's sign wrong, or the torque scaled by the motor's limit instead of to
    it, the speeds miss by far more than the tolerance)."""
    env = gym.make("Robo2DReacher-v0", robot=str(damped_arm), control="torque").unwrapped
    assert env.robot.damping == [DAMPING, DAMPING] and env.robot.max_torques == [EFFORT, EFFORT]
    env.reset(seed=0)
    wanted = ASKED * np.array(env.robot.max_velocities)
    for _ in range(2):  # reach, then hold
        env.step(torque_for(env, *_joint_state(env), ASKED))
        np.testing.assert_allclose(_joint_state(env)[1], wanted, rtol=TOLERANCE)
    env.close()
