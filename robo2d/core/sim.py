"""Sim: a thin wrapper over one PyBullet physics client per environment instance.

Every call names the client explicitly, so many envs can live in one process; nothing touches
PyBullet's module-global default client.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pybullet as pb

from robo2d.core.assets import asset_path
from robo2d.core.display import DisplayProbe

GRAVITY = -9.81
_gui_in_use = False  # PyBullet allows one GUI connection per process.


def connected_clients() -> int:
    """PyBullet clients connected in this process now (ids are never reused, so count up to the next)."""
    probe = pb.connect(pb.DIRECT)
    pb.disconnect(probe)
    return sum(pb.isConnected(physicsClientId=i) for i in range(probe))


class DisplayUnavailableError(RuntimeError):
    """Raised instead of letting PyBullet kill the process when no display is available."""


def require_display() -> None:
    """DisplayUnavailableError (with what to do) unless the PyBullet GUI can open a window."""
    with DisplayProbe() as display:
        available = display.available
    if not available:
        raise DisplayUnavailableError(
            "the PyBullet GUI needs an X display, and none can be opened (DISPLAY is unset or refused): "
            "drop --gui / use render_mode=None or 'rgb_array', or run under `xvfb-run -a`"
        )


class Sim:
    """One PyBullet client: connect, load assets, step a control period, save/restore state, camera."""

    def __init__(
        self,
        gui: bool = False,
        timestep: float = 0.01,
        substeps: int = 5,
        solver_iterations: int = 20,
    ) -> None:
        self.timestep = timestep
        self.substeps = substeps
        self.solver_iterations = solver_iterations
        self.client = self._connect(gui)
        self.gui = gui
        cid = self.client
        pb.setGravity(0, 0, GRAVITY, physicsClientId=cid)
        # One stepSimulation call advances a whole control period: Bullet runs the substeps internally,
        # which saves a Python round trip and Bullet's per-call bookkeeping for every substep (torque
        # control steps one physics step per call instead: step_each_physics_step).
        pb.setPhysicsEngineParameter(
            fixedTimeStep=timestep * substeps,
            numSubSteps=substeps,
            numSolverIterations=solver_iterations,
            physicsClientId=cid,
        )
        self._step_once = functools.partial(pb.stepSimulation, physicsClientId=cid)
        self._before_each_step: Callable[[], None] | None = None  # see step_each_physics_step

    @staticmethod
    def _connect(gui: bool) -> int:
        global _gui_in_use
        if not gui:
            return pb.connect(pb.DIRECT)
        if _gui_in_use:
            raise RuntimeError(
                "PyBullet allows only one GUI window per process; close the other human-mode env first "
                "or use render_mode='rgb_array'."
            )
        with DisplayProbe() as display:  # held open while PyBullet connects: see robo2d.core.display
            if not display.available:
                raise DisplayUnavailableError(
                    "render_mode='human' opens the PyBullet GUI, but no X display is available "
                    "(DISPLAY is unset or cannot be opened). Run headless with render_mode=None or "
                    "'rgb_array', or start a virtual display: `xvfb-run -a python your_script.py`."
                )
            cid = pb.connect(pb.GUI)
        _gui_in_use = True
        pb.configureDebugVisualizer(pb.COV_ENABLE_GUI, 0, physicsClientId=cid)
        return cid

    @property
    def control_dt(self) -> float:
        """Seconds of simulated time per env step."""
        return self.timestep * self.substeps

    def load(self, name: str, position=(0.0, 0.0, 0.0), orientation=(0.0, 0.0, 0.0, 1.0), **kwargs) -> int:
        """Load a URDF or SDF by file name (robo2d's own assets first, then pybullet_data)."""
        path = asset_path(name)
        if path.endswith(".sdf"):
            body = pb.loadSDF(path, physicsClientId=self.client)[0]
            pb.resetBasePositionAndOrientation(body, position, orientation, physicsClientId=self.client)
            return body
        return pb.loadURDF(path, position, orientation, physicsClientId=self.client, **kwargs)

    def load_table(self, friction: float | None = None) -> int:
        """The table top: PyBullet's plane at z = 0, with its lateral friction set when given."""
        table = self.load("plane.urdf")
        if friction is not None:
            pb.changeDynamics(table, -1, lateralFriction=friction, physicsClientId=self.client)
        return table

    def com_pose(self, body: int, link: int = -1) -> tuple:
        """World pose of a link's (or the base's) centre of mass: the frame constraints are relative to."""
        if link == -1:
            return pb.getBasePositionAndOrientation(body, physicsClientId=self.client)
        return pb.getLinkState(body, link, computeForwardKinematics=1, physicsClientId=self.client)[:2]

    def weld(self, parent: int, parent_link: int, child: int, max_force: float) -> int:
        """Fix `child`'s base to a link at their current relative pose, without a jump.

        Constraint frames are relative to each link's centre of mass, so the relative pose is taken
        between the centres of mass (the link frame would be off by the COM offset, ~2 cm on a Kuka).
        """
        cid = self.client
        parent_pos, parent_orn = self.com_pose(parent, parent_link)
        child_pos, child_orn = self.com_pose(child)
        inv_pos, inv_orn = pb.invertTransform(parent_pos, parent_orn)
        rel_pos, rel_orn = pb.multiplyTransforms(inv_pos, inv_orn, child_pos, child_orn)
        constraint = pb.createConstraint(
            parent,
            parent_link,
            child,
            -1,
            pb.JOINT_FIXED,
            (0, 0, 0),
            rel_pos,
            (0, 0, 0),
            parentFrameOrientation=rel_orn,
            childFrameOrientation=(0, 0, 0, 1),
            physicsClientId=cid,
        )
        pb.changeConstraint(constraint, maxForce=max_force, physicsClientId=cid)
        return constraint

    def create_marker(self, radius: float, rgba, position=(0.0, 0.0, 0.0)) -> int:
        """A visual-only sphere (no collision, no mass): goal and target markers."""
        shape = pb.createVisualShape(
            pb.GEOM_SPHERE, radius=radius, rgbaColor=rgba, physicsClientId=self.client
        )
        return pb.createMultiBody(
            baseMass=0.0, baseVisualShapeIndex=shape, basePosition=position, physicsClientId=self.client
        )

    def move_body(self, body: int, position, orientation=(0.0, 0.0, 0.0, 1.0)) -> None:
        """Teleport a body (markers, objects at reset) and zero its velocity."""
        pb.resetBasePositionAndOrientation(body, position, orientation, physicsClientId=self.client)
        pb.resetBaseVelocity(body, (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), physicsClientId=self.client)

    def split_steps(self, now: int, wanted: int) -> None:
        """Integrate each control period in physics steps `wanted` times shorter than the id's own, where
        they are `now` times shorter (same control rate)."""
        self.timestep, self.substeps = self.timestep * now / wanted, self.substeps // now * wanted
        self._set_step_length()

    def step_each_physics_step(self, before_each: Callable[[], None]) -> None:
        """From now on, one stepSimulation call per physics step, `before_each` called before each.

        Within one call PyBullet holds the joint damping torque it computed at the call's start for all
        its internal substeps, and it clears applied joint torques when the call returns. Torque control
        needs both per physics step: damping integrated over one step, not a whole control period (which
        makes a damped light arm blow up), and its torques re-sent every step (`before_each`). One
        callback per sim: a sim holds one robot."""
        self._before_each_step = before_each
        self._set_step_length()
        self._step_once = self._step_one_by_one

    def _step_one_by_one(self) -> None:
        for _ in range(self.substeps):
            self._before_each_step()
            pb.stepSimulation(physicsClientId=self.client)

    def _set_step_length(self) -> None:
        """The length of one stepSimulation call: a control period in substeps, or one physics step."""
        one_by_one = self._before_each_step is not None
        pb.setPhysicsEngineParameter(
            fixedTimeStep=self.timestep if one_by_one else self.timestep * self.substeps,
            numSubSteps=1 if one_by_one else self.substeps,
            physicsClientId=self.client,
        )

    def set_solver_iterations(self, iterations: int) -> None:
        """More constraint-solver iterations (a light arm's motors need them: robots/planar/motion_check)."""
        self.solver_iterations = iterations
        pb.setPhysicsEngineParameter(numSolverIterations=iterations, physicsClientId=self.client)

    def step(self) -> None:
        """Advance one control period: `substeps` physics steps of `timestep` seconds."""
        self._step_once()

    def save_state(self) -> int:
        return pb.saveState(physicsClientId=self.client)

    def restore_state(self, state_id: int) -> None:
        """Restore positions, velocities and the contact cache, so episodes replay bit for bit."""
        pb.restoreState(stateId=state_id, physicsClientId=self.client)

    def aim_gui_camera(self, target, distance: float, yaw: float, pitch: float) -> None:
        """Point the GUI's camera (PyBullet's default view shows these small scenes as a speck)."""
        pb.resetDebugVisualizerCamera(distance, yaw, pitch, target, physicsClientId=self.client)

    def camera_image(self, width: int, height: int, target, distance: float, yaw: float, pitch: float):
        """RGB uint8 (height, width, 3) from a camera orbiting `target` (TinyRenderer, headless)."""
        cid = self.client
        view = pb.computeViewMatrixFromYawPitchRoll(target, distance, yaw, pitch, 0.0, 2, physicsClientId=cid)
        proj = pb.computeProjectionMatrixFOV(45.0, width / height, 0.02, 10.0, physicsClientId=cid)
        renderer = pb.ER_BULLET_HARDWARE_OPENGL if self.gui else pb.ER_TINY_RENDERER
        _, _, rgba, _, _ = pb.getCameraImage(
            width, height, view, proj, renderer=renderer, physicsClientId=cid
        )
        return np.asarray(rgba, dtype=np.uint8).reshape(height, width, 4)[:, :, :3].copy()

    def close(self) -> None:
        """Disconnect; safe to call more than once."""
        global _gui_in_use
        if self.client < 0:
            return
        if pb.isConnected(physicsClientId=self.client):
            pb.disconnect(physicsClientId=self.client)
        if self.gui:
            _gui_in_use = False
        self.client = -1
