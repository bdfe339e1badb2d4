"""Robo2DReacher-v0: a planar 2-link arm reaches a target point on the table."""

from __future__ import annotations

import numpy as np

from robo2d.core.env import RobotTaskEnv
from robo2d.core.sim import Sim
from robo2d.robots.planar_arm import PlanarArm
from robo2d.tasks.reach import ReachTask

TIMESTEP = 1.0 / 60.0  # s per physics step
SUBSTEPS = 3  # physics steps per env step: 20 Hz control
SOLVER_ITERATIONS = 10  # velocity motors on two light links converge well within 10
START_JOINT_NOISE = 0.1  # rad, uniform noise on the start joint angles


class ReacherEnv(RobotTaskEnv):
    """Bring the fingertip of a planar 2-link arm to a target point on the table.

    ## Description
    robo2d's own planar arm (``urdf/planar_arm.urdf``): two 0.1 m aluminium-like links on a post,
    both joints turning about the vertical axis, so the arm moves in one horizontal plane (reach 0.2 m).
    A green visual-only sphere marks the target; its radius is the success threshold.

    ## Action space
    ``Box(-1, 1, (2,), float32)``; values outside [-1, 1] are clipped, NaN/inf or a wrong shape raise
    ValueError.

    | index | action | unit |
    |---|---|---|
    | 0 | shoulder target velocity | action * 3.0 rad/s (at most 0.15 rad per step) |
    | 1 | elbow target velocity | action * 3.0 rad/s (at most 0.15 rad per step) |

    Velocity motors track the targets with at most 1.0 N m of torque.

    ## Observation space
    ``Box(10,) float32``:

    | index | observation | unit |
    |---|---|---|
    | 0-1 | cos, sin of the shoulder angle | - |
    | 2-3 | cos, sin of the elbow angle | - |
    | 4-5 | shoulder, elbow angular velocity | rad/s |
    | 6-7 | target x, y (arm base at the origin) | m |
    | 8-9 | target minus fingertip, x and y | m |

    With ``goal_conditioned=True`` the observation is a Dict: ``observation`` (the table above),
    ``achieved_goal`` (fingertip x, y) and ``desired_goal`` (target x, y), and the env has
    ``compute_reward(achieved_goal, desired_goal, info)``, batch-capable for HER.

    ## Rewards
    dense: ``-d - 0.01 * |a|^2``, with d the fingertip-to-target distance in metres and a the clipped
    action; info terms ``reward_distance`` and ``reward_action``.
    sparse: ``-1`` while ``d >= distance_threshold``, else ``0``.
    ``info["is_success"]`` is ``d < distance_threshold``; ``info["distance"]`` is d.

    ## Starting state
    Joint angles uniform in [-0.1, 0.1] rad, at rest. Target uniform over the area of the annulus
    0.04 m <= r <= 0.19 m around the base (0.2 to 0.95 of the reach).

    ## Episode end
    No termination; truncated after 50 steps (2.5 s at 20 Hz) by the registered ``max_episode_steps``.

    ## Arguments
    | argument | default | meaning |
    |---|---|---|
    | `render_mode` | `None` | None, "rgb_array" (320x240 frames) or "human" (PyBullet GUI) |
    | `reward_type` | `"dense"` | "dense" or "sparse" |
    | `goal_conditioned` | `False` | Dict observation and compute_reward, for HER |
    | `distance_threshold` | `0.01` | success radius in m (5% of the reach) |
    | `action_cost` | `0.01` | weight of the squared-action penalty |

    ## Physics
    Time step 1/60 s, 3 substeps per action (20 Hz control), 10 solver iterations.

    ## Version history
    v0: first release.
    """

    camera = {"target": (0.0, 0.0, 0.0), "distance": 0.55, "yaw": 0.0, "pitch": -89.0}

    def __init__(
        self,
        render_mode: str | None = None,
        reward_type: str = "dense",
        goal_conditioned: bool = False,
        distance_threshold: float = 0.01,
        action_cost: float = 0.01,
    ) -> None:
        sim = Sim(render_mode == "human", TIMESTEP, SUBSTEPS, SOLVER_ITERATIONS)
        sim.load_table()
        arm = PlanarArm(sim)
        task = ReachTask(sim, arm, reward_type, distance_threshold, action_cost)
        self._setup(sim, arm, task, render_mode)

    def _reset_scene(self, rng: np.random.Generator) -> None:
        self.robot.reset(rng.uniform(-START_JOINT_NOISE, START_JOINT_NOISE, self.robot.n_joints))
        self.task.reset(rng)
