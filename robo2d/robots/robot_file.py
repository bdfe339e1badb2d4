"""Robot files as ROS packages and CAD exporters write them, turned into the model PyBullet loads.

A URDF from a ROS description or a CAD exporter carries more than the robot: ``<transmission>``,
``<gazebo>`` and ``<ros2_control>`` elements, meshes named ``package://PKG/meshes/...`` or
``file://...``, frame links (``world``, ``tool0``, ``ee_link``) without ``<inertial>``. Only the
``<link>``, ``<joint>`` and ``<material>`` children of ``<robot>`` make the model here; everything
else is listed as ignored. Mesh names are resolved the way ROS does (an ancestor folder of the URDF
named PKG, then ``ROS_PACKAGE_PATH``), then as PyBullet does (a folder PKG beside the URDF), and links
without ``<inertial>`` are massless: PyBullet would give each 1 kg and 1 kg m^2 of inertia, which
swamps a light arm. A file that needs none of this is
loaded as it is; otherwise a cleaned copy is written to a temporary folder and loaded from there.
"""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

MODEL_ELEMENTS = ("link", "joint", "material")  # children of <robot> that make the model
PACKAGE_PREFIX = "package://"
FILE_PREFIX = "file://"
MASSLESS_INERTIAL = (
    '<inertial><mass value="0"/><inertia ixx="0" ixy="0" ixz="0" iyy="0" iyz="0" izz="0"/></inertial>'
)


class RobotFileError(ValueError):
    """A robot file robo2d cannot use; the message names the file, the part and what to change."""


def ignored_elements(root: ET.Element) -> list[str]:
    """The children of <robot> that are not part of the model, as ``<tag name='...'>``."""
    out = []
    for child in root:
        if child.tag in MODEL_ELEMENTS or not isinstance(child.tag, str):
            continue
        name = child.get("name") or child.get("reference")
        out.append(f"<{child.tag}{f' {name!r}' if name else ''}>")
    return out


def package_roots(urdf: Path, package: str) -> list[Path]:
    """Where ``package://PACKAGE/`` may point: an ancestor folder named PACKAGE, then ROS_PACKAGE_PATH."""
    roots = [folder for folder in urdf.resolve().parents if folder.name == package]
    for entry in filter(None, os.environ.get("ROS_PACKAGE_PATH", "").split(os.pathsep)):
        base = Path(entry).expanduser()
        roots += [base / package, *(p for p in base.glob(f"*/{package}") if p.is_dir())]
    return roots


def resolve_mesh(urdf: Path, filename: str, link: str) -> Path:
    """The file a mesh's ``filename=`` names; RobotFileError naming the link and the paths tried."""
    if filename.startswith(PACKAGE_PREFIX):
        package, _, rest = filename[len(PACKAGE_PREFIX) :].partition("/")
        # ROS's rule, then PyBullet's: the package folder beside the URDF (pybullet_data's arms)
        tried = [root / rest for root in package_roots(urdf, package)] + [urdf.parent / package / rest]
        for candidate in tried:
            if candidate.is_file():
                return candidate
        where = ", ".join(str(p) for p in tried)
        raise RobotFileError(
            f"{urdf}: link {link!r}: mesh {filename!r} not found (tried {where}); put the URDF inside "
            f"the package folder {package!r} or add the folder that holds it to ROS_PACKAGE_PATH"
        )
    path = Path(unquote(filename[len(FILE_PREFIX) :])) if filename.startswith(FILE_PREFIX) else Path(filename)
    candidate = path if path.is_absolute() else urdf.parent / path
    if not candidate.is_file():
        raise RobotFileError(
            f"{urdf}: link {link!r}: mesh {filename!r} not found (looked for {candidate}); ship it "
            "beside the URDF or fix the path"
        )
    return candidate


def massless_links(root: ET.Element) -> list[str]:
    """Links without <inertial>: frames (world, tool0, ee_link) that carry no mass."""
    return [link.get("name") for link in root.findall("link") if link.find("inertial") is None]


def model_text(urdf: Path, root: ET.Element) -> str | None:
    """The URDF PyBullet should load, or None where the file loads as it is: extra elements dropped,
    mesh paths absolute, massless links given a zero <inertial>."""
    meshes = [(link, mesh) for link in root.findall("link") for mesh in link.iter("mesh")]
    remote = [m for _, m in meshes if m.get("filename", "").startswith((PACKAGE_PREFIX, FILE_PREFIX))]
    if not (ignored_elements(root) or remote or massless_links(root)):
        return None
    model = ET.Element(root.tag, root.attrib)
    model.extend(child for child in root if child.tag in MODEL_ELEMENTS)
    for link, mesh in meshes:
        mesh.set("filename", str(resolve_mesh(urdf, mesh.get("filename", ""), link.get("name"))))
    for link in model.findall("link"):
        if link.find("inertial") is None:
            link.insert(0, ET.fromstring(MASSLESS_INERTIAL))
    return ET.tostring(model, encoding="unicode")


def load_urdf(load, urdf: Path, root: ET.Element, **kwargs) -> int:
    """Load the robot with `load(path, **kwargs)` (the Sim's loader), cleaned first where it needs it."""
    text = model_text(urdf, root)
    if text is None:
        return load(str(urdf), **kwargs)
    with tempfile.TemporaryDirectory(prefix="robo2d-urdf-") as folder:
        cleaned = Path(folder) / urdf.name
        cleaned.write_text(text)
        return load(str(cleaned), **kwargs)
