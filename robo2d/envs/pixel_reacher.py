"""Robo2DPixelReacher-v0: the reacher task seen only through a top-down camera image."""

from __future__ import annotations

from robo2d.core.env import ComposedEnv
from robo2d.core.image_sensor import TopDownImage
from robo2d.core.parts import EnvParts
from robo2d.envs.reacher import PHYSICS, START_JOINT_NOISE
from robo2d.robots.planar_parts import ROBOT_ARGUMENTS, JointStart, PlanarRobot
from robo2d.tasks.base import TaskSpec
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
    | argument | default | meaning |
    |---|---|---|
    | `render_mode` | `None` | None, "rgb_array" or "human" |
    | `robot` | `"planar_arm"` | a shipped arm (`"planar_arm"`, `"planar_arm_3link"`) or a URDF path |
    | `tip_link` | `"tip"` | the link whose origin is the fingertip |
    | `control` | `"velocity"` | "velocity", "torque" or "position": how actions drive the joints (above) |
    | `reward_type` | `"dense"` | "dense" or "sparse" |
    | `goal_conditioned` | `False` | not offered (the goal is only visible in the image): True raises |
    | `randomize` | `False` | domain randomisation: False, True or a dict of ranges (below) |
    | `distance_threshold` | `0.01` | success radius in m |
    | `action_cost` | `0.01` | weight of the squared-action penalty |
    | `image_size` | `84` | observation height and width in pixels (>= 36) |

    ## Domain randomization
    What ``randomize=`` varies, with its default ranges ("x": a factor on the modelled value); how the
    argument works is in ``robo2d.core.randomization``.

    | parameter | unit | default range | meaning |
    |---|---|---|---|
    | `table_friction` | x | [0.8, 1.2] | factor on the table's lateral friction |
    | `action_delay` | steps | [0, 0] | steps from an action to the motors (zeros till then); off by default |
    | `action_noise` | - | [0, 0.05] | std of Gaussian noise on each action (before clipping) |
    | `link_mass` | x | [0.8, 1.2] | factor on every moving link's mass and inertia |
    | `joint_damping` | N m s/rad | [0, 0.01] | damping added to each arm joint |
    | `motor_force` | x | [0.8, 1.2] | factor on the motors' force / torque limit |
    | `camera_offset` | m | [-0.005, 0.005] | camera shift in x and y |
    | `camera_rotation` | rad | [-0.03, 0.03] | camera turn about the vertical |
    | `table_color` | 0-255 | [-15, 15] | offset on each RGB channel of the table |
    | `arm_color` | 0-255 | [-15, 15] | offset on each RGB channel of the arm |
    | `target_color` | 0-255 | [-15, 15] | offset on each RGB channel of the target |
    | `brightness` | x | [0.9, 1.1] | factor on every pixel |
    | `image_noise` | 0-255 | [0, 3] | std of Gaussian noise on each pixel, every frame |

    ## Version history
    v0: first release; later ``robot=`` and ``tip_link=``, then ``randomize=`` (with the default robot
    and no randomisation every episode is unchanged, bit for bit: tests/test_golden.py).
    """

    parts = EnvParts(
        PHYSICS, PlanarRobot(), TaskSpec(ReachTask), JointStart(START_JOINT_NOISE), sensor=TopDownImage()
    )
    arguments = {
        **ROBOT_ARGUMENTS,
        "reward_type": "dense",
        "distance_threshold": 0.01,
        "action_cost": 0.01,
        "image_size": 84,
    }
