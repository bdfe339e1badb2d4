"""Robo2DKukaJawPickPlace-v0: the Kuka iiwa picks a cube with a two-finger jaw gripper and places it."""

from __future__ import annotations

from dataclasses import replace

from robo2d.core.env import ComposedEnv
from robo2d.core.parts import EnvParts, Physics
from robo2d.envs.pick_place import PICK_PLACE_ARGUMENTS, PICK_PLACE_TASK, TABLE_FRICTION
from robo2d.robots.manipulators.jaw import JawTool
from robo2d.robots.manipulators.parallel_jaw import ParallelJawTool
from robo2d.robots.manipulators.shipped import ARM_ARGUMENTS, KUKA_WITH_GRIPPER, ArmRobot, rest_start

# friction anchors on the pads hold the cube; 100 Hz physics, 30 solver iterations then suffice
PHYSICS = Physics(timestep=1.0 / 100.0, substeps=5, solver_iterations=30, table_friction=TABLE_FRICTION)


class KukaJawPickPlaceEnv(ComposedEnv):
    """Pick a cube with the Kuka iiwa's two-finger jaw gripper and place it at a target point.

    ## Description
    pybullet_data's ``kuka_iiwa/kuka_with_gripper2.sdf`` (the iiwa with a two-finger gripper) stands on
    the table (the plane z = 0). The same 0.1 kg, 5 cm cube and target as Robo2DKukaSuctionPickPlace-v0
    (same task code); only the tool differs. Grasp settings and why: box collision shape and real
    inertia for the cube; finger pads with friction 1.0 and friction anchors (without anchors the
    contacts creep: a held cube slid ~1 mm every few steps and 3 of 20 lift-carry-hold grasps dropped
    it; with them all held); finger motors allowed 30 N m (far more than squeezing the cube takes,
    so a grasp never meets that limit) at PyBullet's default position gain (stiffer gains made grasps
    worse: 0.2 and 1.0 were tried); the TCP workspace keeps the open fingertips 2.5 cm above the
    table (1.6 cm closed on nothing), because grasps fail when fingertips touch the table while
    closing. Measured: 50 of 50 lift-carry-hold grasps hold, median slip 0.3 mm, largest 4.6 mm.

    ``robot=`` takes another arm, as for Robo2DKukaSuctionPickPlace-v0 (the shipped ``"panda"`` and
    ``"xarm6"``, or a 6/7-DoF URDF with ``flange_link=``); it carries robo2d's own parallel jaw gripper
    (``urdf/jaw_gripper.urdf``: two fingers on prismatic joints, 0-10 cm between 3 x 3 cm pads, 20 N
    grip; TCP between the pads 0.115 m from the flange; its opening reads in m), the Kuka keeps the SDF's
    gripper. A damping the file states is capped where PyBullet's explicit damping would swing a light
    link (``robo2d check-robot`` notes it). The tables show the Kuka.

    ## Action space
    ``Box(-1, 1, (5,), float32)``; values outside [-1, 1] are clipped, NaN/inf or a wrong shape raise
    ValueError.

    | index | action | unit |
    |---|---|---|
    | 0 | TCP target dx | action * 0.025 m per step |
    | 1 | TCP target dy | action * 0.025 m per step |
    | 2 | TCP target dz | action * 0.025 m per step |
    | 3 | tool yaw change | action * 0.2 rad per step, yaw kept within +-pi/2 |
    | 4 | gripper | -1 closed ... +1 open (0.3 rad per finger, ~10 cm between the pads) |

    The TCP (between the finger pads) target is clamped to x 0.3-0.7 m, y -0.25-0.25 m, z 0.048-0.35 m
    and solved by PyBullet IK with the tool pointing down and turned by the yaw; the SDF's +-10 rad finger
    limits are none, so finger commands are clamped in code.

    ## Observation space
    ``Box(28,) float32`` (robot base at the origin, z up):

    | index | part | observation | unit |
    |---|---|---|---|
    | 0-2 | `tcp` | TCP x, y, z | m |
    | 3-5 | `flange_velocity` | flange velocity | m/s |
    | 6 | `tool_yaw` | tool yaw | rad |
    | 7 | `finger_opening` | finger opening | rad |
    | 8 | `grasped` | cube held between both fingers (is_grasped) | 0/1 |
    | 9-11 | `cube_position` | cube x, y, z | m |
    | 12-15 | `cube_orientation` | cube orientation quaternion (x, y, z, w) | - |
    | 16-18 | `cube_velocity` | cube linear velocity | m/s |
    | 19-21 | `cube_angular_velocity` | cube angular velocity | rad/s |
    | 22-24 | `cube_minus_tcp` | cube minus TCP | m |
    | 25-27 | `target` | target x, y, z | m |

    With ``goal_conditioned=True``: Dict with ``observation`` (above), ``achieved_goal`` (cube x, y, z),
    ``desired_goal`` (target), and a batch-capable ``compute_reward``.

    ## Rewards
    dense (staged): ``-d - 0.5 * d_reach + 0.1 * grasped - 0.01 * |a|^2``, with d cube-to-target and
    d_reach TCP-to-cube distance (m); info terms ``reward_distance``, ``reward_reach``, ``reward_grasp``,
    ``reward_action``. sparse: ``-1`` while ``d >= distance_threshold``, else ``0``.
    ``info["is_success"]`` is ``d < distance_threshold``; ``info["is_grasped"]`` is both fingers touching
    the cube.

    ## Starting state
    Arm at its rest pose, gripper open, yaw 0. Cube uniform in x 0.45-0.65 m, y -0.15-0.15 m on the
    table, yaw uniform in [-45, 45] degrees; target in the same box at least 0.1 m from the cube, on the
    table (half the episodes) or 5-25 cm above it.

    ## Episode end
    No termination; truncated after 100 steps (5 s at 20 Hz).

    ## Arguments
    {arguments table}

    ## Physics
    Time step 1/100 s, 5 substeps per action (20 Hz control), 30 solver iterations: with friction
    anchors this holds grasps as firmly as 1/200 s and 60 iterations did, at twice the speed.

    ## Domain randomization
    What ``randomize=`` varies, with its default ranges ("x": a factor on the modelled value); how the
    argument works is in ``robo2d.core.randomization``.

    {randomization table}

    ## Version history
    v0: first release; later ``randomize=`` (without it every episode is unchanged, bit for bit:
    tests/envs/test_golden.py).
    """

    parts = EnvParts(
        PHYSICS,
        ArmRobot(ParallelJawTool(), yaw_control=True, kuka_arm=KUKA_WITH_GRIPPER, kuka_tool=JawTool()),
        PICK_PLACE_TASK,
        rest_start,
    )
    arguments = {
        **ARM_ARGUMENTS,
        **PICK_PLACE_ARGUMENTS,
        "grasp_bonus": replace(
            PICK_PLACE_ARGUMENTS["grasp_bonus"], meaning="reward per step while the cube is grasped"
        ),
    }
