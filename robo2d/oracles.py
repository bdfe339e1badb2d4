"""Scripted policies that read only the public observation: proof that each task is solvable.

Each oracle is a callable ``oracle(observation) -> action`` for the env's flat observation (see the
env's docstring for the layout); a test asserts its success rate.
"""

from __future__ import annotations

import math

import numpy as np

from robo2d.envs.pixel_reacher import VIEW_HALF_EXTENT  # the documented view of the image

PLANAR_LINK = 0.1  # m, both links of robo2d's planar arm (documented in the env docstrings)
PLANAR_MAX_JOINT_STEP = 3.0 * 0.05  # rad per step at full action (3 rad/s for 0.05 s)


def _wrap(angle: float) -> float:
    return (angle + math.pi) % (2 * math.pi) - math.pi


def planar_ik(x: float, y: float, elbow_hint: float) -> tuple[float, float]:
    """Joint angles putting the 2-link tip at (x, y), on the elbow side nearest `elbow_hint`."""
    cos_q2 = (x * x + y * y - 2 * PLANAR_LINK**2) / (2 * PLANAR_LINK**2)
    q2 = math.acos(min(1.0, max(-1.0, cos_q2)))
    if elbow_hint < 0:
        q2 = -q2
    q1 = math.atan2(y, x) - math.atan2(PLANAR_LINK * math.sin(q2), PLANAR_LINK * (1 + math.cos(q2)))
    return q1, q2


def joint_action_towards(obs: np.ndarray, x: float, y: float) -> np.ndarray:
    """Joint-velocity action moving the planar arm's tip towards (x, y) (reacher/pusher layout)."""
    return _joint_action(math.atan2(obs[1], obs[0]), math.atan2(obs[3], obs[2]), x, y)


def _joint_action(q1: float, q2: float, x: float, y: float) -> np.ndarray:
    t1, t2 = planar_ik(x, y, q2 if abs(q2) > 1e-3 else 1.0)
    action = [_wrap(t1 - q1) / PLANAR_MAX_JOINT_STEP, (t2 - q2) / PLANAR_MAX_JOINT_STEP]
    return np.clip(np.array(action, dtype=np.float32), -1.0, 1.0)


def reacher_oracle(obs: np.ndarray) -> np.ndarray:
    """Robo2DReacher-v0: drive the joints straight to the inverse-kinematics solution of the target."""
    return joint_action_towards(obs, float(obs[6]), float(obs[7]))


PUSH_CONTACT = 0.02 + 0.008  # m, puck radius + fingertip ball radius
PUSH_STANDOFF = 0.02  # m, extra gap kept behind the puck while getting into position
IK_TIP_STEP = 0.01  # m per step at full action (Robo2DIKPusher-v0)
PUSH_DONE = 0.008  # m: puck this close to the goal is left alone
MIN_TIP_RADIUS = 0.05  # m, the oracle keeps the fingertip this far from the arm base


def push_tip_displacement(tip: np.ndarray, puck: np.ndarray, goal: np.ndarray) -> np.ndarray:
    """Fingertip displacement for one step of pushing `puck` to `goal`.

    Lined up behind the puck (on the far side from the goal): push through its centre along the current
    puck-to-goal direction, which re-aims every step. Close to the puck but not lined up: circle around it
    at a small clearance towards the pushing side. Otherwise: head straight for the point behind it.
    """
    to_goal = goal - puck
    if float(np.linalg.norm(to_goal)) < PUSH_DONE:
        return np.zeros(2)
    u = to_goal / (np.linalg.norm(to_goal) + 1e-9)
    rel = tip - puck
    dist = float(np.linalg.norm(rel)) + 1e-9
    lined_up = float(rel @ u) < -0.9 * PUSH_CONTACT and abs(float(rel @ np.array([-u[1], u[0]]))) < 0.008
    if lined_up:  # slow down near the goal so the sliding puck stops on it
        step = (goal - u * (PUSH_CONTACT - 0.01)) - tip
        return _bounded_step(tip, step, max(0.002, min(IK_TIP_STEP, 0.25 * float(np.linalg.norm(to_goal)))))
    elif dist < PUSH_CONTACT + PUSH_STANDOFF + 0.005:
        radial = rel / dist
        tangent = np.array([-radial[1], radial[0]])
        if radial[1] * u[0] - radial[0] * u[1] < 0:  # radial x (-u) < 0: turn the short way round
            tangent = -tangent
        aligned = float(radial @ -u)  # 1 when exactly behind
        step = tangent * (1.0 - aligned) * 0.02 + radial * (PUSH_CONTACT + PUSH_STANDOFF - dist)
        if aligned > 0.97:  # behind: close in towards the contact point
            step = (puck - u * PUSH_CONTACT) - tip
    else:
        step = (puck - u * (PUSH_CONTACT + PUSH_STANDOFF)) - tip
    return _bounded_step(tip, step)


