"""Training configurations: one YAML per env id in agents/, overridable from the command line."""

from __future__ import annotations

import ast
import copy
import difflib
import inspect
from pathlib import Path

import yaml

from robo2d.core.assets import data_dir

DEFAULTS: dict = {
    "env_kwargs": {},
    "n_envs": 1,
    "total_timesteps": 20_000,
    "eval_freq": 2_000,
    "eval_episodes": 100,
    "checkpoint_freq": 10_000,  # 0: no checkpoints, so no --resume
    "max_wall_minutes": None,  # stop training (and save) after this much wall-clock time
    "torch_threads": 1,
    "her": None,
    "sac": {},
}
#: entries a config may hold besides DEFAULTS (set by a shipped config or by `robo2d train`)
OPTIONAL_KEYS = (
    "env_id",
    "seed",
    "policy",
    "frame_stack",
    "normalize_observation",
    "demonstrations",
    "backend",
    "network_init",
)
#: entries `robo2d train --resume` may change: they schedule the run, the model is loaded as saved
RESUMABLE_KEYS = ("total_timesteps", "eval_freq", "eval_episodes", "checkpoint_freq", "max_wall_minutes")


def agents_dir() -> Path:
    """Folder of the shipped SAC configs and trained agents (inside the installed package)."""
    return data_dir("agents")


def load_config(env_id: str) -> dict:
    """The shipped config for `env_id` (its catalog entry names the file) merged over the defaults."""
    from robo2d.catalog import ENV_IDS, entry

    path = agents_dir() / (entry(env_id).agent_config if env_id in ENV_IDS else f"{env_id}.yaml")
    if not path.is_file():
        raise FileNotFoundError(
            f"no training config for {env_id!r} (expected {path.name} in robo2d's agents/)"
        )
    config = copy.deepcopy(DEFAULTS)
    config.update(yaml.safe_load(path.read_text()) or {})
    config["env_id"] = env_id
    return config


def apply_overrides(config: dict, overrides: list[str]) -> dict:
    """Apply `key=value` overrides; dotted keys reach into sections (e.g. sac.learning_rate=3e-4)."""
    config = copy.deepcopy(config)
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep:
            raise ValueError(f"override {item!r} must look like key=value, e.g. sac.batch_size=128")
        *parents, leaf = key.split(".")
        known = [*DEFAULTS, *OPTIONAL_KEYS]
        if key.split(".")[0] not in known:
            raise ValueError(f"override {item!r}: no config entry {key.split('.')[0]!r}; entries: {known}")
        node = config
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = _parse_value(raw)
    return config


def _parse_value(raw: str):
    """A Python literal (1e-3, True, [64, 64]), else YAML as in the config files (true, {a: 1}), else text."""
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        pass
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw


def save_config(config: dict, path: Path) -> None:
    from robo2d.run.files import atomic_file

    with atomic_file(path) as temporary:
        temporary.write_text(yaml.safe_dump(config, sort_keys=False))


def read_config(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


class ConfigError(ValueError):
    """A config entry SB3 would refuse, found before a run folder is made."""


def check_arguments(config: dict) -> None:
    """The config's sac: and her: entries against the real arguments of its backend's SAC (SB3's or
    SBX's) and SB3's HerReplayBuffer (ValueError with the closest name), before a run folder is made."""
    from stable_baselines3 import HerReplayBuffer

    from robo2d.rl.backends import BackendError, backend_of, check_backend, sac_class

    _check_schedule(config)
    _check_seed_streams(config)
    try:
        sac, library = sac_class(config), backend_of(config).upper()
        check_backend(config)
    except BackendError as err:
        raise ConfigError(str(err)) from None
    for section, cls, owner, skip in (
        ("sac", sac, library, ("self", "policy", "env")),
        ("her", HerReplayBuffer, "SB3", ()),
    ):
        valid = [n for n in inspect.signature(cls.__init__).parameters if n not in skip]
        for key in config.get(section) or {}:
            if key not in valid:
                close = difflib.get_close_matches(key, valid, n=1)
                hint = f" Did you mean {section}.{close[0]}?" if close else ""
                raise ConfigError(f"{section}.{key} is not an argument of {owner}'s {cls.__name__}.{hint}")


#: schedule entries: (smallest allowed value, what it means)
SCHEDULE = {
    "total_timesteps": (1, "env steps to train"),
    "n_envs": (1, "parallel envs"),
    "eval_freq": (1, "env steps between evaluations"),
    "eval_episodes": (1, "episodes per evaluation"),
    "checkpoint_freq": (0, "env steps between checkpoints, 0 for none"),
    "torch_threads": (1, "torch threads"),
}


def _check_schedule(config: dict) -> None:
    """Counts that must be whole numbers of at least their minimum; max_wall_minutes positive or None."""
    for key, (low, meaning) in SCHEDULE.items():
        value = config.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ConfigError(f"{key} ({meaning}) must be a whole number >= {low}, got {value!r}")
    minutes = config.get("max_wall_minutes")
    if minutes is not None and (
        isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or minutes <= 0
    ):
        raise ConfigError(f"max_wall_minutes must be a positive number of minutes or null, got {minutes!r}")


def _check_seed_streams(config: dict) -> None:
    """The run seed and its episode counts inside their seed streams (robo2d.run.seeds)."""
    from robo2d.run.seeds import check_seeds

    demonstrations = (config.get("demonstrations") or {}).get("episodes", 0)
    try:
        check_seeds(config.get("seed", 0), config["eval_episodes"], "periodic evaluation")
        check_seeds(config.get("seed", 0), int(demonstrations), "demonstration")
    except ValueError as err:
        raise ConfigError(str(err)) from None
