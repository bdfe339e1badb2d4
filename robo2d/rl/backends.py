"""Which SAC trains a config: SB3's (PyTorch, the default) or SBX's (the same algorithm in JAX).

SBX (``sbx-rl``, by SB3's maintainers) keeps SB3's API, replay buffers (HER included), VecEnvs and
callbacks, and compiles each gradient update into one XLA program: on small networks the per-update
overhead of PyTorch's eager mode is most of an update's time (``robo2d bench --training``). A config
picks it with ``backend: sbx``; it takes vector observations (``MlpPolicy``/``MultiInputPolicy``), so
the pixel reacher's CNN configs stay on SB3. It is an extra: ``pip install 'robo2d[jax]'``.

An SBX model's own zip pickles its networks; robo2d also writes their parameters as plain arrays
(``policy.npz``), which ``robo2d evaluate``/``record``/``robustness`` read into a model built from the
config, so an SBX agent loads without unpickling anything (see robo2d.run.agent_files).
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

BACKENDS = ("sb3", "sbx")
JAX_HINT = "pip install 'robo2d[jax]'"
SBX_POLICIES = ("MlpPolicy", "MultiInputPolicy")
XLA_ONE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
JAX_CACHE_VARIABLE = "ROBO2D_JAX_CACHE"  # the compiled-program cache's folder, or "off"
JAX_CACHE_OFF = "off"
NETWORK_STATES = ("actor_state", "qf_state")  # the policy's flax train states that hold parameters
NETWORK_INITS = ("pytorch", "flax")  # network_init: PyTorch's nn.Linear initialisation, or Flax's (SBX's)
ACTOR_PARAMS = "actor_state/params/Dense_"  # save_params' actor layers: the hidden ones, mean, log-std


class BackendError(ValueError):
    """A model spec whose backend is unknown, not installed, or cannot train it."""


@dataclass(frozen=True)
class ModelSpec:
    """What building a SAC model takes (a run's config gives it, robo2d.run.config.RunConfig.model)."""

    policy: str = "MlpPolicy"
    sac: Mapping = field(default_factory=dict)  # SAC keyword arguments, classes named by string
    her: Mapping | None = None  # HerReplayBuffer arguments, or None for a plain replay buffer
    backend: str = "sb3"
    network_init: str = "pytorch"
    seed: int | None = None
    threads: int = 1  # torch threads (and XLA's, for SBX: see _single_threaded_xla)


def sbx_installed() -> bool:
    """Whether SBX (and with it JAX) can be imported here: looked up, not imported."""
    return importlib.util.find_spec("sbx") is not None


def backend_of(spec: ModelSpec) -> str:
    if spec.backend not in BACKENDS:
        raise BackendError(
            f"backend {spec.backend!r} is not one robo2d trains with; choose one of {list(BACKENDS)}"
        )
    return spec.backend


def sac_class(spec: ModelSpec) -> type:
    """SB3's or SBX's SAC class for the spec (BackendError with the install line if SBX is missing)."""
    if backend_of(spec) == "sb3":
        from robo2d.rl.sb3_sac import SAC

        return SAC
    _single_threaded_xla(spec.threads)
    try:
        from sbx import SAC
    except ModuleNotFoundError:
        raise BackendError(f"backend: sbx needs SBX and JAX, which are not installed: {JAX_HINT}") from None
    _compiled_program_cache()
    return SAC


def jax_cache_folder() -> Path | None:
    """Where compiled XLA programs are kept: ``$ROBO2D_JAX_CACHE``, else robo2d's folder in the user's
    cache (``$XDG_CACHE_HOME`` or ``~/.cache``); None if ROBO2D_JAX_CACHE is "off"."""
    chosen = os.environ.get(JAX_CACHE_VARIABLE)
    if chosen == JAX_CACHE_OFF:
        return None
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "robo2d" / "jax"


def _compiled_program_cache() -> None:
    """SBX compiles its update and its action selection on a run's first steps, seconds on a CPU that
    a short run feels (the one-joint's time to target on the Speed page, first run and later runs).
    JAX's persistent cache keeps the compiled programs on disk, keyed by the program, the compile
    options and JAX's version, so every later run of a config with the same shapes loads them (the
    same programs: runs are the same bit for bit). A cache folder the user set for JAX
    (JAX_COMPILATION_CACHE_DIR) wins."""
    import jax

    folder = jax_cache_folder()
    if folder is None or jax.config.jax_compilation_cache_dir:
        return
    jax.config.update("jax_compilation_cache_dir", str(folder))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)  # small programs add up too


def _single_threaded_xla(threads: int) -> None:
    """A config's torch_threads: 1 holds XLA's computation to one thread too (it otherwise spreads an
    update over every core). JAX's runtime keeps threads of its own, so only a CPU affinity (taskset)
    holds a whole SBX run to one core. Only before JAX starts; XLA_FLAGS set by the user win."""
    if threads == 1 and "jax" not in sys.modules and "XLA_FLAGS" not in os.environ:
        os.environ["XLA_FLAGS"] = XLA_ONE_THREAD


