"""RunFolder: the one place that knows a run folder's file names.

A run folder holds the run's exact config, its final model (and observation normaliser), its curve
(evaluations.csv, learning_curve.png), the best model so far (``best/``, a run folder of its own),
the last checkpoint (``checkpoint/``: model, replay buffer, random state, a copy of ``best/``), the
demonstrations it started from, TensorBoard logs, and in a sweep its ``train.log``. Everything that
reads or writes one asks this class for the path, so the format lives here once.

Its files are written so that a run killed at any moment never leaves one half-written: a file is
written beside its final name and renamed over it (``os.replace`` is atomic); a folder (checkpoint,
best model) is written whole as ``NAME.partial`` and swapped in by two renames, with the one it
replaces kept as ``NAME.previous`` until the swap is done, so one complete version always exists.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = "model.zip"
CONFIG_FILE = "config.yaml"
EVAL_FILE = "evaluations.csv"  # a run's periodic evaluations, one row per evaluation
CURVE_FILE = "learning_curve.png"
NORMALIZER_FILE = "vecnormalize.npz"
PARAMS_FILE = "policy.npz"  # an SBX model's networks as plain arrays (robo2d.rl.backends.save_params)
PICKLED_NORMALIZER_FILE = "vecnormalize.pkl"  # older runs; read only when trusted
REPLAY_BUFFER_FILE = "replay_buffer.pkl"
DEMO_FILE = "demonstrations.csv"  # how many oracle steps went into the replay buffer before training
LOG_FILE = "train.log"  # a sweep trial's output
CHECKPOINT_DIR = "checkpoint"
BEST_DIR = "best"  # the model of the best evaluation so far: a run folder of its own
TENSORBOARD_DIR = "tensorboard"
PARTIAL, PREVIOUS = ".partial", ".previous"


@dataclass(frozen=True)
class RunFolder:
    """Paths inside one run folder (nothing is created or read here)."""

    path: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))

    @property
    def model(self) -> Path:
        return self.path / MODEL_FILE

    @property
    def config(self) -> Path:
        return self.path / CONFIG_FILE

    @property
    def evaluations(self) -> Path:
        return self.path / EVAL_FILE

    @property
    def curve(self) -> Path:
        return self.path / CURVE_FILE

    @property
    def normalizer(self) -> Path:
        return self.path / NORMALIZER_FILE

    @property
    def replay_buffer(self) -> Path:
        return self.path / REPLAY_BUFFER_FILE

    @property
    def demonstrations(self) -> Path:
        return self.path / DEMO_FILE

    @property
    def log(self) -> Path:
        return self.path / LOG_FILE

    @property
    def tensorboard(self) -> Path:
        return self.path / TENSORBOARD_DIR

    @property
    def checkpoint(self) -> RunFolder:
        """The last checkpoint: a run folder of model, replay buffer, random state and best/."""
        return RunFolder(self.path / CHECKPOINT_DIR)

    @property
    def best(self) -> RunFolder:
        """The best evaluation's model and config."""
        return RunFolder(self.path / BEST_DIR)

    def is_finished(self) -> bool:
        """Whether the run saved its final model."""
        return self.model.is_file()

    @staticmethod
    def of_evaluations(path: Path) -> bool:
        """Whether `path` is a run folder's evaluations.csv (rather than a stored result file)."""
        return Path(path).name == EVAL_FILE


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
