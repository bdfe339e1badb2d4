"""Robo2DOneJoint-v0: the smallest robo2d env, one joint turned to a target angle."""

from __future__ import annotations

from robo2d.core.arguments import ANY, Argument
from robo2d.core.env import ComposedEnv
from robo2d.core.parts import EnvParts, Physics
from robo2d.robots.planar.parts import ROBOT_ARGUMENTS, PlanarRobot, UniformJointStart
from robo2d.tasks.base import ACTION_COST, REWARD_TYPE, TaskSpec
from robo2d.tasks.turn import TurnTask

PHYSICS = Physics(timestep=1.0 / 60.0, substeps=3, solver_iterations=10)  # 20 Hz control


class OneJointEnv(ComposedEnv):
    """Turn a one-joint robot's pointer to a target angle.

    ## Description
    robo2d's one-joint robot (``urdf/one_joint.urdf``): a 0.15 m pointer on a continuous joint about the
    vertical axis. A green visual-only sphere at the pointer's reach marks the target angle.
    ``robot=`` takes another one-joint URDF (a shipped robot's name or a path; any other number of
    joints is refused with the reason).

    ## Action space
    ``Box(-1, 1, (1,), float32)``; values outside [-1, 1] are clipped, NaN/inf or a wrong shape raise
    ValueError.

    | index | action | unit |
    |---|---|---|
    | 0 | joint target velocity | action * 3.0 rad/s (at most 0.15 rad per step) |

    A velocity motor tracks the target with the URDF's ``<limit effort velocity>`` (1.0 N m), which
    PyBullet applies in each of the step's 3 physics substeps: up to 3.0 N m (see the robots page).
    ``control="torque"``: action * 1.0 N m of torque; ``control="position"``: target angle action * pi
    rad, reached the short way round (see Robo2DReacher-v0).

    ## Observation space
    ``Box(5,) float32``:

    | index | part | observation | unit |
    |---|---|---|---|
    | 0-1 | `joint_cos_sin` | cos, sin of each joint angle, base to tip | - |
    | 2 | `joint_velocity` | angular velocity of each joint | rad/s |
    | 3-4 | `target_cos_sin` | cos, sin of the target angle | - |

    With ``goal_conditioned=True``: Dict with ``observation`` (above), ``achieved_goal`` (cos, sin of the
    joint angle), ``desired_goal`` (cos, sin of the target), and a batch-capable ``compute_reward``.

    ## Rewards
    dense: ``-d - 0.01 * |a|^2`` with d = 2 sin(|angle error| / 2), the chord between achieved and desired
    goal; info terms ``reward_distance`` and ``reward_action``. sparse: ``-1`` while
    ``d >= distance_threshold``, else ``0``. ``info["is_success"]`` is ``d < distance_threshold``.

    ## Starting state
    Joint angle uniform in [-pi, pi) at rest; target angle uniform in [-pi, pi).

    ## Episode end
    No termination; truncated after 50 steps (2.5 s at 20 Hz).

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

    parts = EnvParts(PHYSICS, PlanarRobot(joints=1), TaskSpec(TurnTask), UniformJointStart())
    arguments = {
        **ROBOT_ARGUMENTS,
        "robot": Argument(
            "one_joint", "the robot: a shipped robot's name or a URDF path, with one joint", ANY
        ),
        "tip_link": Argument("tip", "the link at the pointer's end", ANY),
        "reward_type": REWARD_TYPE,
        "distance_threshold": Argument(0.05, "success chord (0.05 is an angle error of 2.9 degrees)"),
        "action_cost": ACTION_COST,
    }