def _bounded_step(tip: np.ndarray, step: np.ndarray, max_step: float = IK_TIP_STEP) -> np.ndarray:
    """Limit the step length and keep the fingertip off the arm base."""
    length = float(np.linalg.norm(step))
    if length > max_step:
        step = step * (max_step / length)
    new = tip + step
    radius = float(np.linalg.norm(new))
    if radius < MIN_TIP_RADIUS:
        new = new * (MIN_TIP_RADIUS / (radius + 1e-9))
    return new - tip


def _push_parts(obs: np.ndarray):
    return np.asarray(obs[6:8], float), np.asarray(obs[8:10], float), np.asarray(obs[15:17], float)


def ik_pusher_oracle(obs: np.ndarray) -> np.ndarray:
    """Robo2DIKPusher-v0: the push waypoints as fingertip displacements."""
    return np.clip(push_tip_displacement(*_push_parts(obs)) / IK_TIP_STEP, -1.0, 1.0).astype(np.float32)


def pusher_oracle(obs: np.ndarray) -> np.ndarray:
    """Robo2DPusher-v0: the same waypoints, turned into joint velocities by the arm's inverse kinematics."""
    tip, puck, goal = _push_parts(obs)
    step = push_tip_displacement(tip, puck, goal)
    if not step.any():
        return np.zeros(2, dtype=np.float32)
    x, y = tip + step
    return joint_action_towards(obs, float(x), float(y))


def one_joint_oracle(obs: np.ndarray) -> np.ndarray:
    """Robo2DOneJoint-v0: turn the short way to the target angle."""
    error = _wrap(math.atan2(obs[4], obs[3]) - math.atan2(obs[1], obs[0]))
    return np.array([np.clip(error / PLANAR_MAX_JOINT_STEP, -1.0, 1.0)], dtype=np.float32)


KUKA_STEP = 0.025  # m per step at full action (Kuka envs)
SAFE_HEIGHT = 0.12  # m of clearance above the cube while travelling
ALIGNED = 0.01  # m: horizontal error accepted before descending
CUP_ON_CUBE = 0.025 + 0.0075 - 0.003  # m, cup centre above the cube centre with the face 3 mm pressed in


def _kuka_action_to(tcp: np.ndarray, waypoint: np.ndarray, tool: float) -> np.ndarray:
    move = np.clip((waypoint - tcp) / KUKA_STEP, -1.0, 1.0)
    return np.array([*move, tool], dtype=np.float32)


def suction_oracle(obs: np.ndarray) -> np.ndarray:
    """Robo2DKukaSuctionPickPlace-v0: above the cube, descend with suction on, lift, carry, lower, hold."""
    tcp, attached, cube, target = obs[0:3], obs[7] > 0.5, obs[8:11], obs[24:27]
    if not attached:
        above = cube + (0.0, 0.0, SAFE_HEIGHT)
        if np.linalg.norm((tcp - cube)[:2]) > ALIGNED:
            waypoint = above if tcp[2] > cube[2] + 0.05 else tcp + (0.0, 0.0, KUKA_STEP)  # rise, then move
            return _kuka_action_to(tcp, waypoint, -1.0)
        return _kuka_action_to(tcp, cube + (0.0, 0.0, CUP_ON_CUBE), 1.0)  # cup face just onto the cube top
    offset = tcp - cube  # the held cube hangs this far below the TCP
    goal_tcp = target + offset
    if np.linalg.norm((target - cube)[:2]) > ALIGNED:
        carry = np.array([*goal_tcp[:2], max(goal_tcp[2], cube[2] + offset[2] + 0.0, SAFE_HEIGHT)])
        if tcp[2] < SAFE_HEIGHT - 0.02:
            carry = np.array([*tcp[:2], SAFE_HEIGHT])
        return _kuka_action_to(tcp, carry, 1.0)
    return _kuka_action_to(tcp, goal_tcp, 1.0)


def _cube_yaw(quaternion: np.ndarray) -> float:
    """Cube yaw folded into [-pi/4, pi/4): a cube looks the same every quarter turn."""
    x, y, z, w = quaternion
    yaw = math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
    return (yaw + math.pi / 4) % (math.pi / 2) - math.pi / 4


JAW_YAW_STEP = 0.2  # rad per step at full action
JAW_TCP_MIN = 0.048  # m, lowest TCP the jaw env allows
HOLD_RADIUS = 0.01  # m: cube this close to the target is held where it is
HOLDING_OPENING = 0.1  # rad: fingers closed further than this are on the cube (closed on 5 cm: ~0.07)


