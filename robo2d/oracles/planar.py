"""Scripted policies for the planar ids, for any arm: they solve with the arm's own kinematics.

Each factory takes the env (unwrapped) and returns ``act(observation) -> action``. The action is
read from the public observation through its named parts; the arm's geometry (segments, limits,
speeds) is what a robot designer knows of the robot and is read from the env's robot.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pybullet as pb

from robo2d.robots.planar.arm import POSITION_CONTROL, TORQUE_CONTROL
from robo2d.robots.planar.kinematics import wrap
from robo2d.tasks.push import PUCK_RADIUS

Oracle = Callable[[np.ndarray], np.ndarray]

POSITION_LEAD = 2.0  # position control: ask for twice the way to the solution (position motors lag) ...
MAX_LEAD = 0.05  # rad: ... but at most this much past it (big moves would overshoot)
PUSH_STANDOFF = 0.02  # m, extra gap kept behind the puck while getting into position
PUSH_DONE = 0.008  # m: puck this close to the goal is left alone
LINE_UP_TOLERANCE = 0.008  # m off the push line still counts as lined up
CIRCLE_STEP = 0.02  # m: how far one step circles round the puck at most
MIN_TIP_RADIUS = 0.05  # m (for the 0.2 m arm; scaled by reach): the fingertip keeps off the arm base


def joint_angles(env, obs: np.ndarray) -> np.ndarray:
    """Joint angles from the observation's cos, sin pairs."""
    cos_sin = env.observation_layout.read(obs, "joint_cos_sin")
    return np.arctan2(cos_sin[1::2], cos_sin[0::2])


def joint_command(env, q: np.ndarray, dq: np.ndarray, solution) -> np.ndarray:
    """The action that drives the joints straight (in joint space) from `q` (moving at `dq`, rad/s) to
    `solution` (rad), in the arm's control mode: velocities; the torques that reach those velocities;
    or the angles themselves."""
    arm = env.robot
    delta = [
        wrap(t - qi) if math.isinf(lo) else t - qi for t, qi, lo in zip(solution, q, arm.kinematics.lower)
    ]
    if arm.control == POSITION_CONTROL:  # aim past the solution: the position motors close only part of it
        lead = [
            qi + d + float(np.clip((POSITION_LEAD - 1) * d, -MAX_LEAD, MAX_LEAD)) for qi, d in zip(q, delta)
        ]
        action = [arm.position_action(i, angle) for i, angle in enumerate(lead)]
        return np.clip(action, -1.0, 1.0).astype(np.float32)
    max_step = np.array(arm.max_velocities) * env.sim.control_dt  # rad per step at full action
    velocity = np.clip(np.array(delta) / max_step, -1.0, 1.0)
    if arm.control == TORQUE_CONTROL:
        return torque_for(env, q, dq, velocity)
    return velocity.astype(np.float32)


def torque_for(env, q: np.ndarray, dq: np.ndarray, velocity_action: np.ndarray) -> np.ndarray:
    """Torque control: the torques (as actions) that bring the joint velocities to what
    `velocity_action` asks within one control step, from the arm's model (computed torque): its mass
    matrix M(q) for the change, its joint damping for the torque that holds the new speed."""
    arm = env.robot
    wanted = np.asarray(velocity_action) * np.array(arm.max_velocities)
    mass = np.array(pb.calculateMassMatrix(arm.body, [float(x) for x in q], physicsClientId=env.sim.client))
    change = (wanted - np.asarray(dq)) / env.sim.control_dt
    torque = mass @ change + np.array(arm.damping) * wanted
    return np.clip(torque / np.array(arm.max_torques), -1.0, 1.0).astype(np.float32)


def joint_action_to(env, q: np.ndarray, dq: np.ndarray, target, branch: list | None = None) -> np.ndarray:
    """The action driving the arm from angles `q` and velocities `dq` towards its IK solution for the
    tip position `target`. `branch` (a list the oracle keeps) holds this episode's last solution that
    reached its target: where the descent from `q` stalls, IK starts from it, so an arm with two ways to
    a point (elbow left, elbow right) keeps to one instead of turning back and forth between them. It
    is forgotten at a reset (the env's `episode_random_state` is new at each), so no episode's actions
    depend on the one before."""
    kinematics, episode = env.robot.kinematics, env.episode_random_state
    earlier = [branch[1]] if branch and branch[0] is episode else []
    solution = kinematics.solve(target, q, also_from=earlier)
    if branch is not None and kinematics.reaches(solution, target):
        branch[:] = [episode, solution]
    return joint_command(env, q, dq, solution)


