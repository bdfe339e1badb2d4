"""The pixel reacher's sensor: a top-down image of the scene, with randomisable camera and appearance.

Randomised, the camera sits up to a few millimetres off and turns by a few degrees (the raster draws
the scene as that camera sees it), the table, the arm and the target change
colour, the brightness changes, and each frame gets pixel noise; the observation keeps its size and
dtype. Not randomised, frames are the raster's, untouched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import ClassVar

import cv2
import numpy as np
from gymnasium import spaces

from robo2d.core.randomization import Parameter
from robo2d.core.raster import TopDownRaster
from robo2d.core.sim import Sim

MIN_IMAGE_SIZE = 36  # SB3's default CNN needs at least 36 x 36
COLOUR_LIMITS = (-128.0, 128.0)
# Pixel noise: one random byte per value picks one of 256 standard-normal quantiles (a Gaussian in 256
# levels, rounded to whole intensities). 21k normals per 84x84 frame took ~0.35 ms here; bytes and a
# lookup ~0.05 ms.
NORMAL_QUANTILES = np.array([NormalDist().inv_cdf((k + 0.5) / 256) for k in range(256)])


def _colour(part: str) -> Parameter:
    return Parameter(
        f"{part}_color",
        "0-255",
        (-15.0, 15.0),
        0.0,
        f"offset on each RGB channel of the {part}",
        COLOUR_LIMITS,
        size=3,
    )


def image_parameters() -> list[Parameter]:
    """What the image varies: camera pose, colours, brightness, pixel noise."""
    return [
        Parameter(
            "camera_offset", "m", (-0.005, 0.005), 0.0, "camera shift in x and y", (-0.05, 0.05), size=2
        ),
        Parameter(
            "camera_rotation",
            "rad",
            (-0.03, 0.03),
            0.0,
            "camera turn about the vertical",
            (-math.pi, math.pi),
        ),
        _colour("table"),
        _colour("arm"),
        _colour("target"),
        Parameter("brightness", "x", (0.9, 1.1), 1.0, "factor on every pixel", (0.1, 3.0)),
        Parameter(
            "image_noise",
            "0-255",
            (0.0, 3.0),
            0.0,
            "std of Gaussian noise on each pixel, every frame",
            (0.0, 64.0),
        ),
    ]


def _as_table(values: np.ndarray) -> np.ndarray:
    return np.clip(values, 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class TopDownImage:
    """Sensor part: the observation is a top-down image of the task's bodies and the robot.

    The view is the square +- half_extent around the robot's base, for the shipped 2-link arm (reach
    0.2 m); other arms scale it by their reach. Its size is the env's ``image_size`` argument.
    """

    half_extent: float = 0.22  # m
    argument_names: ClassVar[tuple[str, ...]] = ("image_size",)

    def parameters(self, settings: dict) -> list[Parameter]:
        """What the sensor varies: camera pose, colours, brightness, pixel noise."""
        return image_parameters()

    def build(self, sim: Sim, robot, task, settings: dict) -> TopDownSensor:
        size = settings["image_size"]
        if not isinstance(size, int) or size < MIN_IMAGE_SIZE:
            raise ValueError(
                f"image_size must be an integer of at least {MIN_IMAGE_SIZE} (SB3's CnnPolicy), got {size!r}"
            )
        half_extent = self.half_extent * robot.kinematics.scale
        raster = TopDownRaster(sim, [*task.bodies, robot.body], size, robot.base_xy, half_extent)
        return TopDownSensor(raster, robot.body, task.bodies)


class TopDownSensor:
    """RGB uint8 (size, size, 3) frames from a TopDownRaster, randomised when the env says so."""

    def __init__(self, raster: TopDownRaster, arm: int, targets: list[int]) -> None:
        self.raster, self.arm, self.targets = raster, arm, list(targets)
        self.observation_space = spaces.Box(0, 255, (raster.size, raster.size, 3), np.uint8)
        self._brightness, self._noise = 1.0, 0.0
        self._noise_tables = (np.zeros(256, np.uint8), np.zeros(256, np.uint8))
        self._brightness_table = np.arange(256, dtype=np.uint8)
        self._rng: np.random.Generator | None = None

    def randomization_parameters(self) -> list[Parameter]:
        return image_parameters()

    def apply_randomization(self, values: dict, rng: np.random.Generator) -> None:
        target = {body: values["target_color"] for body in self.targets}
        self.raster.tint(values["table_color"], {self.arm: values["arm_color"], **target})
        (dx, dy), angle = values["camera_offset"], values["camera_rotation"]
        self.raster.move_camera(dx, dy, angle)  # drawn from there: no resampling of the picture
        self._brightness, self._noise, self._rng = values["brightness"], values["image_noise"], rng
        levels = np.rint(NORMAL_QUANTILES * self._noise)
        self._noise_tables = (_as_table(np.maximum(levels, 0)), _as_table(np.maximum(-levels, 0)))
        self._brightness_table = np.clip(np.rint(np.arange(256) * self._brightness), 0, 255).astype(np.uint8)

    def observe(self) -> np.ndarray:
        image = self.raster.render()
        if self._brightness != 1.0:
            image = cv2.LUT(image, self._brightness_table)
        if self._noise:  # whole-intensity noise, added and subtracted with uint8 saturation (= clipping)
            picks = self._rng.integers(0, 256, image.shape, dtype=np.uint8)
            up, down = self._noise_tables
            image = cv2.subtract(cv2.add(image, cv2.LUT(picks, up)), cv2.LUT(picks, down))
        return image
