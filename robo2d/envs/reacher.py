"""Robo2DReacher-v0: a planar arm reaches a target point on the table."""

from __future__ import annotations

from dataclasses import replace

from robo2d.core.arguments import Argument
from robo2d.core.env import COMMON_ARGUMENTS, ComposedEnv
from robo2d.core.parts import EnvParts, Physics
from robo2d.robots.planar.parts import ROBOT_ARGUMENTS, JointStart, PlanarRobot
from robo2d.tasks.base import ACTION_COST, REWARD_TYPE, TaskSpec
from robo2d.tasks.reach import ReachTask

START_JOINT_NOISE = 0.1  # rad, uniform noise on the start joint angles
#: 20 Hz control; velocity motors on light links converge well within 10 solver iterations
PHYSICS = Physics(timestep=1.0 / 60.0, substeps=3, solver_iterations=10)


class ReacherEnv(ComposedEnv):
    """Bring the fingertip of a planar arm to a target point on the table.

    ## Description
    By default robo2d's planar arm (``urdf/planar_arm.urdf``): two 0.1 m aluminium-like links on a
    post, both joints turning about the vertical axis, so the arm moves in one horizontal plane (reach
    0.2 m). ``robot=`` takes any planar arm instead (the shipped ``"planar_arm_3link"``, 0.12 / 0.10 /
    0.06 m, or a URDF path; see ``robo2d check-robot``): the target area, the camera and every size
    below follow its reach, and the action and observation have one entry per joint. The tables show
    the default arm. A green visual-only sphere marks the target; its radius is the success threshold.

    ## Action space
    ``Box(-1, 1, (2,), float32)``; values outside [-1, 1] are clipped, NaN/inf or a wrong shape raise
    ValueError.

    | index | action | unit |
    |---|---|---|
    | 0 | shoulder target velocity | action * 3.0 rad/s (at most 0.15 rad per step) |
    | 1 | elbow target velocity | action * 3.0 rad/s (at most 0.15 rad per step) |

    One row per joint (base to tip) for other arms. Each joint's speed and torque limits are its URDF
    ``<limit velocity effort>`` (1.0 N m and 3 rad/s where the file states none; the shipped arms state
    these). Velocity and position motors get the effort in each of the step's 3 physics substeps (PyBullet
    caps a motor's impulse per substep): up to 3.0 N m; torque control holds it exactly.

    ``control=`` picks how an action drives joint i (every planar id but Robo2DIKPusher-v0):

    | control | action[i] means | unit |
    |---|---|---|
    | `"velocity"` (default) | target velocity action * velocity limit, tracked by a velocity motor | rad/s |
    | `"torque"` | torque action * effort limit, held for the control step | N m |
    | `"position"` | target angle lower + (action + 1) / 2 * (upper - lower), speed-limited | rad |

    (A continuous joint's position target is action * pi rad, reached the short way round.)

    Torque control hands the dynamics to the policy: 1.0 N m on the default arm's 0.1 kg links turns
    the shoulder by ~700 rad/s^2 (the arm's own M(q)^-1), so useful actions are small.

    ## Observation space
    ``Box(10,) float32``:

    | index | part | observation | unit |
    |---|---|---|---|
    | 0-3 | `joint_cos_sin` | cos, sin of each joint angle, base to tip | - |
    | 4-5 | `joint_velocity` | angular velocity of each joint | rad/s |
    | 6-7 | `target` | target x, y (arm base at the origin) | m |
    | 8-9 | `tip_to_target` | target minus tip, x and y | m |

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
    0.04 m <= r <= 0.19 m around the base (0.2 to 0.95 of the reach), in the directions the first joint
    can point (all, unless its limits are narrower).

    ## Episode end
    No termination; truncated after 50 steps (2.5 s at 20 Hz) by the registered ``max_episode_steps``.

    ## Arguments
    {arguments table}

    ## Physics
    Time step 1/60 s, 3 substeps per action (20 Hz control), 10 solver iterations.

    ## Domain randomization
    What ``randomize=`` varies, with its default ranges ("x": a factor on the modelled value); how the
    argument works is in ``robo2d.core.randomization``.

    {randomization table}

    ## Version history
    v0: first release; later ``robot=`` and ``tip_link=``, then ``randomize=`` (with the default robot
    and no randomisation every episode is unchanged, bit for bit: tests/envs/test_golden.py).
    """

    parts = EnvParts(PHYSICS, PlanarRobot(), TaskSpec(ReachTask), JointStart(START_JOINT_NOISE))
    arguments = {
        "render_mode": replace(
            COMMON_ARGUMENTS["render_mode"],
            meaning='None, "rgb_array" (320x240 frames) or "human" (PyBullet GUI)',
        ),
        **ROBOT_ARGUMENTS,
        "reward_type": REWARD_TYPE,
        "distance_threshold": Argument(0.01, "success radius in m (5% of the reach)"),
        "action_cost": ACTION_COST,
    }
