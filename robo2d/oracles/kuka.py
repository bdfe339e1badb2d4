"""Scripted policies for the Kuka pick-and-place ids, reading the observation by its part names."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from robo2d.oracles.planar import Oracle
from robo2d.robots.planar.kinematics import wrap as _wrap


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
YAW_GAIN = 0.25  # share of the yaw error corrected per step
YAW_ALIGNED = 0.03  # rad of yaw error accepted before descending (the pads are 3 cm wide)
JAW_TCP_MIN = 0.048  # m, Robo2DKukaJawPickPlace-v0's workspace floor (its tests drive to it)
HOLD_RADIUS = 0.01  # m: cube this close to the target is held where it is
# Holding, read the same way for any jaw gripper: the fingers report a grasp, or they have closed past
# 40% of their observed range with the cube between them (contact flags can flicker). 40% is the SDF
# gripper's 0.1 rad in its -0.1-0.4 rad range (closed on the 5 cm cube: ~0.07 rad, 34%).
HOLDING_FRACTION = 0.4
NEAR = 0.05  # m from the TCP: the cube is between the fingers
GRASP_HEIGHT = 0.005  # m above the cube centre: low enough to close
REACH_BELOW = 0.03  # m above the cube centre: from here down, open pads reach around the cube
STALLED = 0.01  # m/s: the TCP descends slower than this near the cube: it is at the workspace floor


def jaw_oracle(env) -> Oracle:
    """Jaw grippers on the Kuka: align yaw, open above the cube, descend, close, lift, carry, lower, hold.

    It reads only the observation, so it drives any jaw gripper alike: the finger opening as a fraction
    of its part's bounds, and the workspace floor as where the TCP stops descending.
    """
    names = ("tcp", "flange_velocity", "tool_yaw", "grasped", "cube_position", "cube_orientation", "target")
    read, opening = _reader(env, names), _fraction_of_bounds(env, "finger_opening")

    def act(obs: np.ndarray) -> np.ndarray:
        tcp, velocity, yaw, grasped, cube, orientation, target = read(obs)
        return jaw_action(tcp, velocity, yaw, opening(obs), grasped, cube, orientation, target)

    return act


def _fraction_of_bounds(env, name: str) -> Callable[[np.ndarray], np.ndarray]:
    """A part's values as fractions of its observation bounds (0 at the low bound, 1 at the high one)."""
    layout = env.observation_layout
    part = next(p for p in layout.parts if p.name == name)
    low, high = np.array(part.low), np.array(part.high)
    return lambda obs: (layout.read(obs, name) - low) / (high - low)


def jaw_action(tcp, flange_velocity, yaw, opening, grasped, cube, orientation, target) -> np.ndarray:
    """One step of the jaw oracle from the parts it reads (the opening as a fraction of its range)."""
    yaw = yaw[0]
    near = float(np.linalg.norm(cube - tcp)) < NEAR
    holding = near and (grasped[0] > 0.5 or opening[0] < HOLDING_FRACTION)
    turn = _turn(_wrap(_cube_yaw(orientation) - yaw))
    if not holding:
        return _reach_and_close(tcp, flange_velocity, turn, cube)
    if float(np.linalg.norm(target - cube)) < HOLD_RADIUS:
        return _jaw_action(tcp, tcp, 0.0, -1.0)  # placed: hold still (chasing mm errors only drifts)
    goal_tcp = target + (tcp - cube)  # the held cube keeps its offset from the TCP
    if np.linalg.norm((target - cube)[:2]) > ALIGNED:
        carry = (
            np.array([*goal_tcp[:2], SAFE_HEIGHT])
            if tcp[2] >= SAFE_HEIGHT - 0.02
            else np.array([*tcp[:2], SAFE_HEIGHT])
        )
        return _jaw_action(tcp, carry, 0.0, -1.0)
    return _jaw_action(tcp, goal_tcp, 0.0, -1.0)


def _turn(error: float) -> float:
    """The yaw command for a yaw error (rad): none inside YAW_ALIGNED, else half the error per step (a
    whole step would set a wrist that lags, the xArm6's, swinging about the cube's yaw)."""
    if abs(error) <= YAW_ALIGNED:
        return 0.0
    return float(np.clip(YAW_GAIN * error / JAW_YAW_STEP, -1.0, 1.0))


def _reach_and_close(tcp, flange_velocity, turn: float, cube) -> np.ndarray:
    """Above the cube, turned to it, descend open to its centre (or as low as the TCP goes), close."""
    horizontal = float(np.linalg.norm((tcp - cube)[:2]))
    if horizontal > ALIGNED or turn != 0.0:
        waypoint = cube + (0.0, 0.0, SAFE_HEIGHT) if tcp[2] > cube[2] + 0.05 else tcp + (0, 0, KUKA_STEP)
        return _jaw_action(tcp, waypoint, turn, 1.0)
    height = tcp[2] - cube[2]
    at_floor = height < REACH_BELOW and flange_velocity[2] > -STALLED
    if height > GRASP_HEIGHT and not at_floor:
        return _jaw_action(tcp, cube, turn, 1.0)  # descend open
    return _jaw_action(tcp, cube, 0.0, -1.0)  # close


def _jaw_action(tcp: np.ndarray, waypoint: np.ndarray, turn: float, grip: float) -> np.ndarray:
    move = np.clip((waypoint - tcp) / KUKA_STEP, -1.0, 1.0)
    return np.array([*move, turn, grip], dtype=np.float32)
