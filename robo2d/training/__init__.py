"""Where the training modules were before they moved into rooms of their own; kept so that what names
the old paths still works: checkpoints (their replay buffers and SB3 model zips pickle class paths such
as ``robo2d.training.her.HerSampling``), agents loaded with ``--trust``, and users' imports.

The rooms: ``robo2d.rl`` (what SB3 lacks: backends, SAC variants, HER sampling, DrQ, encoders, a model
from a config), ``robo2d.run`` (one run = one folder: config, train, resume, evaluation, agent files),
``robo2d.studies`` (sweeps, reports, robustness, statistics), ``robo2d.diagnostics`` (bench, soak,
training speed). ``import robo2d.training.X`` imports the module's new home and registers it under
the old name too, lazily: nothing heavy is imported until a name is asked for.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

#: old module name (under robo2d.training) -> its module now
MOVED = {
    "backends": "robo2d.rl.backends",
    "sb3_sac": "robo2d.rl.sb3_sac",
    "sbx_networks": "robo2d.rl.sbx_networks",
    "her": "robo2d.rl.her",
    "drq": "robo2d.rl.drq",
    "encoders": "robo2d.rl.encoders",
    "models": "robo2d.rl.models",
    "train": "robo2d.run.train",
    "config": "robo2d.run.config",
    "files": "robo2d.run.folder",
    "eval_log": "robo2d.run.eval_log",
    "snapshot": "robo2d.run.snapshot",
    "agents": "robo2d.run.loading",
    "agent_files": "robo2d.run.agent_files",
    "seeds": "robo2d.run.seeds",
    "evaluation": "robo2d.run.evaluation",
    "demonstrations": "robo2d.run.demonstrations",
    "datasets": "robo2d.run.datasets",
    "tutorial": "robo2d.run.tutorial",
    "plots": "robo2d.run.eval_log",
    "sweep": "robo2d.studies.sweep",
    "report": "robo2d.studies.report",
    "robustness": "robo2d.studies.robustness",
    "statistics": "robo2d.studies.statistics",
    "speed": "robo2d.diagnostics.training_speed",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``robo2d.training.X`` as the module it moved to (the same module object, not a copy)."""

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, name = fullname.rpartition(".")
        if prefix != __name__ or name not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return importlib.import_module(MOVED[spec.name.rpartition(".")[2]])

    def exec_module(self, module) -> None:
        """Already executed under its new name."""


if not any(isinstance(finder, _MovedModules) for finder in sys.meta_path):
    sys.meta_path.append(_MovedModules())


def __getattr__(name: str):
    if name in MOVED:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
