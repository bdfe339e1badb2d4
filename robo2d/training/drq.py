"""Image SAC helpers: DrQ's random-shift augmentation as a replay buffer, its encoder sharing as a policy,
and channel frame stacking.

DrQ (Kostrikov et al., 2020): pad each sampled image by a few pixels (edge replicate) and crop it back
at a random offset, independently for observations and next observations. SAC from pixels without it
overfits its critic; stable-baselines3 has no augmentation built in, so it lives in the buffer here.
"""

from __future__ import annotations

from collections import deque

import gymnasium as gym
import numpy as np
import torch
import torch.nn.functional as F
from gymnasium import spaces
from stable_baselines3.common.buffers import ReplayBuffer
from stable_baselines3.common.type_aliases import Schedule
from stable_baselines3.sac.policies import SACPolicy
from torch import nn

SHIFT_PAD = 4  # pixels, as in DrQ for 84 x 84 images


def random_shift(images: torch.Tensor, pad: int = SHIFT_PAD) -> torch.Tensor:
    """Shift each image of a (N, C, H, W) batch by up to +-pad pixels, replicating the edges."""
    n, _, h, w = images.shape
    padded = F.pad(images.float(), (pad, pad, pad, pad), mode="replicate").to(images.dtype)
    offsets = torch.randint(0, 2 * pad + 1, (n, 2)).tolist()
    # one slice per image: ~1 ms per 128-image batch on a CPU, where a gather with index tensors took 27 ms
    return torch.stack([padded[i, :, dy : dy + h, dx : dx + w] for i, (dy, dx) in enumerate(offsets)])


class RandomShiftReplayBuffer(ReplayBuffer):
    """A ReplayBuffer whose sampled image observations are randomly shifted (DrQ)."""

    def __init__(self, *args, pad: int = SHIFT_PAD, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pad = pad

    def _get_samples(self, batch_inds: np.ndarray, env=None):
        samples = super()._get_samples(batch_inds, env)
        return samples._replace(
            observations=random_shift(samples.observations, self.pad),
            next_observations=random_shift(samples.next_observations, self.pad),
        )


class ChannelFrameStack(gym.Wrapper):
    """Stack the last `n` (H, W, C) frames along the channel axis, oldest first: (H, W, n * C).

    A single frame shows no velocities; the stack does. Reset fills the stack with the first frame.
    """

    def __init__(self, env: gym.Env, n: int) -> None:
        super().__init__(env)
        box = env.observation_space
        self.observation_space = spaces.Box(
            np.repeat(box.low, n, axis=-1), np.repeat(box.high, n, axis=-1), dtype=box.dtype
        )
        self.frames: deque = deque(maxlen=n)

    def reset(self, **kwargs):
        obs, info = self.env.reset(**kwargs)
        self.frames.extend([obs] * self.frames.maxlen)
        return np.concatenate(self.frames, axis=-1), info

    def step(self, action):
        obs, reward, terminated, truncated, info = self.env.step(action)
        self.frames.append(obs)
        return np.concatenate(self.frames, axis=-1), reward, terminated, truncated, info


class _DetachedEncoder(nn.Module):
    """The critic's encoder seen by the actor without gradients (and without owning its parameters)."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        object.__setattr__(self, "encoder", encoder)  # not a submodule: the actor's optimizer skips it
        self.features_dim = encoder.features_dim

    def forward(self, observations: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return self.encoder(observations)


class DrQCnnPolicy(SACPolicy):
    """SAC's CnnPolicy with DrQ's encoder sharing: one image encoder, trained by the critic loss only.

    SB3's own sharing (share_features_extractor=True) trains the encoder with the actor loss instead;
    separate encoders double the convolution work. Here the actor reads the critic's features detached,
    as in DrQ; the target critic keeps its own (Polyak-averaged) copy.
    """

    def _build(self, lr_schedule: Schedule) -> None:
        self.critic_kwargs["share_features_extractor"] = False  # the critic's loss reaches the encoder
        self.critic = self.make_critic(features_extractor=None)
        self.actor = self.make_actor(features_extractor=_DetachedEncoder(self.critic.features_extractor))
        self.actor.optimizer = self.optimizer_class(
            self.actor.parameters(), lr=lr_schedule(1), **self.optimizer_kwargs
        )
        self.critic.optimizer = self.optimizer_class(
            self.critic.parameters(), lr=lr_schedule(1), **self.optimizer_kwargs
        )
        self.critic_target = self.make_critic(features_extractor=None)
        self.critic_target.load_state_dict(self.critic.state_dict())
        self.critic_target.set_training_mode(False)
