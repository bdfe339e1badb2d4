"""Robo2DPusher-v0 and Robo2DIKPusher-v0: the planar arm pushes a puck to a goal on the table."""

from __future__ import annotations

from dataclasses import replace

from robo2d.core.arguments import Argument
from robo2d.core.env import ComposedEnv
from robo2d.core.parts import EnvParts, Physics
from robo2d.robots.planar.parts import ROBOT_ARGUMENTS, JointStart, PlanarRobot
from robo2d.tasks.base import ACTION_COST, REWARD_TYPE, TaskSpec
from robo2d.tasks.push import PushTask

#: fine enough for fingertip-puck contact at 0.6 m/s; 12 substeps: 20 Hz control
PHYSICS = Physics(timestep=1.0 / 240.0, substeps=12, solver_iterations=30, table_friction=0.5)
START_JOINT_NOISE = 0.1  # rad
START_FOLD = 2.6  # rad at every joint after the first: fingertip near the base, clear of the puck


class PusherEnv(ComposedEnv):
    """Push a puck into a goal region with the fingertip of a planar arm.

    ## Description
    robo2d's planar arm (``urdf/planar_arm.urdf``, two 0.1 m links turning about the vertical axis) has a
    pin hanging from its end; the pin's 8 mm ball, 1.2 cm above the table, is the fingertip. A 40 g puck
    (``urdf/puck.urdf``, 4 cm diameter, 2 cm tall, friction 0.25 against the table) rests on the table; a
    green visual-only disc marks the goal. Only the fingertip is low enough to touch the puck.
    Two ids share this class and differ only in how actions reach the arm (``control``):
    Robo2DPusher-v0 drives the joint motors, Robo2DIKPusher-v0 moves the fingertip through IK.
    ``robot=`` takes any planar arm (the shipped ``"planar_arm_3link"`` or a URDF path): the sampling
    distances, the IK step and its clamp scale with its reach / 0.2 m; the tables show the default arm.

    ## Action space
    ``Box(-1, 1, (2,), float32)``; values outside [-1, 1] are clipped, NaN/inf or a wrong shape raise
    ValueError.

    Robo2DPusher-v0 (``control="velocity"``; ``"torque"`` and ``"position"`` as in Robo2DReacher-v0):

    | index | action | unit |
    |---|---|---|
    | 0 | shoulder target velocity | action * 3.0 rad/s |
    | 1 | elbow target velocity | action * 3.0 rad/s |

    Robo2DIKPusher-v0 (``control="ik"``): the fingertip target moves by action * 0.01 m per step
    (0.2 m/s), is clamped to the reachable annulus (never a wild joint motion), and
    ``calculateInverseKinematics`` turns it into joint position targets. For arms of three or more
    joints (redundant) robo2d's own damped least-squares IK on the arm's kinematics does, with a
    null-space pull away from the joint limits: PyBullet's IK drove the 3-link arm into its elbow limit
    and left it stuck there.

    | index | action | unit |
    |---|---|---|
    | 0 | fingertip target dx | action * 0.01 m per step |
    | 1 | fingertip target dy | action * 0.01 m per step |

    Motors have the file's 1.0 N m effort in each of the step's 12 physics substeps: up to 12 N m (see
    the robots page).

    ## Observation space
    ``Box(17,) float32`` (arm base at the origin):

    | index | part | observation | unit |
    |---|---|---|---|
    | 0-3 | `joint_cos_sin` | cos, sin of each joint angle, base to tip | - |
    | 4-5 | `joint_velocity` | angular velocity of each joint | rad/s |
    | 6-7 | `tip` | fingertip x, y | m |
    | 8-9 | `puck` | puck x, y | m |
    | 10-11 | `puck_yaw_cos_sin` | cos, sin of puck yaw | - |
    | 12-13 | `puck_velocity` | puck velocity x, y | m/s |
    | 14 | `puck_yaw_rate` | puck yaw rate | rad/s |
    | 15-16 | `goal` | goal x, y | m |

    With ``goal_conditioned=True``: Dict with ``observation`` (above), ``achieved_goal`` (puck x, y),
    ``desired_goal`` (goal x, y), and a batch-capable ``compute_reward``.

    ## Rewards
    dense: ``-d - 0.5 * d_tip - 0.01 * |a|^2``: d puck-to-goal and d_tip fingertip-to-puck distance (m);
    info terms ``reward_distance``, ``reward_tip_object``, ``reward_action``.
    sparse: ``-1`` while ``d >= distance_threshold``, else ``0``. ``info["is_success"]`` is
    ``d < distance_threshold``.

    ## Starting state
    Shoulder uniform in [-0.1, 0.1] rad, elbow in [2.5, 2.7] rad (folded, fingertip ~5 cm from the base),
    at rest; an arm with more joints folds each joint after the first to 2.6 rad (at most 0.9 of its
    upper limit), +-0.1 rad. Puck start and goal uniform over the annulus 0.085-0.15 m around the base,
    0.05-0.12 m apart, with the straight push path at least 0.06 m from the base (all distances times
    reach / 0.2 m for other arms, headings within the first joint's limits); puck yaw uniform.

    ## Episode end
    No termination; truncated after 100 steps (5 s at 20 Hz). The table is unbounded: a puck pushed beyond
    the arm's reach stays there and the episode runs to its time limit.

    ## Arguments
    {arguments table}

    ## Physics
    Time step 1/240 s, 12 substeps per action (20 Hz control), 30 solver iterations; the fingertip
    moves at most ~0.6 m/s, 2.5 mm per physics step, far below the puck's 4 cm size (no tunnelling).

    ## Domain randomization
    What ``randomize=`` varies, with its default ranges ("x": a factor on the modelled value); how the
    argument works is in ``robo2d.core.randomization``.

    {randomization table}

    ## Version history
    v0: first release; later ``robot=`` and ``tip_link=``, then ``randomize=`` (with the default robot
    and no randomisation every episode is unchanged, bit for bit: tests/envs/test_golden.py).
    """

    parts = EnvParts(
        PHYSICS,
        PlanarRobot(),
        TaskSpec(PushTask),
        JointStart(START_JOINT_NOISE, START_FOLD),
    )
    arguments = {
        **ROBOT_ARGUMENTS,
        "control": replace(
            ROBOT_ARGUMENTS["control"], meaning='"velocity" (Pusher), "torque", "position" or "ik" (IKPusher)'
        ),
        "reward_type": REWARD_TYPE,
        "distance_threshold": Argument(0.02, "success radius in m (the puck's radius)"),
        "action_cost": ACTION_COST,
        "tip_object_weight": Argument(0.5, "weight of the fingertip-to-puck distance penalty"),
    }
