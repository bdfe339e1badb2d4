"""Robo2DKukaSuctionPickPlace-v0: the Kuka iiwa picks a cube with a suction cup and places it."""

from __future__ import annotations

from robo2d.core.env import ComposedEnv
from robo2d.core.parts import EnvParts, Physics
from robo2d.envs.pick_place import PICK_PLACE_ARGUMENTS, PICK_PLACE_TASK, TABLE_FRICTION
from robo2d.robots.manipulators.shipped import ARM_ARGUMENTS, ArmRobot, rest_start
from robo2d.robots.manipulators.suction import SuctionTool

PHYSICS = Physics(timestep=1.0 / 200.0, substeps=10, solver_iterations=30, table_friction=TABLE_FRICTION)


class KukaSuctionPickPlaceEnv(ComposedEnv):
    """Pick a cube with a suction cup on a Kuka iiwa and place it at a target point.

    ## Description
    The Kuka iiwa from pybullet_data (``kuka_iiwa/model.urdf``) stands on the table (the plane z = 0) with
    robo2d's suction tool (``urdf/suction_tool.urdf``: 10 cm shaft, 4 cm cup) welded to its flange. A
    0.1 kg, 5 cm wooden cube (``urdf/cube.urdf``, inertia m s^2 / 6, friction 0.5) lies in front of it; a
    green visual-only sphere marks the target, on the table or up to 25 cm above it.
    Suction: while the command is on and the cup touches the cube, a fixed constraint holds the cube at
    the pose where it was touched (frames relative to both centres of mass, so nothing jumps), with at
    most 40 N; switching off releases it. Suction on with nothing touched attaches nothing.

    ``robot=`` takes another arm: the shipped ``"panda"`` (pybullet_data ``franka_panda/panda.urdf``,
    tool on ``panda_link8``, its hand removed) or ``"xarm6"`` (``xarm/xarm6_robot.urdf``, on ``link6``),
    or any fixed-base 6/7-DoF URDF of revolute joints (``flange_link=`` names the link the tool mounts on,
    its +z axis out of the arm; links past it are dropped). Its joints, limits and motor forces come from
    the file; its rest pose (tool down, 0.3 m over the table area's centre) and the table area are found
    by its own IK at ``gym.make``: the 0.2 x 0.3 m area the cube and target are drawn in is centred at the
    farthest x of 0.55, 0.5, ... 0.3 m where the tool reaches every point of it pointing down, and the TCP
    box below widens it as for the Kuka. An arm that cannot is refused, naming the file and what to
    change. The tables show the Kuka.

    ## Action space
    ``Box(-1, 1, (4,), float32)``; values outside [-1, 1] are clipped, NaN/inf or a wrong shape raise
    ValueError.

    | index | action | unit |
    |---|---|---|
    | 0 | TCP target dx | action * 0.025 m per step |
    | 1 | TCP target dy | action * 0.025 m per step |
    | 2 | TCP target dz | action * 0.025 m per step |
    | 3 | suction | > 0 on, <= 0 off |

    The TCP (cup centre) target is clamped to x 0.3-0.7 m, y -0.25-0.25 m, z 0.045-0.35 m (all reachable
    with the tool down; the cup never reaches the table) and solved by PyBullet IK with the tool pointing
    down; the null space (joint limits, rest pose) keeps the elbow up. Position motors have the file's
    300 N m effort, applied by PyBullet in each of the step's 10 physics substeps (see the robots page).

    ## Observation space
    ``Box(27,) float32`` (robot base at the origin, z up):

    | index | part | observation | unit |
    |---|---|---|---|
    | 0-2 | `tcp` | TCP x, y, z | m |
    | 3-5 | `flange_velocity` | flange velocity | m/s |
    | 6 | `suction_on` | suction on | 0/1 |
    | 7 | `attached` | cube attached | 0/1 |
    | 8-10 | `cube_position` | cube x, y, z | m |
    | 11-14 | `cube_orientation` | cube orientation quaternion (x, y, z, w) | - |
    | 15-17 | `cube_velocity` | cube linear velocity | m/s |
    | 18-20 | `cube_angular_velocity` | cube angular velocity | rad/s |
    | 21-23 | `cube_minus_tcp` | cube minus TCP | m |
    | 24-26 | `target` | target x, y, z | m |

    With ``goal_conditioned=True``: Dict with ``observation`` (above), ``achieved_goal`` (cube x, y, z),
    ``desired_goal`` (target), and a batch-capable ``compute_reward``.

    ## Rewards
    dense (staged): ``-d - 0.5 * d_reach + 0.1 * attached - 0.01 * |a|^2``, with d cube-to-target and
    d_reach TCP-to-cube distance (m); info terms ``reward_distance``, ``reward_reach``, ``reward_grasp``,
    ``reward_action``. sparse: ``-1`` while ``d >= distance_threshold``, else ``0``.
    ``info["is_success"]`` is ``d < distance_threshold``; ``info["is_grasped"]`` is the attached flag.

    ## Starting state
    Arm at its rest pose (tool down, TCP near (0.55, 0, 0.3)), suction off. Cube uniform in
    x 0.45-0.65 m, y -0.15-0.15 m on the table, yaw uniform in [-45, 45] degrees; target uniform in the
    same box at least 0.1 m from the cube, on the table (half the episodes) or 5-25 cm above it.

    ## Episode end
    No termination; truncated after 100 steps (5 s at 20 Hz).

    ## Arguments
    {arguments table}

    ## Physics
    Time step 1/200 s, 10 substeps per action (20 Hz control), 30 solver iterations; suction holding
    force 40 N.

    ## Domain randomization
    What ``randomize=`` varies, with its default ranges ("x": a factor on the modelled value); how the
    argument works is in ``robo2d.core.randomization``.

    {randomization table}

    ## Version history
    v0: first release; later ``randomize=`` (without it every episode is unchanged, bit for bit:
    tests/envs/test_golden.py).
    """

    parts = EnvParts(PHYSICS, ArmRobot(SuctionTool()), PICK_PLACE_TASK, rest_start)
    arguments = {**ARM_ARGUMENTS, **PICK_PLACE_ARGUMENTS}
