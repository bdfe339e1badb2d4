"""The top-down raster's moved camera, for a view centred away from the world origin: a turned camera
turns the picture about the view's centre, the point straight below it."""

import math

import numpy as np
import pytest

from robo2d.core.raster import TopDownRaster
from robo2d.core.sim import Sim

SIZE, HALF_EXTENT = 64, 0.1  # px, m: 320 px per metre
CENTRE = (0.3, -0.1)  # m, the view's centre: x and y both away from 0 and from each other
EAST = 0.05  # m, how far east of the centre the second marker stands (16 px)
MIDDLE = (SIZE - 1) / 2  # the image's central pixel (row and column index)


def _centroids(raster: TopDownRaster, centre: int, east: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) pixel centroids of the two markers, drawn flat: the centre's green, the east red."""
    image = raster.render(colors={centre: (0, 255, 0), east: (255, 0, 0)})
    return np.argwhere(image[..., 1] > 127).mean(axis=0), np.argwhere(image[..., 0] > 127).mean(axis=0)


@pytest.fixture
def markers():
    sim = Sim()
    centre = sim.create_marker(0.01, (0, 1, 0, 1), (*CENTRE, 0.0))
    east = sim.create_marker(0.01, (1, 0, 0, 1), (CENTRE[0] + EAST, CENTRE[1], 0.0))
    yield TopDownRaster(sim, [centre, east], SIZE, CENTRE, HALF_EXTENT), centre, east
    sim.close()


def test_a_turned_camera_turns_the_picture_about_the_views_centre(markers):
    """Straight, the marker under the view's centre is at the image's centre and the one 5 cm east is
    16 px right of it. Turned a quarter turn anticlockwise, the camera's image-up points west: the
    centre's marker stays put and the east one shows 16 px below the centre."""
    raster, centre, east = markers
    seen_centre, seen_east = _centroids(raster, centre, east)
    np.testing.assert_allclose(seen_centre, (MIDDLE, MIDDLE), atol=0.25)
    np.testing.assert_allclose(seen_east, (MIDDLE, MIDDLE + EAST * SIZE / (2 * HALF_EXTENT)), atol=0.25)
    raster.move_camera(0.0, 0.0, math.pi / 2)
    seen_centre, seen_east = _centroids(raster, centre, east)
    np.testing.assert_allclose(seen_centre, (MIDDLE, MIDDLE), atol=0.25)
    np.testing.assert_allclose(seen_east, (MIDDLE + EAST * SIZE / (2 * HALF_EXTENT), MIDDLE), atol=0.25)


def test_tinting_some_bodies_leaves_the_others_in_their_model_colours(markers):
    """Offsets for the green marker alone: it shows 100 less green, the red one keeps its model red, and
    the table its grey shifted by the table's own offset."""
    raster, centre, east = markers
    raster.tint((-10.0, -10.0, -10.0), {centre: (0.0, -100.0, 0.0)})
    image = raster.render()
    row, col = int(MIDDLE), int(MIDDLE)  # pixels well inside each 3.2 px-radius marker
    assert tuple(image[row, col]) == (0, 155, 0)
    assert tuple(image[row, col + round(EAST * SIZE / (2 * HALF_EXTENT))]) == (255, 0, 0)
    assert tuple(image[0, 0]) == (200, 200, 200)
