"""MkDocs hook: the tutorial notebooks in examples/notebooks become pages of the site.

The notebooks stay where the tutorials and their tests keep them. This adds each one to the site's
files as ``notebooks/NAME.ipynb``, read from examples/ (so mkdocs-jupyter finds the file), before
mkdocs-jupyter turns notebooks into pages (this hook runs first by its priority); nothing is copied
into docs/. They are rendered as stored, without running them.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SITE_DIR = "notebooks"  # examples/notebooks/NAME.ipynb is the page notebooks/NAME/


@event_priority(100)  # before the plugins, mkdocs-jupyter among them, see the files
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add every stored notebook under notebooks/."""
    for notebook in sorted((EXAMPLES / SITE_DIR).glob("*.ipynb")):
        path = f"{SITE_DIR}/{notebook.name}"
        files.append(File(path, str(EXAMPLES), config["site_dir"], config["use_directory_urls"]))
    return files
