"""Image SAC helpers: DrQ's random-shift augmentation as a replay buffer, and channel frame stacking.

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

SHIFT_PAD = 4  # pixels, as in DrQ for 84 x 84 images


def random_shift(images: torch.Tensor, pad: int = SHIFT_PAD) -> torch.Tensor:
    """Shift each image of a (N, C, H, W) batch by up to +-pad pixels, replicating the edges."""
    n, c, h, w = images.shape
    padded = F.pad(images.float(), (pad, pad, pad, pad), mode="replicate")
    dy = torch.randint(0, 2 * pad + 1, (n,), device=images.device)
    dx = torch.randint(0, 2 * pad + 1, (n,), device=images.device)
    rows = (dy[:, None] + torch.arange(h, device=images.device)[None])[:, None, :, None]
    cols = (dx[:, None] + torch.arange(w, device=images.device)[None])[:, None, None, :]
    batch = torch.arange(n, device=images.device)[:, None, None, None]
    channel = torch.arange(c, device=images.device)[None, :, None, None]
    return padded[batch, channel, rows, cols].to(images.dtype)


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
