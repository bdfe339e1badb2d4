"""Scripted policies for the Kuka pick-and-place ids, reading the observation by its part names."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from robo2d.oracles.planar import Oracle
from robo2d.robots.planar_kinematics import wrap as _wrap


def _reader(env, names: tuple[str, ...]) -> Callable[[np.ndarray], list[np.ndarray]]:
    layout = env.observation_layout
    return lambda obs: [layout.read(obs, name) for name in names]  # float32, as observed


KUKA_STEP = 0.025  # m per step at full action (Kuka envs)
SAFE_HEIGHT = 0.12  # m of clearance above the cube while travelling
ALIGNED = 0.01  # m: horizontal error accepted before descending
CUP_ON_CUBE = 0.025 + 0.0075 - 0.003  # m, cup centre above the cube centre with the face 3 mm pressed in


def _kuka_action_to(tcp: np.ndarray, waypoint: np.ndarray, tool: float) -> np.ndarray:
    move = np.clip((waypoint - tcp) / KUKA_STEP, -1.0, 1.0)
    return np.array([*move, tool], dtype=np.float32)


def suction_oracle(env) -> Oracle:
    """Robo2DKukaSuctionPickPlace-v0: above the cube, descend with suction on, lift, carry, lower, hold."""
    read = _reader(env, ("tcp", "attached", "cube_position", "target"))
    return lambda obs: suction_action(*read(obs))


def suction_action(tcp: np.ndarray, attached: np.ndarray, cube: np.ndarray, target: np.ndarray) -> np.ndarray:
    """One step of the suction oracle from the parts it reads."""
    attached = attached[0] > 0.5
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


def jaw_oracle(env) -> Oracle:
    """Robo2DKukaJawPickPlace-v0: align yaw, open above the cube, descend, close, lift, carry, lower, hold."""
    names = ("tcp", "tool_yaw", "finger_opening", "cube_position", "cube_orientation", "target")
    read = _reader(env, names)
    return lambda obs: jaw_action(*read(obs))


def jaw_action(tcp, yaw, opening, cube, orientation, target) -> np.ndarray:
    """One step of the jaw oracle from the parts it reads."""
    yaw, opening = yaw[0], opening[0]
    # holding: fingers closed on something with the cube between them (contact flags can flicker)
    grasped = opening < HOLDING_OPENING and float(np.linalg.norm(cube - tcp)) < 0.05
    turn = float(np.clip(_wrap(_cube_yaw(orientation) - yaw) / JAW_YAW_STEP, -1.0, 1.0))
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
