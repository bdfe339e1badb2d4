"""``robo2d check-robot FILE --flange-link L``: what pick-and-place sees in a 6/7-DoF arm's file.

The arm is built as ``gym.make(..., robot=FILE, flange_link=L)`` builds it (with the suction tool), so
the report and the env refuse the same files: its joints and limits as read, the links dropped past
the flange, the tool heading, the rest pose and the table area its IK found, and a rendered view.
"""

from __future__ import annotations

from pathlib import Path

import gymnasium as gym
import numpy as np

from robo2d.robots.robot_file import RobotFileError

CHECK_ID = "Robo2DKukaSuctionPickPlace-v0"  # the arm is built as this id builds it


def check_manipulator(robot: str, flange_link: str | None, render: str | None = None) -> int:
    """Print the report; 0 if the pick-and-place ids can use the arm, 1 if not. Writes a view to `render`."""
    print(f"arm: {robot}" + (f", flange link {flange_link}" if flange_link else ""))
    try:
        env = gym.make(CHECK_ID, robot=robot, flange_link=flange_link, render_mode="rgb_array")
    except (RobotFileError, FileNotFoundError, TypeError) as err:
        print(f"ERROR: {err}")
        return 1
    try:
        env.reset(seed=0)
        _print_arm(env.unwrapped.robot)
        if render:
            _write_png(env.render(), render)
            print(f"view written to {render}")
    finally:
        env.close()
    print("OK: usable as robot= of the pick-and-place envs")
    return 0


def _print_arm(arm) -> None:
    import pybullet as pb

    cid = arm.sim.client
    if arm.arm_file is not None:
        dropped = ", ".join(arm.arm_file.dropped) or "none"
        print(f"chain: base link {arm.arm_file.base!r} to flange {arm.arm_file.flange_link!r}")
        print(f"links past the flange, left out for the tool: {dropped}")
    print(f"moving joints, base to flange ({len(arm.arm_joints)}):")
    for joint, low, high, force in zip(arm.arm_joints, arm.lower, arm.upper, arm.model_forces):
        name = pb.getJointInfo(arm.body, joint, physicsClientId=cid)[1].decode()
        print(f"  {name:24s} limits [{low:+.3f}, {high:+.3f}] rad, motor force {force:g} N m")
    area, (low, high) = arm.table_area, arm.workspace
    print(f"tool heading at yaw 0: {np.degrees(arm.heading):.0f} deg about the vertical")
    print(f"rest pose (rad): {', '.join(f'{q:+.3f}' for q in arm.rest_pose)}; TCP at {_xyz(arm.tcp)} m")
    x_range, y_range = f"{area.low[0]:.2f}-{area.high[0]:.2f}", f"{area.low[1]:.2f}-{area.high[1]:.2f}"
    print(f"table area (cubes and targets): x {x_range} m, y {y_range} m")
    print(f"TCP box: {_xyz(low)} to {_xyz(high)} m, every grid point reached with the tool down")
    for joint, (stated, capped) in arm.damping_caps.items():
        name = pb.getJointInfo(arm.body, joint, physicsClientId=cid)[1].decode()
        print(f"note: {name}'s damping {stated:g} N m s/rad capped at {capped:.3g} (more swings its link)")


def _xyz(values) -> str:
    return "(" + ", ".join(f"{v:.3f}" for v in values) + ")"


def _write_png(frame: np.ndarray, out: str) -> None:
    import imageio.v2 as imageio

    Path(out).parent.mkdir(parents=True, exist_ok=True)
    imageio.imwrite(out, frame)
