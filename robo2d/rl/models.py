"""What a training config builds: its env and its SAC model (classes named in the YAML resolved here)."""

from __future__ import annotations

import gymnasium as gym

import robo2d  # noqa: F401  (registers the ids)
from robo2d.rl.backends import backend_of, sac_class, sbx_policy_classes
from robo2d.rl.drq import ChannelFrameStack, DrQCnnPolicy, RandomShiftReplayBuffer
from robo2d.rl.encoders import CompactCNN, KeypointCNN
from robo2d.rl.her import ReadOnlyInfoHerReplayBuffer

REPLAY_BUFFERS = {"RandomShiftReplayBuffer": RandomShiftReplayBuffer}
FEATURES_EXTRACTORS = {"CompactCNN": CompactCNN, "KeypointCNN": KeypointCNN}
POLICIES = {"DrQCnnPolicy": DrQCnnPolicy}  # robo2d's own; other names go to SB3 as they are


def make_env(config: dict, render_mode: str | None = None) -> gym.Env:
    """One env as the config trains it: goal-conditioned for HER, frames stacked for image agents."""
    env = gym.make(config["env_id"], render_mode=render_mode, **env_kwargs(config))
    if config.get("frame_stack"):
        env = ChannelFrameStack(env, int(config["frame_stack"]))
    return env


def env_kwargs(config: dict) -> dict:
    """The config's env arguments, goal-conditioned when it trains with HER."""
    kwargs = dict(config.get("env_kwargs") or {})
    if config.get("her"):
        kwargs["goal_conditioned"] = True
    return kwargs


def _by_name(table: dict, name: str, key: str):
    """A class named in the config, or a ValueError that lists the names robo2d knows."""
    if name not in table:
        raise ValueError(f"unknown {key} {name!r} in the config; robo2d offers {sorted(table)}")
    return table[name]


def sac_arguments(config: dict) -> tuple:
    """(policy, SAC keyword arguments) of a config, with the classes it names by string resolved."""
    sac_kwargs = dict(config.get("sac") or {})
    policy = config.get("policy", "MlpPolicy")
    policy = POLICIES.get(policy, policy)
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
    if backend_of(config) == "sbx":
        policy_kwargs.update(sbx_policy_classes(config))
        sac_kwargs["policy_kwargs"] = policy_kwargs
    if config.get("her"):
        policy = "MultiInputPolicy"
        sac_kwargs["replay_buffer_class"] = ReadOnlyInfoHerReplayBuffer
        sac_kwargs["replay_buffer_kwargs"] = dict(config["her"])
    return policy, sac_kwargs


def new_model(config: dict, env, tensorboard_log: str | None = None, **overrides):
    """A fresh SAC model (SB3's, or SBX's for ``backend: sbx``) as the config describes it; `overrides`
    replace SAC arguments (e.g. a small buffer_size for a model that only predicts)."""
    policy, sac_kwargs = sac_arguments(config)
    sac_kwargs.update(overrides)
    sac = sac_class(config)
    return sac(policy, env, seed=config.get("seed"), tensorboard_log=tensorboard_log, verbose=0, **sac_kwargs)
