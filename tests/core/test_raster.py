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
ONE_VISUAL_URDF = """<robot name="shape"><link name="base"><inertial><origin xyz="{com}"/><mass value="1"/>
<inertia ixx="1" ixy="0" ixz="0" iyy="1" iyz="0" izz="1"/></inertial><visual>
<origin xyz="{x} 0 0.01" rpy="0 0 {yaw}"/><geometry>{geometry}</geometry></visual></link></robot>"""
FINE = 256  # px: the turned shapes below are drawn 77 px long, 13 px wide
FINE_MIDDLE, FINE_PX_PER_M = (FINE - 1) / 2, FINE / (2 * HALF_EXTENT)


def _drawn(
    folder,
    geometry: str,
    visual_yaw: float,
    body_yaw: float,
    camera: float,
    roll=0.0,
    com="0 0 0",
    visual_x=0.0,
) -> np.ndarray:
    """How much of each pixel a body of one visual (turned by `visual_yaw` in its link, the body by
    `body_yaw`, and first by `roll` about its own x axis; its centre of mass at `com` in its frame; the
    visual `visual_x` m along the link's x axis)
    standing at the view's centre covers, seen by a camera turned by `camera` (rad)."""
    path = folder / "shape.urdf"
    path.write_text(ONE_VISUAL_URDF.format(yaw=visual_yaw, geometry=geometry, com=com, x=visual_x))
    sim = Sim()
    orientation = pb.getQuaternionFromEuler((roll, 0.0, body_yaw))
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


def test_a_body_whose_centre_of_mass_is_off_its_origin_is_drawn_where_its_frame_stands(tmp_path):
    """The body's frame stands at the view's centre, turned 0.7 rad; its centre of mass is 5 cm ahead,
    3 cm to the right and 4 cm above that frame. The box sits on the frame, not on the centre of mass:
    its middle shows at the image's centre and its long axis at 0.7 rad."""
    box = _drawn(tmp_path, '<box size="0.06 0.01 0.005"/>', 0.0, 0.7, 0.0, com="0.05 -0.03 0.04")
    centre, angle = _axis(box)
    np.testing.assert_allclose(centre, (FINE_MIDDLE, FINE_MIDDLE), atol=0.25)
    assert angle == pytest.approx(0.7, abs=0.03)


def test_a_box_turned_upside_down_shows_the_same_footprint(tmp_path):
    """A box flipped over about its own x axis (a part that tumbled onto its top) and turned 0.5 rad
    covers, seen from above, the same 6 cm x 1 cm rectangle as upright: long axis at 0.5 rad."""
    box = _drawn(tmp_path, '<box size="0.06 0.01 0.005"/>', 0.0, 0.5, 0.0, roll=math.pi)
    centre, angle = _axis(box)
    np.testing.assert_allclose(centre, (FINE_MIDDLE, FINE_MIDDLE), atol=0.25)
    assert angle == pytest.approx(0.5, abs=0.03)


#: the plate of PLATE_OBJ laid along its link's y axis instead: 1 to 7 cm to the link's left
SIDE_PLATE_OBJ = "v -0.005 0.01 0\nv 0.005 0.01 0\nv 0.005 0.07 0\nv -0.005 0.07 0\nf 1 2 3\nf 1 3 4\n"


def test_a_mesh_to_its_links_left_is_drawn_where_it_lies(tmp_path):
    """The plate 1-7 cm along its link's y axis, the body turned 0.4 rad: its middle lies 4 cm from the
    body at 0.4 + pi/2 rad in the world, i.e. 4 cm * sin 0.4 = 19.9 px left of the image's centre and
    4 cm * cos 0.4 = 47.2 px above it (1280 px/m), and its long axis points that way too."""
    (tmp_path / "side.obj").write_text(SIDE_PLATE_OBJ)
    plate = _drawn(tmp_path, f'<mesh filename="{tmp_path / "side.obj"}"/>', 0.0, 0.4, 0.0)
    centre, angle = _axis(plate)
    left, up = 0.04 * math.sin(0.4) * FINE_PX_PER_M, 0.04 * math.cos(0.4) * FINE_PX_PER_M
    np.testing.assert_allclose(centre, (FINE_MIDDLE - up, FINE_MIDDLE - left), atol=0.25)
    assert angle % math.pi == pytest.approx((0.4 + math.pi / 2) % math.pi, abs=0.03)


