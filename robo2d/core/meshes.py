"""Mesh files (STL, binary or ASCII; OBJ) read as triangles, and their footprint seen from above.

The top-down raster (core/raster.py) draws every visual as its outline on the table plane. A mesh
visual's outline is found once: its triangles, scaled and turned by the visual's origin, are projected
onto the plane and filled into a fine mask, whose outer contours become polygons drawn every frame.
"""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np

FOOTPRINT_PX = 256  # mask resolution across the mesh's larger extent
STL_HEADER = 80  # bytes before a binary STL's triangle count
STL_RECORD = 50  # bytes per binary STL triangle


def read_triangles(path: str | Path) -> np.ndarray:
    """(N, 3, 3) float array of the mesh's triangles; ValueError naming the file where it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix not in (".stl", ".obj"):
        raise ValueError(f"{path}: the top-down image reads STL and OBJ meshes, not {suffix!r}")
    try:
        triangles = _stl(data) if suffix == ".stl" else _obj(data.decode("utf-8", "replace"))
    except (ValueError, IndexError) as err:  # malformed numbers, faces naming missing vertices
        raise ValueError(f"{path}: cannot be read as a mesh: {err}") from None
    if len(triangles) == 0:
        raise ValueError(f"{path}: no triangles in the mesh")
    return triangles


def _stl(data: bytes) -> np.ndarray:
    if len(data) >= STL_HEADER + 4:
        (count,) = struct.unpack_from("<I", data, STL_HEADER)
        if len(data) == STL_HEADER + 4 + count * STL_RECORD:
            records = np.frombuffer(data, dtype=np.uint8, offset=STL_HEADER + 4).reshape(count, STL_RECORD)
            return records[:, 12:48].copy().view("<f4").reshape(count, 3, 3).astype(float)
    words = data.decode("ascii", "replace").split()
    vertices = [[float(w) for w in words[i + 1 : i + 4]] for i, w in enumerate(words) if w == "vertex"]
    return np.array(vertices, dtype=float).reshape(-1, 3, 3)


def _obj(text: str) -> np.ndarray:
    vertices, faces = [], []
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] == "v":
            vertices.append([float(x) for x in parts[1:4]])
        elif parts and parts[0] == "f":
            index = [int(p.split("/")[0]) for p in parts[1:]]
            if any(i == 0 or i < -len(vertices) for i in index):  # from 1, or back from -1 over those so far
                raise ValueError(
                    f"face {line.strip()!r}: OBJ indices count from 1, or back from -1 over the "
                    f"{len(vertices)} vertices before it"
                )
            index = [i - 1 if i > 0 else len(vertices) + i for i in index]
            faces += [(index[0], index[k], index[k + 1]) for k in range(1, len(index) - 1)]
    return np.array(vertices, dtype=float)[np.array(faces, dtype=int)] if faces else np.zeros((0, 3, 3))


def footprint(triangles: np.ndarray, scale, rotation: np.ndarray) -> list[np.ndarray]:
    """Outline polygons (each (K, 2), metres, in the visual's parent frame less its offset) of the
    triangles scaled by `scale` and turned by the 3x3 `rotation`, projected onto the x-y plane."""
    points = (triangles.reshape(-1, 3) * np.asarray(scale, float)) @ rotation.T
    xy = points[:, :2]
    low, high = xy.min(axis=0), xy.max(axis=0)
    extent = float(max(high - low)) or 1e-9
    px = (FOOTPRINT_PX - 3) / extent
    mask = np.zeros((FOOTPRINT_PX, FOOTPRINT_PX), np.uint8)
    for triangle in ((xy - low) * px + 1).reshape(-1, 3, 2):
        cv2.fillConvexPoly(mask, np.round(triangle).astype(np.int32), 255)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [(c.reshape(-1, 2) - 1) / px + low for c in contours]
