"""Sim.camera_image (what render() shows): a camera orbiting its target, with a 45 degree vertical view."""

import math

import numpy as np
import pytest

from robo2d.core.sim import Sim

WIDTH, HEIGHT = 160, 120
RADIUS = 0.05  # m, of a magenta sphere hung at the camera's target, away from everything else
TARGET = (3.0, -2.0, 0.5)


@pytest.mark.parametrize(
    ("distance", "yaw", "pitch"), [(0.8, 30.0, -40.0), (1.6, 30.0, -40.0), (0.8, 120.0, -70.0)]
)
def test_the_target_is_at_the_frame_centre_at_its_distance(distance, yaw, pitch):
    """From any yaw and pitch the target sits at the frame's centre, and a sphere there spans the pixels
    its angular size over the 45 degree view gives (pinhole geometry worked here, not read from the code)."""
    sim = Sim()
    sim.load_table()
    sim.create_marker(RADIUS, (1, 0, 1, 1), TARGET)
    frame = sim.camera_image(WIDTH, HEIGHT, TARGET, distance, yaw, pitch)
    sim.close()
    assert frame.dtype == np.uint8 and frame.shape == (HEIGHT, WIDTH, 3)
    rgb = frame.astype(int)
    magenta = (abs(rgb[..., 0] - rgb[..., 2]) < 10) & (rgb[..., 1] < 40) & (rgb[..., 0] > 60)
    rows, cols = np.nonzero(magenta)
    assert abs(cols.mean() - (WIDTH - 1) / 2) < 1.5 and abs(rows.mean() - (HEIGHT - 1) / 2) < 1.5
    expected = HEIGHT * 2 * math.asin(RADIUS / distance) / math.radians(45.0)
    assert rows.max() - rows.min() + 1 == pytest.approx(expected, rel=0.15)
