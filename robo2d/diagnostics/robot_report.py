"""`robo2d check-robot FILE.urdf`: what robo2d sees in a planar robot's URDF, and what is wrong with it.

The file goes through exactly the checks ``gym.make(..., robot=FILE)`` makes (robots/urdf_check.py,
the planar arm's kinematics, and robots/planar/motion_check.py in motion), in DIRECT PyBullet clients of its
own. The report lists what of the file was ignored, links, joints, axes, limits, motor limits, masses
and inertias, reach and the workspaces the planar tasks sample in, the solver iterations each id's
physics needs for this arm, a step response per joint in each control mode, then warnings (usable,
but probably not what was meant) and the error, if any. Exit status 1 exactly where gym.make refuses
the file.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pybullet as pb

from robo2d.core.parts import Physics
from robo2d.core.raster import TopDownRaster
from robo2d.core.sim import Sim
from robo2d.envs import pusher, reacher
from robo2d.robots.planar import motion_check
from robo2d.robots.planar.arm import JOINT_CONTROLS, TORQUE_CONTROL, PlanarArm
from robo2d.robots.urdf_check import RobotFileError
from robo2d.tasks.push import PUCK_HEIGHT, SAMPLE_RADII
from robo2d.tasks.reach import MAX_RADIUS_FRACTION, MIN_RADIUS_FRACTION

RENDER_SIZE = 480  # px, square
RENDER_MARGIN = 1.25  # the picture shows +- this times the reach around the base
REACH_RGB, PUSH_RGB = (40, 170, 60), (200, 120, 30)


def check_robot(path: str, tip_link: str = "tip", render: str | None = None) -> int:
    """Print the report; 0 if robo2d can use the file, 1 if not. Writes a top view to `render`."""
    print(f"robot file: {Path(path).expanduser()}")
    physics = reacher.PHYSICS
    sim = Sim(
        timestep=physics.timestep, substeps=physics.substeps, solver_iterations=physics.solver_iterations
    )
    try:
        try:
            arm = PlanarArm(sim, path, tip_link)
            iterations = {p: motion_check.solver_iterations(arm, p) for p in PHYSICS_BY_IDS.values()}
        except (RobotFileError, FileNotFoundError) as err:
            print(f"ERROR: {err}")
            return 1
        _print_model(sim, arm)
        _print_motion(arm, iterations)
        warnings = _warnings(arm) + _motion_warnings(sim, arm)
        for text in warnings:
            print(f"warning: {text}")
        if render:
            try:
                _render(sim, arm, render)
                print(f"top view written to {render}")
            except ValueError as err:  # a visual the top-down drawing has no shape for (a mesh)
                print(f"warning: no top view: {err}")
        noted = f" ({len(warnings)} warnings)" if warnings else ""
        print(f"OK: usable as robot= of the planar envs{noted}")
        return 0
    finally:
        sim.close()


def _print_model(sim: Sim, arm: PlanarArm) -> None:
    cid, chain, kin = sim.client, arm.chain, arm.kinematics
    if chain.ignored:
        print(f"ignored (not part of the model): {', '.join(chain.ignored)}")
    if chain.massless:
        print(f"massless frame links (no <inertial>): {', '.join(chain.massless)}")
    print(f"base link {chain.base!r}, tip link {chain.tip!r}, {arm.n_joints} moving joint(s)")
    print("joints (base to tip):")
    for joint in chain.joints:
        line = f"  {joint.name:20s} {joint.kind:10s} {joint.parent} -> {joint.child}"
        if joint.kind == "revolute":
            line += f"  limits [{joint.lower:+.3f}, {joint.upper:+.3f}] rad"
        print(line)
    print("motors (from <limit effort velocity>; robo2d's 1.0 N m and 3 rad/s where the file states none):")
    for joint, torque, speed in zip(chain.moving, arm.max_torques, arm.max_velocities):
        stated = (
            "file" if joint.effort and joint.velocity else "default" if not joint.effort else "partly file"
        )
        print(f"  {joint.name:20s} {torque:.3g} N m, {speed:.3g} rad/s ({stated})")
    print("links (mass kg; principal inertia kg m^2):")
    for link in range(-1, pb.getNumJoints(arm.body, physicsClientId=cid)):
        info = pb.getDynamicsInfo(arm.body, link, physicsClientId=cid)
        if link < 0:
            print(f"  {chain.base:20s} (fixed base: held by the world)")
            continue
        name = pb.getJointInfo(arm.body, link, physicsClientId=cid)[12].decode()
        print(f"  {name:20s} {info[0]:8.4f}   {' '.join(f'{x:.2e}' for x in info[2])}")
    lengths = ", ".join(f"{x:.4f}" for x in kin.link_lengths)
    print(f"segment lengths (m): {lengths}; reach {kin.reach:.4f} m, nearest {kin.min_reach:.4f} m")
    print(f"axes: all vertical ({', '.join('+z' if s > 0 else '-z' for s in kin.signs)})")
    lo, hi = kin.heading_range()
    print(f"headings the first joint reaches: {math.degrees(lo):.0f} to {math.degrees(hi):.0f} deg")
    print(f"tip: {arm.tip_height:.4f} m above the table, collision radius {arm.tip_radius:.4f} m")
    r_lo, r_hi = MIN_RADIUS_FRACTION * kin.reach, MAX_RADIUS_FRACTION * kin.reach
    print(f"reacher targets: annulus {r_lo:.3f}-{r_hi:.3f} m around the base")
    p_lo, p_hi = SAMPLE_RADII[0] * kin.scale, SAMPLE_RADII[1] * kin.scale
    print(f"pusher puck and goals: annulus {p_lo:.3f}-{p_hi:.3f} m around the base")


#: the distinct physics of the planar ids, by the ids that use them
PHYSICS_BY_IDS = {
    "Reacher, PixelReacher, OneJoint": reacher.PHYSICS,
    "Pusher, IKPusher": pusher.PHYSICS,
}


def _print_motion(arm: PlanarArm, iterations: dict[Physics, int]) -> None:
    """Solver iterations per physics, and each joint's step response per control mode."""
    for ids, physics in PHYSICS_BY_IDS.items():
        chosen = iterations[physics]
        note = "" if chosen == physics.solver_iterations else f" (the ids' own {physics.solver_iterations})"
        print(f"solver iterations for {ids}: {chosen}{note}")
    physics = PHYSICS_BY_IDS["Reacher, PixelReacher, OneJoint"]
    print(
        f"step responses at {1 / (physics.timestep * physics.substeps):.0f} Hz control "
        "(one joint stepped, the others held):"
    )
    print(
        f"  {'joint':14s} {'control':9s} {'commanded':>12s} {'reached':>12s} {'overshoot':>9s} "
        f"{'settle':>7s} {'held joints':>12s}"
    )
    for control in JOINT_CONTROLS:
        try:
            responses = motion_check.step_responses(
                arm.path, arm.chain.tip, physics, iterations[physics], control
            )
        except RobotFileError as err:
            print(f"  {control}: not usable: {err}")
            continue
        for r in responses:
            settle = f"{r.settle_steps} st" if r.settle_steps else "never"
            print(
                f"  {r.joint:14s} {r.control:9s} {r.commanded:9.3g} {r.unit:>2s} {r.reached:9.3g} "
                f"{r.unit:>2s} {r.overshoot:9.0%} {settle:>7s} {r.others:8.3g} rad/s"
            )


