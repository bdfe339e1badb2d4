"""A run's configuration: typed, frozen, read once from YAML (agents/ID.yaml or a run's config.yaml)
plus ``--set KEY=VALUE`` overrides. This module is the only place that knows the keys, their defaults
and their checks; every other part of robo2d reads attributes of a ``RunConfig``.

The ``sac:`` and ``her:`` sections are the keyword arguments of SAC and of SB3's HerReplayBuffer; they
stay mappings (checked against those classes' real signatures by ``check_arguments``, robo2d.run.
config_checks). Everything else is a field below.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from robo2d.core.assets import data_dir
from robo2d.rl.backends import BACKENDS, NETWORK_INITS, ModelSpec

#: entries `robo2d train --resume` may change: they schedule the run, the model is loaded as saved
RESUMABLE_KEYS = (
    "total_timesteps",
    "eval_freq",
    "eval_episodes",
    "checkpoint_freq",
    "max_wall_minutes",
    "background_evaluation",
)
#: schedule entries: (smallest allowed value, what it means)
SCHEDULE = {
    "total_timesteps": (1, "env steps to train"),
    "n_envs": (1, "parallel envs"),
    "eval_freq": (1, "env steps between evaluations"),
    "eval_episodes": (1, "episodes per evaluation"),
    "checkpoint_freq": (0, "env steps between checkpoints, 0 for none"),
    "torch_threads": (1, "torch threads"),
}


class ConfigError(ValueError):
    """A config entry robo2d or SB3 would refuse, found before a run folder is made."""


@dataclass(frozen=True)
class Demonstrations:
    """Episodes put into the replay buffer before training (robo2d.run.demonstrations): the task's
    oracle with Gaussian action noise, or the first `episodes` of a dataset (0: all of them)."""

    episodes: int = 0
    noise: float = 0.0
    dataset: str | None = None

    def __post_init__(self) -> None:
        if _not_count(self.episodes, 0) or not _is_number(self.noise) or self.noise < 0:
            raise ConfigError(
                f"demonstrations need episodes >= 0 (a whole number) and noise >= 0, got {self}"
            )


@dataclass(frozen=True)
class RunConfig:
    """One training run as it is set up; ``robo2d train`` writes it to the run's config.yaml."""

    env_id: str
    seed: int | None = None  # None: not chosen yet (robo2d train picks 0)
    total_timesteps: int = 20_000
    n_envs: int = 1
    eval_freq: int = 2_000
    eval_episodes: int = 100
    checkpoint_freq: int = 10_000  # 0: no checkpoints, so no --resume
    max_wall_minutes: float | None = None  # stop training (and save) after this much wall-clock time
    background_evaluation: bool = False  # evaluate in a second process (where there is a second core)
    torch_threads: int = 1
    env_kwargs: dict = field(default_factory=dict)
    her: dict | None = None  # HerReplayBuffer arguments; set: goal-conditioned env, MultiInputPolicy
    sac: dict = field(default_factory=dict)  # SAC arguments
    policy: str = "MlpPolicy"
    frame_stack: int | None = None  # images: this many frames along the channel axis
    normalize_observation: bool = False
    demonstrations: Demonstrations | None = None
    backend: str = "sb3"  # "sb3" (PyTorch) or "sbx" (JAX)
    network_init: str = "pytorch"  # "pytorch" or "flax" (sbx only)
    best_timesteps: int | None = None  # in best/config.yaml: the env steps of that model

    def __post_init__(self) -> None:
        _check(self)

    @property
    def run_seed(self) -> int:
        """The seed the run's streams derive from (0 where none was chosen)."""
        return 0 if self.seed is None else self.seed

    @property
    def env_arguments(self) -> dict:
        """The env's keyword arguments: the config's env_kwargs, goal-conditioned when it trains with HER."""
        return {**self.env_kwargs, "goal_conditioned": True} if self.her else dict(self.env_kwargs)

    @property
    def model(self) -> ModelSpec:
        """What robo2d.rl needs to build the SAC model (it never sees the rest of the config)."""
        return ModelSpec(
            self.policy, self.sac, self.her, self.backend, self.network_init, self.seed, self.torch_threads
        )

    def replace(self, **changes: Any) -> RunConfig:
        """A copy with some fields changed (checked like any config)."""
        return dataclasses.replace(self, **changes)

    def with_env_kwargs(self, env_kwargs: dict | None) -> RunConfig:
        """The config with `env_kwargs` over its own (the same agent under other conditions)."""
        return self.replace(env_kwargs={**self.env_kwargs, **(env_kwargs or {})})

    def to_dict(self) -> dict:
        """Plain data for YAML, None-valued optional entries left out."""
        data = dataclasses.asdict(self)
        return {k: copy.deepcopy(v) for k, v in data.items() if v is not None or k in ("seed", "her")}

    @classmethod
    def from_dict(cls, data: dict) -> RunConfig:
        """A config from plain data (YAML); unknown entries are a ConfigError naming the closest key."""
        data = copy.deepcopy(dict(data))
        known = [f.name for f in dataclasses.fields(cls)]
        for key in data:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ConfigError(f"no config entry {key!r}.{hint} Entries: {known}")
        if "env_id" not in data:
            raise ConfigError("a config names its env_id")
        demonstrations = data.get("demonstrations")
        if isinstance(demonstrations, dict):
            data["demonstrations"] = _demonstrations(demonstrations)
        elif demonstrations is not None:
            raise ConfigError(
                f"demonstrations must be a section (episodes, noise, dataset), got {demonstrations!r}"
            )
        for section in ("env_kwargs", "sac"):
            data[section] = data.get(section) or {}
        return cls(**data)

    def with_overrides(self, overrides: list[str]) -> RunConfig:
        """Apply `key=value` overrides; dotted keys reach into sections (e.g. sac.learning_rate=3e-4)."""
        data = self.to_dict()
        for item in overrides:
            key, sep, raw = item.partition("=")
            if not sep:
                raise ConfigError(f"override {item!r} must look like key=value, e.g. sac.batch_size=128")
            *parents, leaf = key.split(".")
            known, root = [f.name for f in dataclasses.fields(self)], key.split(".")[0]
            if root not in known:
                raise ConfigError(f"override {item!r}: no config entry {root!r}; entries: {known}")
            node = data
            for part in parents:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
            node[leaf] = parse_value(raw)
        return RunConfig.from_dict(data)