def network_init(spec: ModelSpec) -> str:
    """How the networks start: as PyTorch's nn.Linear (SB3's, and robo2d's SBX default, so an
    SB3-tuned recipe starts alike under SBX) or as Flax's dense layers (``network_init: flax``, SBX's)."""
    init = spec.network_init
    if init not in NETWORK_INITS:
        raise BackendError(
            f"network_init {init!r} is not one robo2d builds; choose one of {list(NETWORK_INITS)}"
        )
    if init == "flax" and backend_of(spec) == "sb3":
        raise BackendError(
            "network_init: flax is for backend: sbx (SB3's PyTorch networks start as PyTorch's)"
        )
    return init


def sbx_policy_classes(spec: ModelSpec) -> dict:
    """SBX policy arguments (actor and critic classes) for the spec's network_init."""
    if network_init(spec) == "flax":
        return {}
    from robo2d.rl.sbx_networks import TorchInitActor, TorchInitVectorCritic

    return {"actor_class": TorchInitActor, "vector_critic_class": TorchInitVectorCritic}


def check_backend(spec: ModelSpec, frame_stack: int | None = None) -> None:
    """What SBX cannot take (image policies, PyTorch-only network arguments), before a run folder exists."""
    network_init(spec)
    if backend_of(spec) == "sb3":
        return
    from sbx.sac.policies import SACPolicy

    if spec.policy not in SBX_POLICIES or frame_stack:
        raise BackendError(
            f"backend: sbx trains vector observations ({', '.join(SBX_POLICIES)}); this config uses "
            f"{spec.policy}{' with frame_stack' if frame_stack else ''}: use backend: sb3"
        )
    valid = list(inspect.signature(SACPolicy.__init__).parameters)[4:]  # after self, spaces, lr_schedule
    for key in spec.sac.get("policy_kwargs") or {}:
        if key not in valid:
            raise BackendError(f"sac.policy_kwargs.{key} is not an argument of SBX's SAC policy ({valid})")


def is_sbx(model) -> bool:
    return hasattr(model.policy, "actor_state")


def save_params(model, path: Path) -> None:
    """An SBX model's network parameters as plain arrays: 'actor_state/params/Dense_0/kernel', ..."""
    from flax import serialization, traverse_util

    arrays = {}
    for state in NETWORK_STATES:
        params = serialization.to_state_dict(getattr(model.policy, state).params)
        for key, value in traverse_util.flatten_dict(params, sep="/").items():
            arrays[f"{state}/{key}"] = np.asarray(value)
    with Path(path).open("wb") as f:
        np.savez(f, **arrays)


def load_params(model, path: Path) -> None:
    """Parameters written by save_params into `model` (built from the same config); ValueError if the
    arrays do not fit its networks."""
    from flax import serialization, traverse_util

    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    for state_name in NETWORK_STATES:
        state = getattr(model.policy, state_name)
        prefix = f"{state_name}/"
        flat = {key[len(prefix) :]: value for key, value in arrays.items() if key.startswith(prefix)}
        expected = traverse_util.flatten_dict(serialization.to_state_dict(state.params), sep="/")
        if set(flat) != set(expected) or any(flat[k].shape != expected[k].shape for k in expected):
            raise ValueError(f"{path} does not match the networks its config describes ({state_name})")
        params = serialization.from_state_dict(state.params, traverse_util.unflatten_dict(flat, sep="/"))
        setattr(model.policy, state_name, state.replace(params=params))


def load_actor_into_sb3(model, path: Path) -> None:
    """An SBX agent's actor, from save_params' arrays, into the actor of an SB3 model built from the same
    config: the agent's actions where JAX is not installed. SBX's actor layers are SB3's in the same
    order (the hidden layers, then the mean and log-std heads); a Flax kernel is (in, out), a PyTorch
    weight (out, in). ValueError if the arrays do not fit the SB3 actor."""
    import torch

    actor = model.policy.actor
    layers = [m for m in actor.latent_pi if isinstance(m, torch.nn.Linear)] + [actor.mu, actor.log_std]
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files if key.startswith(ACTOR_PARAMS)}
    shapes = [(layer.weight.shape[::-1], layer.bias.shape) for layer in layers]
    found = [
        (arrays.get(f"{ACTOR_PARAMS}{i}/kernel"), arrays.get(f"{ACTOR_PARAMS}{i}/bias"))
        for i in range(len(layers))
    ]
    if len(arrays) != 2 * len(layers) or any(
        k is None or b is None or (k.shape, b.shape) != shape for (k, b), shape in zip(found, shapes)
    ):
        raise ValueError(f"{path} does not match the networks its config describes (actor_state)")
    with torch.no_grad():
        for layer, (kernel, bias) in zip(layers, found):
            layer.weight.copy_(torch.from_numpy(kernel.T.copy()))
            layer.bias.copy_(torch.from_numpy(bias))
