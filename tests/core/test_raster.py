"""The top-down raster's moved camera, for a view centred away from the world origin: a turned camera
turns the picture about the view's centre, the point straight below it."""

import math

import numpy as np
import pybullet as pb
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


#: a flat plate 0.06 m x 0.01 m, 0.01 to 0.07 m along its link's x axis (a two-triangle OBJ)
PLATE_OBJ = "v 0.01 -0.005 0\nv 0.07 -0.005 0\nv 0.07 0.005 0\nv 0.01 0.005 0\nf 1 2 3\nf 1 3 4\n"
ONE_VISUAL_URDF = """<robot name="shape"><link name="base"><inertial><mass value="1"/>
<inertia ixx="1" ixy="0" ixz="0" iyy="1" iyz="0" izz="1"/></inertial><visual>
<origin xyz="0 0 0.01" rpy="0 0 {yaw}"/><geometry>{geometry}</geometry></visual></link></robot>"""
FINE = 256  # px: the turned shapes below are drawn 77 px long, 13 px wide
FINE_MIDDLE, FINE_PX_PER_M = (FINE - 1) / 2, FINE / (2 * HALF_EXTENT)


def _drawn(folder, geometry: str, visual_yaw: float, body_yaw: float, camera: float) -> np.ndarray:
    """How much of each pixel a body of one visual (turned by `visual_yaw` in its link, the body by
    `body_yaw`) standing at the view's centre covers, seen by a camera turned by `camera` (rad)."""
    path = folder / "shape.urdf"
    path.write_text(ONE_VISUAL_URDF.format(yaw=visual_yaw, geometry=geometry))
    sim = Sim()
    orientation = pb.getQuaternionFromEuler((0.0, 0.0, body_yaw))
    body = pb.loadURDF(str(path), (*CENTRE, 0.0), orientation, useFixedBase=True, physicsClientId=sim.client)
    raster = TopDownRaster(sim, [body], FINE, CENTRE, HALF_EXTENT)
    raster.move_camera(0.0, 0.0, camera)
    image = raster.render(colors={body: (255, 255, 255)})
    sim.close()
    return image[..., 0] / 255.0


def _axis(coverage: np.ndarray) -> tuple[np.ndarray, float]:
    """A long shape's centroid (row, column) and the world angle (rad, anticlockwise from the image's
    right) of its long axis, from its pixels' moments weighted by how much of each the shape covers
    (the anti-aliased edges)."""
    rows, cols = np.indices(coverage.shape)
    w = coverage / coverage.sum()
    row, col = (w * rows).sum(), (w * cols).sum()
    rr, cc, rc = (
        (w * (rows - row) ** 2).sum(),
        (w * (cols - col) ** 2).sum(),
        (w * (rows - row) * (cols - col)).sum(),
    )
    return np.array([row, col]), 0.5 * math.atan2(-2 * rc, cc - rr)


@pytest.mark.parametrize("camera", [0.0, 0.2])
def test_turned_boxes_and_meshes_show_at_their_world_angle_less_the_cameras(tmp_path, camera):
    """A 6 cm x 1 cm box whose visual is turned 0.3 rad on a body turned 0.4 rad lies at 0.7 rad in the
    world; a 6 cm x 1 cm mesh plate on a body turned 0.4 rad lies at 0.4 rad. A camera turned by
    `camera` rad anticlockwise sees both turned back by that much. Measured from the pixels: each
    shape's long axis, and the box's middle (under the view's centre, where the bodies stand)."""
    (tmp_path / "plate.obj").write_text(PLATE_OBJ)
    box = _drawn(tmp_path, '<box size="0.06 0.01 0.005"/>', 0.3, 0.4, camera)
    plate = _drawn(tmp_path, f'<mesh filename="{tmp_path / "plate.obj"}"/>', 0.0, 0.4, camera)
    (box_centre, box_angle), (_, plate_angle) = _axis(box), _axis(plate)
    np.testing.assert_allclose(box_centre, (FINE_MIDDLE, FINE_MIDDLE), atol=0.25)
    assert box_angle == pytest.approx(0.7 - camera, abs=0.03)
    assert plate_angle == pytest.approx(0.4 - camera, abs=0.03)


def test_a_mesh_is_drawn_where_it_lies_to_a_quarter_pixel(tmp_path):
    """The mesh plate 1-7 cm east of its body's origin at the view's centre: its middle shows 4 cm
    (51.2 px at 1280 px/m) right of the image's centre, on the centre row."""
    (tmp_path / "plate.obj").write_text(PLATE_OBJ)
    plate = _drawn(tmp_path, f'<mesh filename="{tmp_path / "plate.obj"}"/>', 0.0, 0.0, 0.0)
    np.testing.assert_allclose(_axis(plate)[0], (FINE_MIDDLE, FINE_MIDDLE + 51.2), atol=0.25)