def _motion_warnings(sim: Sim, arm: PlanarArm) -> list[str]:
    out = []
    pairs = motion_check.self_contacts(sim, arm)
    if pairs:
        names = ", ".join(f"{a}/{b}" for a, b in pairs)
        out.append(
            f"links touch each other at zero joint angles ({names}); robo2d does not collide an arm "
            "with itself"
        )
    scratch = Sim(timestep=sim.timestep, substeps=sim.substeps)  # torque control changes how its sim steps
    try:
        factor = PlanarArm(scratch, arm.path, arm.chain.tip, TORQUE_CONTROL).split
    except RobotFileError as err:
        return [*out, f'control="torque" refuses this arm: {err}']
    finally:
        scratch.close()
    if factor > 1:
        out.append(f'control="torque" splits each physics step {factor} times for this arm (joint damping)')
    return out


def _warnings(arm: PlanarArm) -> list[str]:
    out = []
    if arm.tip_radius == 0.0:
        out.append("the tip link has no collision sphere: it cannot push anything (pusher ids)")
    if arm.tip_height - arm.tip_radius > PUCK_HEIGHT:
        out.append(
            f"the tip's underside is {arm.tip_height - arm.tip_radius:.3f} m above the table, over the "
            f"{PUCK_HEIGHT} m puck: the pusher ids cannot touch it"
        )
    if arm.n_joints == 1:
        out.append("one joint: Robo2DOneJoint-v0 takes it; the reachers and pushers need two or more")
    return out


def _render(sim: Sim, arm: PlanarArm, out: str) -> None:
    """The arm at zero angles from above, reach and push annuli marked."""
    half = RENDER_MARGIN * arm.reach
    raster = TopDownRaster(sim, [arm.body], RENDER_SIZE, arm.base_xy, half)
    image = np.ascontiguousarray(raster.render())
    centre = (RENDER_SIZE // 2, RENDER_SIZE // 2)
    kin = arm.kinematics
    rings = [
        (MIN_RADIUS_FRACTION * kin.reach, REACH_RGB),
        (MAX_RADIUS_FRACTION * kin.reach, REACH_RGB),
        (SAMPLE_RADII[0] * kin.scale, PUSH_RGB),
        (SAMPLE_RADII[1] * kin.scale, PUSH_RGB),
    ]
    for radius, colour in rings:
        cv2.circle(image, centre, int(round(radius * raster.px_per_m)), colour, 1, cv2.LINE_AA)
    for row, (text, colour) in enumerate((("reacher targets", REACH_RGB), ("pusher puck, goals", PUSH_RGB))):
        cv2.putText(image, text, (8, 20 + 20 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, cv2.LINE_AA)
    cv2.imwrite(out, cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