def jaw_oracle(obs: np.ndarray) -> np.ndarray:
    """Robo2DKukaJawPickPlace-v0: align yaw, open above the cube, descend, close, lift, carry, lower, hold."""
    tcp, yaw, opening, cube, target = obs[0:3], obs[6], obs[7], obs[9:12], obs[25:28]
    # holding: fingers closed on something with the cube between them (contact flags can flicker)
    grasped = opening < HOLDING_OPENING and float(np.linalg.norm(cube - tcp)) < 0.05
    turn = float(np.clip(_wrap(_cube_yaw(obs[12:16]) - yaw) / JAW_YAW_STEP, -1.0, 1.0))
    grasp_tcp = np.array([cube[0], cube[1], max(cube[2], JAW_TCP_MIN)])
    if not grasped:
        horizontal = float(np.linalg.norm((tcp - cube)[:2]))
        if horizontal > ALIGNED or abs(turn) > 0.1:
            waypoint = cube + (0.0, 0.0, SAFE_HEIGHT) if tcp[2] > cube[2] + 0.05 else tcp + (0, 0, KUKA_STEP)
            return _jaw_action(tcp, waypoint, turn, 1.0)
        if tcp[2] > grasp_tcp[2] + 0.005:
            return _jaw_action(tcp, grasp_tcp, turn, 1.0)  # descend open
        return _jaw_action(tcp, grasp_tcp, 0.0, -1.0)  # close
    if float(np.linalg.norm(target - cube)) < HOLD_RADIUS:
        return _jaw_action(tcp, tcp, 0.0, -1.0)  # placed: hold still (chasing mm errors only drifts)
    offset = tcp - cube
    goal_tcp = target + offset
    goal_tcp[2] = max(goal_tcp[2], JAW_TCP_MIN)
    if np.linalg.norm((target - cube)[:2]) > ALIGNED:
        carry = (
            np.array([*goal_tcp[:2], SAFE_HEIGHT])
            if tcp[2] >= SAFE_HEIGHT - 0.02
            else np.array([*tcp[:2], SAFE_HEIGHT])
        )
        return _jaw_action(tcp, carry, 0.0, -1.0)
    return _jaw_action(tcp, goal_tcp, 0.0, -1.0)


def _jaw_action(tcp: np.ndarray, waypoint: np.ndarray, turn: float, grip: float) -> np.ndarray:
    move = np.clip((waypoint - tcp) / KUKA_STEP, -1.0, 1.0)
    return np.array([*move, turn, grip], dtype=np.float32)


TARGET_RGB, LINK1_RGB, LINK2_RGB = (26, 204, 51), (51, 115, 217), (242, 140, 38)  # URDF material colours


def _pixels_near(image: np.ndarray, rgb, tolerance: int = 40) -> np.ndarray:
    """World (x, y) of the pixels within `tolerance` of a colour (arm base at the image centre)."""
    rows, cols = np.nonzero(np.abs(image.astype(int) - rgb).max(axis=-1) < tolerance)
    metres_per_px = 2 * VIEW_HALF_EXTENT / image.shape[0]
    return np.stack(
        [
            (cols + 0.5) * metres_per_px - VIEW_HALF_EXTENT,
            VIEW_HALF_EXTENT - (rows + 0.5) * metres_per_px,
        ],
        axis=-1,
    )


def pixel_reacher_oracle(obs: np.ndarray) -> np.ndarray:
    """Robo2DPixelReacher-v0, from the image alone: find the target and both links by colour, read the
    joint angles off the links' centroids, then act as the reacher oracle."""
    image = np.asarray(obs)[..., -3:]  # the newest frame when frames are stacked
    target, link1, link2 = (_pixels_near(image, rgb) for rgb in (TARGET_RGB, LINK1_RGB, LINK2_RGB))
    if len(target) == 0 or len(link1) == 0 or len(link2) == 0:
        return np.zeros(2, dtype=np.float32)  # target hidden under the arm (usually: reached): hold
    q1 = math.atan2(*reversed(link1.mean(axis=0)))
    elbow = PLANAR_LINK * np.array([math.cos(q1), math.sin(q1)])
    q2 = _wrap(math.atan2(*reversed(link2.mean(axis=0) - elbow)) - q1)
    x, y = target.mean(axis=0)
    return _joint_action(q1, q2, float(x), float(y))


ORACLES = {
    "Robo2DPixelReacher-v0": pixel_reacher_oracle,
    "Robo2DKukaJawPickPlace-v0": jaw_oracle,
    "Robo2DKukaSuctionPickPlace-v0": suction_oracle,
    "Robo2DOneJoint-v0": one_joint_oracle,
    "Robo2DReacher-v0": reacher_oracle,
    "Robo2DPusher-v0": pusher_oracle,
    "Robo2DIKPusher-v0": ik_pusher_oracle,
}


class ScriptedPolicy:
    """An oracle with the `predict` interface of trained agents (for evaluation and videos)."""

    def __init__(self, env_id: str) -> None:
        self.act = ORACLES[env_id]

    def predict(self, obs, deterministic: bool = True):
        return self.act(obs), None
