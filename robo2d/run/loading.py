"""Find and load an agent: a run folder, a model .zip, or an env id (the agent shipped in agents/)."""

from __future__ import annotations

from pathlib import Path

from robo2d.catalog import ENV_IDS
from robo2d.rl.backends import load_actor_into_sb3, load_params, sbx_installed
from robo2d.run.agent_files import read_normalizer, rebuilt_objects
from robo2d.run.config import RunConfig, agents_dir, load_config, read_config, recipes
from robo2d.run.folder import MODEL_FILE, NORMALIZER_FILE, PARAMS_FILE, RunFolder

PREDICT_ONLY = {"buffer_size": 1000, "learning_starts": 0}  # a loaded agent's model: a token buffer


class Agent:
    """A trained model plus the observation normaliser it was trained with (if any)."""

    def __init__(self, model, normalizer=None) -> None:
        self.model, self.normalizer = model, normalizer

    def predict(self, obs, deterministic: bool = True):
        if self.normalizer is not None:
            obs = self.normalizer.normalize_obs(obs)
        return self.model.predict(obs, deterministic=deterministic)


def beside(model_path: Path, name: str) -> Path:
    """A file of the agent: NAME beside a run's model.zip, or ENV_ID.NAME beside a shipped ENV_ID.zip."""
    if model_path.name == MODEL_FILE:
        return model_path.parent / name
    return model_path.with_suffix("." + name)


def resolve_agent(target: str) -> tuple[Path, RunConfig]:
    """(model path, config) for a run folder, a .zip with config.yaml beside it, or a shipped recipe (an
    env id or ``ID.VARIANT``, its agent agents/NAME.zip)."""
    path = Path(target)
    if path.is_dir():
        model, config_file = RunFolder(path).model, RunFolder(path).config
        if not model.is_file():
            raise FileNotFoundError(
                f"{path} has no model.zip: is the run finished? (`robo2d train --resume {path}`)"
            )
        return model, read_config(config_file)
    if path.suffix == ".zip" and path.is_file():
        beside = RunFolder(path.parent).config
        if beside.is_file():
            return path, read_config(beside)
        if path.stem in ENV_IDS or path.stem in recipes():
            return path, load_config(path.stem)
        raise FileNotFoundError(f"no config.yaml beside {path}, and its name is not an env id")
    if target in ENV_IDS or target in recipes():
        shipped = agents_dir() / f"{target}.zip"
        if not shipped.is_file():
            raise FileNotFoundError(
                f"no trained agent is shipped for {target}; train one with `robo2d train {target}`"
            )
        return shipped, load_config(target)
    raise FileNotFoundError(
        f"{target!r} is neither a run folder, a model .zip, nor an env id ({', '.join(ENV_IDS)})"
    )


def load_agent(target: str, trust: bool = False) -> tuple[Agent, RunConfig]:
    """The agent (model + normaliser) and its training config, read without unpickling anything unless
    `trust` (see robo2d.run.agent_files): the model's pickled objects are rebuilt from the config,
    an SBX model's networks read from their arrays."""
    from robo2d.run.environment import make_env

    model_path, config = resolve_agent(target)
    normalizer = None
    if config.normalize_observation:
        normalizer = read_normalizer(beside(model_path, NORMALIZER_FILE), trust)
    env = make_env(config)  # SB3 rebuilds a HER buffer on load and needs the env for it (kept small here)
    try:
        load = _sbx_model if config.backend == "sbx" else _sb3_model
        return Agent(load(model_path, config, env, trust), normalizer), config
    finally:
        env.close()


def _sbx_model(model_path: Path, config: RunConfig, env, trust: bool):
    """An SBX agent from its arrays: into SBX's networks, or where JAX is not installed into SB3's
    PyTorch actor of the same shape (the same actions, to float precision)."""
    from robo2d.rl.models import new_model

    if not sbx_installed():
        model = new_model(config.replace(backend="sb3").model, env, **PREDICT_ONLY)
        load_actor_into_sb3(model, beside(model_path, PARAMS_FILE))
        return model
    model = new_model(config.model, env, **PREDICT_ONLY)
    load_params(model, beside(model_path, PARAMS_FILE))
    return model


def _sb3_model(model_path: Path, config: RunConfig, env, trust: bool):
    from stable_baselines3 import SAC

    from robo2d.rl.models import new_model

    custom = rebuilt_objects(model_path, new_model(config.model, env, **PREDICT_ONLY), trust)
    her_env = env if config.her else None
    try:
        return SAC.load(model_path, env=her_env, device="cpu", custom_objects={**custom, **PREDICT_ONLY})
    except RuntimeError as err:  # torch: the weights do not fit the networks the config describes
        raise ValueError(f"{model_path} does not match the networks its config describes: {err}") from None


def load_agent_and_env(
    target: str, env_kwargs: dict | None = None, render_mode: str | None = None, trust: bool = False
):
    """The agent, its config (env_kwargs updated) and an env as it was trained, with `env_kwargs` over
    the config's (e.g. ``{"randomize": True}``: the same agent under other conditions)."""
    from robo2d.run.environment import make_env

    agent, config = load_agent(target, trust)
    config = config.with_env_kwargs(env_kwargs)
    return agent, config, make_env(config, render_mode=render_mode)