def test_a_mesh_plate_and_a_box_of_its_size_are_drawn_alike(tmp_path):
    """The plate as a mesh (1-7 cm along its link's x axis) and a 6 cm x 1 cm box visual 4 cm along it,
    both bodies at the view's centre turned 0.3 rad: swapping one for the other keeps the look. The two
    cover the same number of pixels to 3%, and both shade their edges: the pixels the outline cuts
    through show a blend of body and table, at least half as many for the mesh as for the box."""
    (tmp_path / "plate.obj").write_text(PLATE_OBJ)
    plate = _drawn(tmp_path, f'<mesh filename="{tmp_path / "plate.obj"}"/>', 0.0, 0.3, 0.0)
    box = _drawn(tmp_path, '<box size="0.06 0.01 0.005"/>', 0.0, 0.3, 0.0, visual_x=0.04)
    assert plate.sum() == pytest.approx(box.sum(), rel=0.03)
    blended_box = ((box > 0.05) & (box < 0.95)).sum()
    assert blended_box > 100  # the box's 2 * (77 + 13) px outline
    assert ((plate > 0.05) & (plate < 0.95)).sum() >= blended_box / 2


#: a base with a box, and a link "pad" whose visual is a mesh file; {mesh}: the file
PAD_URDF = """<robot name="gripper"><link name="base"><inertial><mass value="1"/>
<inertia ixx="1" ixy="0" ixz="0" iyy="1" iyz="0" izz="1"/></inertial>
<visual><geometry><box size="0.02 0.02 0.02"/></geometry></visual></link>
<link name="pad"><inertial><mass value="1"/><inertia ixx="1" ixy="0" ixz="0" iyy="1" iyz="0" izz="1"/>
</inertial><visual><geometry><mesh filename="{mesh}"/></geometry></visual></link>
<joint name="base_to_pad" type="fixed"><parent link="base"/><child link="pad"/><origin xyz="0.05 0 0"/>
</joint></robot>"""


#: a robot "gripper" whose base link "palm" is a mesh file; {mesh}: the file
BASE_MESH_URDF = """<robot name="gripper"><link name="palm"><inertial><mass value="1"/>
<inertia ixx="1" ixy="0" ixz="0" iyy="1" iyz="0" izz="1"/></inertial>
<visual><geometry><mesh filename="{mesh}"/></geometry></visual></link></robot>"""


def _refused_empty_mesh(tmp_path, urdf: str, link: str, message: str) -> None:
    """The robot `urdf` with link `link`'s mesh an empty STL part: the top-down image refuses it with
    `message`."""
    (tmp_path / f"{link}.stl").write_text(f"solid {link}\nendsolid {link}\n")
    (tmp_path / "gripper.urdf").write_text(urdf.format(mesh=tmp_path / f"{link}.stl"))
    sim = Sim()
    try:
        body = pb.loadURDF(str(tmp_path / "gripper.urdf"), physicsClientId=sim.client)
        with pytest.raises(ValueError, match=message):
            TopDownRaster(sim, [body], SIZE, CENTRE, HALF_EXTENT)
    finally:
        sim.close()


def test_a_mesh_part_without_triangles_is_refused_naming_its_link(tmp_path):
    """An STL exported from an empty part (a bare solid): PyBullet loads the robot, but the top-down
    image cannot draw that visual and says which link it belongs to, and why."""
    refusal = r"link 'pad': its mesh visual cannot be drawn.*no triangles"
    _refused_empty_mesh(tmp_path, PAD_URDF, "pad", refusal)


def test_a_base_link_that_cannot_be_drawn_is_named_as_a_link_not_as_the_robot(tmp_path):
    """The base's own name (``palm``), which the URDF gives its link, not the robot's (``gripper``)."""
    _refused_empty_mesh(tmp_path, BASE_MESH_URDF, "palm", r"^link 'palm': its mesh visual cannot be drawn")


@pytest.mark.parametrize(
    ("radius_px", "low", "high"), [(0.1, 0.0, 0.1), (3.0, 0.9 * 9 * math.pi, 1.1 * 9 * math.pi)]
)
def test_a_sphere_paints_about_its_own_area(radius_px, low, high):
    """Seen from above, a sphere of radius r px covers pi r^2 pixels. One a tenth of a pixel in radius
    (0.3 mm at 320 px/m, a pin head) covers 0.03 of a pixel: it adds at most a tenth of a pixel's worth
    of its colour, not a half-pixel dot. One 3 px in radius shows its 28.3 px^2 to 10%."""
    sim = Sim()
    sphere = sim.create_marker(radius_px / (SIZE / (2 * HALF_EXTENT)), (1, 1, 1, 1), (0.31, -0.11, 0.0))
    image = TopDownRaster(sim, [sphere], SIZE, CENTRE, HALF_EXTENT).render(colors={sphere: (255, 255, 255)})
    sim.close()
    assert low <= image[..., 0].sum() / 255.0 <= high
