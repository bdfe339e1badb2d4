"""Mesh files as CAD tools and exporters write them: ASCII and binary STL, OBJ faces with texture and
normal indices, polygons and relative indices all read as the same triangles."""

import struct

import numpy as np
import pytest

from robo2d.core.meshes import read_triangles

#: a 0.10 m x 0.02 m plate, two triangles (as the OBJ in test_meshes.py lists them)
PLATE = np.array(
    [
        [[0.05, -0.01, 0.0], [0.15, -0.01, 0.0], [0.15, 0.01, 0.0]],
        [[0.05, -0.01, 0.0], [0.15, 0.01, 0.0], [0.05, 0.01, 0.0]],
    ]
)


def _ascii_stl(triangles: np.ndarray) -> str:
    facets = "".join(
        "  facet normal 0 0 1\n    outer loop\n"
        + "".join(f"      vertex {x:e} {y:e} {z:e}\n" for x, y, z in triangle)
        + "    endloop\n  endfacet\n"
        for triangle in triangles
    )
    return f"solid plate\n{facets}endsolid plate\n"


def _binary_stl(triangles: np.ndarray) -> bytes:
    records = b"".join(
        struct.pack("<3f", 0, 0, 1) + struct.pack("<9f", *triangle.ravel()) + b"\0\0"
        for triangle in triangles
    )
    return b"binary STL from a CAD tool".ljust(80, b" ") + struct.pack("<I", len(triangles)) + records


def test_ascii_and_binary_stl_read_as_the_same_triangles(tmp_path):
    (tmp_path / "ascii.stl").write_text(_ascii_stl(PLATE))
    (tmp_path / "binary.STL").write_bytes(_binary_stl(PLATE))
    for name in ("ascii.stl", "binary.STL"):
        triangles = read_triangles(tmp_path / name)
        assert triangles.shape == (2, 3, 3) and triangles.dtype == np.float64
        np.testing.assert_allclose(triangles, PLATE, atol=1e-7)  # binary STL keeps float32


def test_an_ascii_stl_without_facets_is_refused(tmp_path):
    """Exporters write an empty part as a bare solid: no triangles, refused with the file's name."""
    path = tmp_path / "empty.stl"
    path.write_text("solid nothing\nendsolid nothing\n")
    with pytest.raises(ValueError, match="no triangles"):
        read_triangles(path)


def test_obj_faces_with_texture_and_normal_indices_polygons_and_relative_indices(tmp_path):
    """`f v/vt/vn`, a quad (split into a fan of two triangles), and negative indices (counted back from
    the last vertex so far) are one and the same plate."""
    vertices = "v 0.05 -0.01 0\nv 0.15 -0.01 0\nv 0.15 0.01 0\nv 0.05 0.01 0\nvt 0 0\nvn 0 0 1\n"
    for faces in ("f 1/1/1 2/1/1 3/1/1 4/1/1\n", "f 1//1 2//1 3//1\nf 1//1 3//1 4//1\n", "f -4 -3 -2 -1\n"):
        path = tmp_path / "plate.obj"
        path.write_text(vertices + faces)
        np.testing.assert_allclose(read_triangles(path), PLATE)


def test_other_mesh_formats_are_refused_by_name(tmp_path):
    path = tmp_path / "part.dae"
    path.write_text("<COLLADA/>")
    with pytest.raises(
        ValueError, match=r"part\.dae: the top-down image reads STL and OBJ meshes, not '\.dae'"
    ):
        read_triangles(path)


def test_obj_vertices_with_a_w_coordinate_or_vertex_colours_read_as_3d_points(tmp_path):
    """`v x y z w` (the spec's optional weight) and `v x y z r g b` (vertex colours, as MeshLab writes
    them) still place each corner at x, y, z: the plate as before."""
    corners = ((0.05, -0.01), (0.15, -0.01), (0.15, 0.01), (0.05, 0.01))
    for extra in (" 1.0", " 0.8 0.1 0.1"):
        path = tmp_path / "plate.obj"
        path.write_text("".join(f"v {x} {y} 0{extra}\n" for x, y in corners) + "f 1 2 3 4\n")
        triangles = read_triangles(path)
        assert triangles.shape == (2, 3, 3)
        np.testing.assert_allclose(triangles, PLATE)


BEFORE_IT = r"OBJ indices count from 1, or back from -1 over the 3 vertices before it"


@pytest.mark.parametrize(
    ("face", "why"),
    [
        ("f 0 1 2", BEFORE_IT),  # OBJ counts vertices from 1: there is no vertex 0
        ("f 1 2 4", "out of bounds"),  # three vertices listed, a fourth named
        ("f -4 -2 -1", BEFORE_IT),  # four back from the last of three
    ],
)
def test_obj_faces_naming_a_vertex_that_is_not_there_are_refused_with_the_files_name(tmp_path, face, why):
    """A face pointing past the vertex list is a broken export: refused as unreadable (ValueError with
    the file's name, as the top-down image reports it, and what is wrong), not read as another triangle."""
    path = tmp_path / "broken.obj"
    path.write_text(f"v 0 0 0\nv 1 0 0\nv 0 1 0\n{face}\n")
    with pytest.raises(ValueError, match=rf"broken\.obj: cannot be read as a mesh: .*{why}"):
        read_triangles(path)


def test_an_ascii_stl_whose_solid_name_is_not_ascii_reads(tmp_path):
    """CAD tools name the solid after the part, in the user's language and code page (here Latin-1
    and UTF-8): the name is not geometry, and the facets read as the plate."""
    text = _ascii_stl(PLATE)
    for encoding in ("latin-1", "utf-8"):
        path = tmp_path / "plate.stl"
        path.write_bytes(text.replace("plate", "Maßplatte Jürgen").encode(encoding))
        np.testing.assert_allclose(read_triangles(path), PLATE)
