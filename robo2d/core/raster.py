"""TopDownRaster: a fast orthographic top-down renderer of the bodies' own visual shapes.

PyBullet's TinyRenderer needs ~7 ms for an 84x84 frame, which makes pixel RL render-bound. For planar
scenes seen from above, drawing each visual shape's footprint at its link's actual pose with OpenCV is
two orders of magnitude faster and shows the same state (a test compares it with getCameraImage).
Supported shapes: boxes (their x-y footprint), cylinders and spheres (circles), and STL or OBJ meshes
(their triangles projected onto the table: core/meshes.py); they are drawn from low to high, in the
colours of the URDF materials.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pybullet as pb

from robo2d.core.meshes import footprint, read_triangles
from robo2d.core.sim import Sim

SUBPIXEL_BITS = 4  # OpenCV fixed-point coordinates: 1/16 pixel
_SCALE = 1 << SUBPIXEL_BITS
TABLE_RGB = (210, 210, 210)


def _yaw(q) -> float:
    x, y, z, w = q
    return math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))


def _link_name(body: int, link: int, cid: int) -> str:
    if link < 0:
        return pb.getBodyInfo(body, physicsClientId=cid)[0].decode()
    return pb.getJointInfo(body, link, physicsClientId=cid)[12].decode()


class TopDownRaster:
    """Renders `size` x `size` RGB frames of the square `center` +- `half_extent` (m) seen from above."""

    def __init__(
        self, sim: Sim, bodies: list[int], size: int, center: tuple[float, float], half_extent: float
    ) -> None:
        self.sim, self.size, self.half_extent = sim, size, half_extent
        self.px_per_m = size / (2 * half_extent)
        self.origin = (center[0] - half_extent, center[1] + half_extent)  # world x, y of the top-left corner
        self.background = np.full((size, size, 3), TABLE_RGB, dtype=np.uint8)
        self.shapes = []  # (body, link, kind, dims, local x, local y, local yaw, rgb, z)
        for body in bodies:
            self.shapes += self._read_shapes(body)
        self.shapes.sort(key=lambda shape: shape[-1])
        self._model_shapes, self._model_background = list(self.shapes), self.background
        self.center = center
        self._view: tuple[float, ...] | None = None  # camera moved: (dx, dy, angle, cos, sin)
        self._links = {
            body: sorted({s[1] for s in self.shapes if s[0] == body and s[1] >= 0}) for body in bodies
        }

    def move_camera(self, dx: float, dy: float, angle: float) -> None:
        """Draw the scene as a camera shifted by (dx, dy) m and turned by `angle` rad sees it (0s: reset)."""
        self._view = (dx, dy, angle, math.cos(angle), math.sin(angle)) if dx or dy or angle else None

    def _seen(self, x: float, y: float) -> tuple[float, float]:
        """Where a world point appears to the moved camera, in the fixed camera's frame."""
        dx, dy, _, c, s = self._view
        (cx, cy), px, py = self.center, x - self.center[0] - dx, y - self.center[1] - dy
        return cx + c * px + s * py, cy - s * px + c * py

    def _read_shapes(self, body: int) -> list[tuple]:
        cid = self.sim.client
        shapes = []
        for v in pb.getVisualShapeData(body, physicsClientId=cid):
            link, kind, dims, pos, orn, rgba = v[1], v[2], v[3], v[5], v[6], v[7]
            if kind == pb.GEOM_BOX:
                size = (dims[0], dims[1])
            elif kind == pb.GEOM_CYLINDER:
                size = (dims[1],)
            elif kind == pb.GEOM_SPHERE:
                size = (dims[0],)
            elif kind == pb.GEOM_MESH:
                size = self._mesh_outline(v[4].decode(), dims, orn, _link_name(body, link, cid))
                orn = (0.0, 0.0, 0.0, 1.0)  # the outline is already turned by the visual's origin
            else:
                raise ValueError(
                    f"the top-down image draws boxes, cylinders, spheres and meshes; "
                    f"{_link_name(body, link, cid)!r} has a visual of PyBullet geometry type {kind}: give "
                    "that link another visual for the pixel env (the state envs take any visual)"
                )
            rgb = tuple(int(round(255 * c)) for c in rgba[:3])
            frame_z = self._frames(body, [link] if link >= 0 else [])[link][2]
            shapes.append((body, link, kind, size, pos[0], pos[1], _yaw(orn), rgb, frame_z + pos[2]))
        return shapes

    @staticmethod
    def _mesh_outline(filename: str, scale, orientation, link: str) -> list[np.ndarray]:
        try:
            triangles = read_triangles(filename)
        except (OSError, ValueError) as err:
            raise ValueError(f"link {link!r}: its mesh visual cannot be drawn from above: {err}") from None
        rotation = np.array(pb.getMatrixFromQuaternion(orientation)).reshape(3, 3)
        return footprint(triangles, scale, rotation)

    def _frames(self, body: int, links: list[int]) -> dict[int, tuple[float, float, float, float]]:
        """World x, y, z and yaw of the base's and each link's URDF frame."""
        cid = self.sim.client
        pos, orn = pb.getBasePositionAndOrientation(body, physicsClientId=cid)
        local = pb.getDynamicsInfo(body, -1, physicsClientId=cid)[3]  # base COM in the base frame
        yaw = _yaw(orn)
        c, s = math.cos(yaw), math.sin(yaw)
        frames = {
            -1: (
                pos[0] - c * local[0] + s * local[1],
                pos[1] - s * local[0] - c * local[1],
                pos[2] - local[2],
                yaw,
            )
        }
        if links:
            for link, state in zip(
                links, pb.getLinkStates(body, links, computeForwardKinematics=1, physicsClientId=cid)
            ):
                p = state[4]
                frames[link] = (p[0], p[1], p[2], _yaw(state[5]))
        return frames

    def tint(
        self, background: tuple[float, float, float], bodies: dict[int, tuple[float, float, float]]
    ) -> None:
        """Draw the table and the given bodies with their model colours shifted by these RGB offsets
        (0-255 units, clipped); zero offsets restore the model's colours."""

        def shifted(rgb, offset) -> tuple[int, int, int]:
            return tuple(int(min(255, max(0, round(c + d)))) for c, d in zip(rgb, offset))

        self.background = np.full_like(self._model_background, shifted(TABLE_RGB, background))
        self.shapes = [
            (*shape[:7], shifted(shape[7], bodies[shape[0]]), shape[8]) if shape[0] in bodies else shape
            for shape in self._model_shapes
        ]

    def render(self, colors: dict[int, tuple[int, int, int]] | None = None) -> np.ndarray:
        """RGB uint8 frame; with `colors` ({body: rgb}) each body is drawn flat in its colour (masks)."""
        image = self.background.copy() if colors is None else np.zeros_like(self.background)
        frames = {body: self._frames(body, links) for body, links in self._links.items()}
        k, ox, oy = self.px_per_m * _SCALE, self.origin[0], self.origin[1]
        half = _SCALE // 2  # OpenCV puts integer coordinates at pixel centres
        for body, link, kind, size, lx, ly, lyaw, rgb, _ in self.shapes:
            fx, fy, _, fyaw = frames[body][link]
            c, s = math.cos(fyaw), math.sin(fyaw)
            x, y = fx + c * lx - s * ly, fy + s * lx + c * ly
            if self._view is not None:
                x, y = self._seen(x, y)
            color = rgb if colors is None else colors[body]
            if kind == pb.GEOM_BOX:
                yaw = fyaw + lyaw - (self._view[2] if self._view is not None else 0.0)
                ca, sa = math.cos(yaw) / 2, math.sin(yaw) / 2
                corners = [
                    (x + ca * dx * size[0] - sa * dy * size[1], y + sa * dx * size[0] + ca * dy * size[1])
                    for dx, dy in ((1, 1), (1, -1), (-1, -1), (-1, 1))
                ]
                pts = np.array(
                    [[(px - ox) * k - half, (oy - py) * k - half] for px, py in corners], dtype=np.int32
                )
                cv2.fillConvexPoly(image, pts, color, cv2.LINE_AA, SUBPIXEL_BITS)
            elif kind == pb.GEOM_MESH:
                yaw = fyaw - (self._view[2] if self._view is not None else 0.0)
                c, s = math.cos(yaw), math.sin(yaw)
                polygons = [
                    np.stack(
                        [
                            (x + c * p[:, 0] - s * p[:, 1] - ox) * k - half,
                            (oy - y - s * p[:, 0] - c * p[:, 1]) * k - half,
                        ],
                        axis=1,
                    ).astype(np.int32)
                    for p in size
                ]
                cv2.fillPoly(image, polygons, color, cv2.LINE_AA, SUBPIXEL_BITS)
            else:
                center = (int((x - ox) * k - half), int((oy - y) * k - half))
                radius = max(0, int(size[0] * k - half))  # anti-aliased edges reach half a pixel past it
                cv2.circle(image, center, radius, color, -1, cv2.LINE_AA, SUBPIXEL_BITS)
        return image
