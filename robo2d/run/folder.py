"""RunFolder: the one place that knows a run folder's file names.

A run folder holds the run's exact config, its final model (and observation normaliser), its curve
(evaluations.csv, learning_curve.png), the best model so far (``best/``, a run folder of its own),
the last checkpoint (``checkpoint/``: model, replay buffer, random state, a copy of ``best/``), the
demonstrations it started from, TensorBoard logs, and in a sweep its ``train.log``. Everything that
reads or writes one asks this class for the path, so the format lives here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = "model.zip"
CONFIG_FILE = "config.yaml"
EVAL_FILE = "evaluations.csv"  # a run's periodic evaluations, one row per evaluation
CURVE_FILE = "learning_curve.png"
NORMALIZER_FILE = "vecnormalize.npz"
PICKLED_NORMALIZER_FILE = "vecnormalize.pkl"  # older runs; read only when trusted
REPLAY_BUFFER_FILE = "replay_buffer.pkl"
DEMO_FILE = "demonstrations.csv"  # how many oracle steps went into the replay buffer before training
LOG_FILE = "train.log"  # a sweep trial's output
CHECKPOINT_DIR = "checkpoint"
BEST_DIR = "best"  # the model of the best evaluation so far: a run folder of its own
TENSORBOARD_DIR = "tensorboard"


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
