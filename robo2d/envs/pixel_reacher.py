"""Robo2DPixelReacher-v0: the reacher task seen only through a top-down camera image."""

from __future__ import annotations

from dataclasses import replace

from robo2d.core.arguments import Argument
from robo2d.core.env import COMMON_ARGUMENTS, ComposedEnv
from robo2d.core.image_sensor import MIN_IMAGE_SIZE, TopDownImage
from robo2d.core.parts import EnvParts
from robo2d.envs.reacher import PHYSICS, START_JOINT_NOISE
from robo2d.robots.planar.parts import ROBOT_ARGUMENTS, JointStart, PlanarRobot
from robo2d.tasks.base import ACTION_COST, REWARD_TYPE, TaskSpec
from robo2d.tasks.reach import ReachTask


class PixelReacherEnv(ComposedEnv):
    """Bring the fingertip of a planar arm to a target point, observing only an image.

    ## Description
    The scene, dynamics, rewards and episodes of Robo2DReacher-v0; the observation is a top-down image
    of the arm and the target. Frames come from robo2d's TopDownRaster, which draws each visual shape of
    the URDFs (boxes, cylinders, spheres, in their material colours) at its link's actual pose
    (orthographic, ~60 us per 84x84 frame, no display or GPU needed); a test checks that its arm and
    target masks match PyBullet's getCameraImage of the same state (IoU >= 0.9). ``render_mode=
    "rgb_array"`` still gives the PyBullet camera view for videos. A single frame has no velocities:
    stack frames in the agent (the shipped config stacks 3). ``robot=`` takes any planar arm, as in
    Robo2DReacher-v0; the view then covers +-1.1 times its reach.

    ## Action space
    ``Box(-1, 1, (2,), float32)``, as Robo2DReacher-v0:

    | index | action | unit |
    |---|---|---|
    | 0 | shoulder target velocity | action * 3.0 rad/s |
    | 1 | elbow target velocity | action * 3.0 rad/s |

    ## Observation space
    ``Box(0, 255, (image_size, image_size, 3), uint8)``, RGB, rows from +y (top) to -y, columns from -x
    to +x, covering +-0.22 m around the arm base (0.44 m / 84 px = 5.2 mm per pixel at the default size).

    ## Rewards
    As Robo2DReacher-v0: dense ``-d - 0.01 * |a|^2``; sparse ``-1`` until ``d < distance_threshold``.
    ``info`` carries ``is_success``, ``distance`` and the reward terms.

    ## Starting state
    As Robo2DReacher-v0.

    ## Episode end
    No termination; truncated after 50 steps (2.5 s at 20 Hz).

    ## Arguments
    {arguments table}

    ## Domain randomization
    What ``randomize=`` varies, with its default ranges ("x": a factor on the modelled value); how the
    argument works is in ``robo2d.core.randomization``.

    {randomization table}

    ## Version history
    v0: first release; later ``robot=`` and ``tip_link=``, then ``randomize=`` (with the default robot
    and no randomisation every episode is unchanged, bit for bit: tests/envs/test_golden.py).
    """

    parts = EnvParts(
        PHYSICS, PlanarRobot(), TaskSpec(ReachTask), JointStart(START_JOINT_NOISE), sensor=TopDownImage()
    )
    arguments = {
        **ROBOT_ARGUMENTS,
        "reward_type": REWARD_TYPE,
        "goal_conditioned": replace(
            COMMON_ARGUMENTS["goal_conditioned"],
            meaning="not offered (the goal is only visible in the image): True raises",
        ),
        "distance_threshold": Argument(0.01, "success radius in m"),
        "action_cost": ACTION_COST,
        "image_size": Argument(84, f"observation height and width in pixels (>= {MIN_IMAGE_SIZE})"),
    }
