"""Find and load an agent: a run folder, a model .zip, or an env id (the agent shipped in agents/)."""

from __future__ import annotations

from pathlib import Path

from robo2d.registration import ENV_IDS
from robo2d.training.config import agents_dir, load_config, read_config


def resolve_agent(target: str) -> tuple[Path, dict]:
    """(model path, config) for a run folder, a .zip with config.yaml beside it, or a shipped env id."""
    path = Path(target)
    if path.is_dir():
        model, config_file = path / "model.zip", path / "config.yaml"
        if not model.is_file():
            raise FileNotFoundError(
                f"{path} has no model.zip: is the run finished? (`robo2d train --resume {path}`)"
            )
        return model, read_config(config_file)
    if path.suffix == ".zip" and path.is_file():
        beside = path.parent / "config.yaml"
        if beside.is_file():
            return path, read_config(beside)
        if path.stem in ENV_IDS:
            return path, load_config(path.stem)
        raise FileNotFoundError(f"no config.yaml beside {path}, and its name is not an env id")
    if target in ENV_IDS:
        shipped = agents_dir() / f"{target}.zip"
        if not shipped.is_file():
            raise FileNotFoundError(
                f"no trained agent is shipped for {target}; train one with `robo2d train {target}`"
            )
        return shipped, load_config(target)
    raise FileNotFoundError(
        f"{target!r} is neither a run folder, a model .zip, nor an env id ({', '.join(ENV_IDS)})"
    )


def load_agent(target: str):
    from stable_baselines3 import SAC

    model_path, config = resolve_agent(target)
    return SAC.load(model_path, device="cpu"), config