def joint_state(env, obs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Joint angles and velocities read off the observation."""
    return joint_angles(env, obs), env.observation_layout.read(obs, "joint_velocity")


def reacher_oracle(env) -> Oracle:
    """Robo2DReacher-v0: drive the joints to the inverse-kinematics solution of the target."""
    layout, branch = env.observation_layout, []
    return lambda obs: joint_action_to(env, *joint_state(env, obs), layout.read(obs, "target"), branch)


def one_joint_oracle(env) -> Oracle:
    """Robo2DOneJoint-v0: turn the short way to the target angle."""
    layout = env.observation_layout

    def act(obs: np.ndarray) -> np.ndarray:
        (c, s), (tc, ts) = layout.read(obs, "joint_cos_sin"), layout.read(obs, "target_cos_sin")
        q = math.atan2(s, c)
        dq = layout.read(obs, "joint_velocity")
        return joint_command(env, np.array([q]), dq, [q + wrap(math.atan2(ts, tc) - q)])

    return act


class PushPlanner:
    """Fingertip displacement for one step of pushing the puck to the goal, for one arm.

    Lined up behind the puck (on the far side from the goal): push through its centre along the current
    puck-to-goal direction, which re-aims every step. Close to the puck but not lined up: circle around it
    at a small clearance towards the pushing side. Otherwise: head straight for the point behind it.
    """

    def __init__(self, arm) -> None:
        self.contact = PUCK_RADIUS + arm.tip_radius
        self.max_step = arm.max_tip_step
        self.base = np.array(arm.base_xy)
        self.min_radius = MIN_TIP_RADIUS * arm.kinematics.scale

    def step(self, tip: np.ndarray, puck: np.ndarray, goal: np.ndarray) -> np.ndarray:
        to_goal = goal - puck
        if float(np.linalg.norm(to_goal)) < PUSH_DONE:
            return np.zeros(2)
        u = to_goal / (np.linalg.norm(to_goal) + 1e-9)
        rel = tip - puck
        dist, contact = float(np.linalg.norm(rel)) + 1e-9, self.contact
        across = abs(float(rel @ np.array([-u[1], u[0]])))
        if float(rel @ u) < -0.9 * contact and across < LINE_UP_TOLERANCE:  # slow down near the goal
            limit = max(0.2 * self.max_step, min(self.max_step, 0.25 * float(np.linalg.norm(to_goal))))
            return self._bounded(tip, (goal - u * (contact - 0.01)) - tip, limit)
        if dist < contact + PUSH_STANDOFF + 0.005:
            radial = rel / dist
            tangent = np.array([-radial[1], radial[0]])
            if radial[1] * u[0] - radial[0] * u[1] < 0:  # radial x (-u) < 0: turn the short way round
                tangent = -tangent
            aligned = float(radial @ -u)  # 1 when exactly behind
            step = tangent * (1.0 - aligned) * CIRCLE_STEP + radial * (contact + PUSH_STANDOFF - dist)
            if aligned > 0.97:  # behind: close in towards the contact point
                step = (puck - u * contact) - tip
            return self._bounded(tip, step, self.max_step)
        return self._bounded(tip, (puck - u * (contact + PUSH_STANDOFF)) - tip, self.max_step)

    def _bounded(self, tip: np.ndarray, step: np.ndarray, max_step: float) -> np.ndarray:
        """Limit the step length and keep the fingertip off the arm base."""
        length = float(np.linalg.norm(step))
        if length > max_step:
            step = step * (max_step / length)
        rel = tip + step - self.base
        radius = float(np.linalg.norm(rel))
        if radius < self.min_radius:
            rel = rel * (self.min_radius / (radius + 1e-9))
        return self.base + rel - tip


def _push_parts(env, obs: np.ndarray):
    layout = env.observation_layout
    return tuple(np.asarray(layout.read(obs, name), float) for name in ("tip", "puck", "goal"))


def ik_pusher_oracle(env) -> Oracle:
    """Robo2DIKPusher-v0: the push waypoints as fingertip displacements."""
    planner = PushPlanner(env.robot)

    def act(obs: np.ndarray) -> np.ndarray:
        step = planner.step(*_push_parts(env, obs))
        return np.clip(step / planner.max_step, -1.0, 1.0).astype(np.float32)

    return act


def pusher_oracle(env) -> Oracle:
    """Robo2DPusher-v0: the same waypoints, turned into joint velocities by the arm's inverse kinematics."""
    planner, branch = PushPlanner(env.robot), []

    def act(obs: np.ndarray) -> np.ndarray:
        tip, puck, goal = _push_parts(env, obs)
        step = planner.step(tip, puck, goal)
        if not step.any():
            return np.zeros(env.robot.n_joints, dtype=np.float32)
        return joint_action_to(env, *joint_state(env, obs), tip + step, branch)

    return act
