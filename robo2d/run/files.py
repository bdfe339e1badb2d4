"""Run-folder files written so that a run killed at any moment never leaves one half-written.

A file is written beside its final name and renamed over it (``os.replace`` is atomic); a folder
(checkpoint, best model) is written whole as ``NAME.partial`` and swapped in by two renames, with the
one it replaces kept as ``NAME.previous`` until the swap is done, so one complete version always exists.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

PARTIAL, PREVIOUS = ".partial", ".previous"


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path to write `path`'s new content to; renamed over `path` when the block ends."""
    path = Path(path)
    temporary = path.with_name(f"{path.stem}{PARTIAL}{path.suffix}")  # same suffix: savers keep it
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_folder(folder: Path) -> Iterator[Path]:
    """An empty folder to fill; it then replaces `folder` whole."""
    folder = Path(folder)
    partial, previous = _siblings(folder)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        yield partial
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    if folder.exists():
        folder.rename(previous)
    partial.rename(folder)
    shutil.rmtree(previous, ignore_errors=True)


def recover_folder(folder: Path) -> None:
    """After a kill between the two renames only ``.previous`` is there: put it back; drop partials."""
    folder = Path(folder)
    partial, previous = _siblings(folder)
    if not folder.exists() and previous.exists():
        previous.rename(folder)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(partial, ignore_errors=True)


def _siblings(folder: Path) -> tuple[Path, Path]:
    return folder.with_name(folder.name + PARTIAL), folder.with_name(folder.name + PREVIOUS)
