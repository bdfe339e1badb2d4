"""Building a SAC model from a ModelSpec: SB3's or SBX's SAC, HER, and the classes a YAML names by string."""

from __future__ import annotations

from stable_baselines3.common.logger import Logger

from robo2d.rl.backends import ModelSpec, backend_of, sac_class, sbx_policy_classes
from robo2d.rl.drq import DrQCnnPolicy, RandomShiftReplayBuffer
from robo2d.rl.encoders import CompactCNN, KeypointCNN
from robo2d.rl.her import ReadOnlyInfoHerReplayBuffer

REPLAY_BUFFERS = {"RandomShiftReplayBuffer": RandomShiftReplayBuffer}
FEATURES_EXTRACTORS = {"CompactCNN": CompactCNN, "KeypointCNN": KeypointCNN}
POLICIES = {"DrQCnnPolicy": DrQCnnPolicy}  # robo2d's own; other names go to SB3 as they are


def _by_name(table: dict, name: str, key: str):
    """A class named in the config, or a ValueError that lists the names robo2d knows."""
    if name not in table:
        raise ValueError(f"unknown {key} {name!r} in the config; robo2d offers {sorted(table)}")
    return table[name]


def sac_arguments(spec: ModelSpec) -> tuple:
    """(policy, SAC keyword arguments) of a spec, with the classes it names by string resolved."""
    sac_kwargs = dict(spec.sac)
    policy = POLICIES.get(spec.policy, spec.policy)
    if "replay_buffer_class" in sac_kwargs:  # by name in the YAML
        sac_kwargs["replay_buffer_class"] = _by_name(
            REPLAY_BUFFERS, sac_kwargs["replay_buffer_class"], "sac.replay_buffer_class"
        )
    policy_kwargs = dict(sac_kwargs.get("policy_kwargs") or {})
    extractor = policy_kwargs.get("features_extractor_class")
    if extractor:  # by name in the YAML
        policy_kwargs["features_extractor_class"] = _by_name(
            FEATURES_EXTRACTORS, extractor, "sac.policy_kwargs.features_extractor_class"
        )
        sac_kwargs["policy_kwargs"] = policy_kwargs
    if backend_of(spec) == "sbx":
        policy_kwargs.update(sbx_policy_classes(spec))
        sac_kwargs["policy_kwargs"] = policy_kwargs
    if spec.her:
        policy = "MultiInputPolicy"
        sac_kwargs["replay_buffer_class"] = ReadOnlyInfoHerReplayBuffer
        sac_kwargs["replay_buffer_kwargs"] = dict(spec.her)
    return policy, sac_kwargs


def new_model(spec: ModelSpec, env, tensorboard_log: str | None = None, **overrides):
    """A fresh SAC model (SB3's, or SBX's for ``backend: sbx``) as the spec describes it; `overrides`
    replace SAC arguments (e.g. a small buffer_size for a model that only predicts)."""
    policy, sac_kwargs = sac_arguments(spec)
    sac_kwargs.update(overrides)
    sac = sac_class(spec)
    model = sac(policy, env, seed=spec.seed, tensorboard_log=tensorboard_log, verbose=0, **sac_kwargs)
    if tensorboard_log is None:  # SB3's own logger would make an empty SB3-<date> folder in the temp dir
        model.set_logger(Logger(folder=None, output_formats=[]))
    return model