def _demonstrations(section: dict) -> Demonstrations:
    names = [f.name for f in dataclasses.fields(Demonstrations)]
    unknown = [key for key in section if key not in names]
    if unknown:
        raise ConfigError(f"demonstrations.{unknown[0]} is not an entry; entries: {names}")
    return Demonstrations(**section)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _not_count(value, low: int) -> bool:
    return isinstance(value, bool) or not isinstance(value, int) or value < low


def _check(config: RunConfig) -> None:
    """The checks that need no SAC class: counts, choices, kinds (robo2d.run.config_checks does the rest)."""
    for key, (low, meaning) in SCHEDULE.items():
        value = getattr(config, key)
        if _not_count(value, low):
            raise ConfigError(f"{key} ({meaning}) must be a whole number >= {low}, got {value!r}")
    minutes = config.max_wall_minutes
    if minutes is not None and (not _is_number(minutes) or minutes <= 0):
        raise ConfigError(f"max_wall_minutes must be a positive number of minutes or null, got {minutes!r}")
    if config.seed is not None and _not_count(config.seed, 0):
        raise ConfigError(f"seed must be a whole number >= 0 or null, got {config.seed!r}")
    if config.frame_stack is not None and _not_count(config.frame_stack, 1):
        raise ConfigError(f"frame_stack must be a whole number >= 1 or null, got {config.frame_stack!r}")
    for key, choices in (("backend", BACKENDS), ("network_init", NETWORK_INITS)):
        if getattr(config, key) not in choices:
            value = getattr(config, key)
            raise ConfigError(f"{key} {value!r} is not one robo2d offers; choose one of {list(choices)}")
    for key in ("normalize_observation", "background_evaluation"):
        if not isinstance(getattr(config, key), bool):
            raise ConfigError(f"{key} must be true or false, got {getattr(config, key)!r}")
    for key in ("env_kwargs", "sac"):
        if not isinstance(getattr(config, key), dict):
            raise ConfigError(f"{key} must be a section of entries, got {getattr(config, key)!r}")
    if config.her is not None and not isinstance(config.her, dict):
        raise ConfigError(f"her must be a section of HerReplayBuffer arguments or null, got {config.her!r}")


def parse_value(raw: str):
    """A Python literal (1e-3, True, [64, 64]), else YAML as in the config files (true, {a: 1}), else text."""
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        pass
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw


def agents_dir() -> Path:
    """Folder of the shipped SAC configs and trained agents (inside the installed package)."""
    return data_dir("agents")


def recipes() -> list[str]:
    """Names of the shipped training configs: an env id (its default robot), or ``ID.VARIANT`` (the same
    id with other env arguments, e.g. ``Robo2DKukaSuctionPickPlace-v0.panda`` for another arm)."""
    return sorted(path.stem for path in agents_dir().glob("*.yaml"))


def recipe_env_id(name: str) -> str:
    """The env id a recipe trains (the name up to its first dot)."""
    return name.split(".", 1)[0]


def load_config(recipe: str, **changes: Any) -> RunConfig:
    """The shipped config `recipe` (an env id, whose catalog entry names the file, or ``ID.VARIANT``),
    with `changes` to its fields."""
    from robo2d.catalog import ENV_IDS, entry

    path = agents_dir() / (entry(recipe).agent_config if recipe in ENV_IDS else f"{recipe}.yaml")
    if not path.is_file():
        raise FileNotFoundError(
            f"no training config {recipe!r} (expected {path.name} in robo2d's agents/; shipped: {recipes()})"
        )
    data = {**(yaml.safe_load(path.read_text()) or {}), "env_id": recipe_env_id(recipe), **changes}
    return RunConfig.from_dict(data)


def apply_overrides(config: RunConfig, overrides: list[str]) -> RunConfig:
    """`config` with `key=value` overrides (see RunConfig.with_overrides)."""
    return config.with_overrides(list(overrides))


def save_config(config: RunConfig, path: Path) -> None:
    from robo2d.run.folder import atomic_file

    with atomic_file(path) as temporary:
        temporary.write_text(yaml.safe_dump(config.to_dict(), sort_keys=False))


def read_config(path: Path) -> RunConfig:
    """A run's config.yaml (from any robo2d version: entries it lacks take their defaults)."""
    return RunConfig.from_dict(yaml.safe_load(Path(path).read_text()))
