"""The checks of a RunConfig that need the classes it trains with: its sac: and her: entries against the
real arguments of its backend's SAC and SB3's HerReplayBuffer, what SBX cannot take, and the run seed's
room in its seed streams. ``robo2d train`` and ``robo2d sweep`` make them before any run folder exists;
before them, a config for SBX where it is not installed falls back to SB3 (with_installed_backend)."""

from __future__ import annotations

import difflib
import functools
import inspect

from robo2d.run.config import ConfigError, RunConfig


def with_installed_backend(config: RunConfig) -> RunConfig:
    """The config to train here. A recipe may name SBX (``backend: sbx``, where it was measured faster);
    where SBX and JAX are not installed, the same SAC trains with SB3 after a one-line note, and the run's
    config.yaml says so. A config that needs SBX itself (``network_init: flax``) is checked as it is."""
    from robo2d.rl.backends import sbx_installed

    if config.backend != "sbx" or config.network_init != "pytorch" or sbx_installed():
        return config
    _fallback_note()
    return config.replace(backend="sb3")


@functools.cache
def _fallback_note() -> None:
    """Once per process (a sweep checks many configs)."""
    from robo2d.rl.backends import JAX_HINT

    print(
        "[backend] the config names backend: sbx, but SBX and JAX are not installed: training the same "
        f"SAC with SB3 (slower updates); {JAX_HINT} for SBX",
        flush=True,
    )


def check_arguments(config: RunConfig) -> None:
    """ConfigError (with the closest valid name) for an entry SAC, HER or the seed streams would refuse."""
    from stable_baselines3 import HerReplayBuffer

    from robo2d.rl.backends import BackendError, check_backend, sac_class

    _check_seed_streams(config)
    try:
        sac, library = sac_class(config.model), config.backend.upper()
        check_backend(config.model, config.frame_stack)
    except BackendError as err:
        raise ConfigError(str(err)) from None
    for section, cls, owner, skip in (
        ("sac", sac, library, ("self", "policy", "env")),
        ("her", HerReplayBuffer, "SB3", ()),
    ):
        valid = [n for n in inspect.signature(cls.__init__).parameters if n not in skip]
        for key in getattr(config, section) or {}:
            if key not in valid:
                close = difflib.get_close_matches(key, valid, n=1)
                hint = f" Did you mean {section}.{close[0]}?" if close else ""
                raise ConfigError(f"{section}.{key} is not an argument of {owner}'s {cls.__name__}.{hint}")
    _check_demonstrations(config)


def _check_seed_streams(config: RunConfig) -> None:
    """The run seed and its episode counts inside their seed streams (robo2d.run.seeds)."""
    from robo2d.run.seeds import check_seeds

    demonstrations = config.demonstrations.episodes if config.demonstrations else 0
    try:
        check_seeds(config.run_seed, config.eval_episodes, "periodic evaluation")
        check_seeds(config.run_seed, demonstrations, "demonstration")
    except ValueError as err:
        raise ConfigError(str(err)) from None


def _check_demonstrations(config: RunConfig) -> None:
    """Oracle demonstrations are rolled out in one env."""
    demos = config.demonstrations
    if demos is not None and demos.dataset is None and config.n_envs != 1:
        raise ConfigError("demonstrations are added for one env: set n_envs: 1")
