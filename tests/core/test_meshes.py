"""Meshes for the top-down image: STL and OBJ read as CAD tools write them, outlines where they lie."""

import numpy as np
import pytest

from robo2d.core.meshes import footprint, read_triangles

#: a 0.10 m x 0.02 m plate, two triangles, from x 0.05 to 0.15 and y -0.01 to 0.01
PLATE = "v 0.05 -0.01 0\nv 0.15 -0.01 0\nv 0.15 0.01 0\nv 0.05 0.01 0\nf 1 2 3\nf 1 3 4\n"


def test_an_obj_with_a_latin_1_comment_reads(tmp_path):
    """CAD exports put the author's name or units in comments, not always in UTF-8."""
    path = tmp_path / "plate.obj"
    path.write_bytes("# Entwurf: Jürgen, Maße in m\n".encode("latin-1") + PLATE.encode())
    assert read_triangles(path).shape == (2, 3, 3)


def test_one_triangle_is_a_mesh_and_none_is_refused(tmp_path):
    one = tmp_path / "one.obj"
    one.write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    assert read_triangles(one).shape == (1, 3, 3)
    empty = tmp_path / "empty.obj"
    empty.write_text("# nothing\n")
    with pytest.raises(ValueError, match="no triangles"):
        read_triangles(empty)


GRID_PX = 253  # the outline grid's pixels across a mesh's larger extent (FOOTPRINT_PX less a border)


def test_a_plates_outline_covers_where_it_lies():
    """The outline of a long, thin plate spans its own x and y ranges, to half a pixel of the outline
    grid (a pixel: the plate's length / GRID_PX), scaled as the visual's scale says."""
    for scale, (low, high) in ((1.0, ((0.05, -0.01), (0.15, 0.01))), (2.0, ((0.10, -0.01), (0.30, 0.01)))):
        (outline,) = footprint(read_triangles_from(PLATE), (scale, 1.0, 1.0), np.eye(3))
        pixel = 0.1 * scale / GRID_PX
        np.testing.assert_allclose(outline.min(axis=0), low, atol=pixel / 2)
        np.testing.assert_allclose(outline.max(axis=0), high, atol=pixel / 2)


def read_triangles_from(obj: str) -> np.ndarray:
    """The triangles of an OBJ text, as its faces list them."""
    vertices = [list(map(float, line.split()[1:])) for line in obj.splitlines() if line.startswith("v ")]
    faces = [[int(i) - 1 for i in line.split()[1:]] for line in obj.splitlines() if line.startswith("f ")]
    return np.array([[vertices[i] for i in face] for face in faces])
