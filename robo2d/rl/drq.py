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
from stable_baselines3.common.type_aliases import ReplayBufferSamples, Schedule
from stable_baselines3.sac.policies import SACPolicy
from torch import nn

SHIFT_PAD = 4  # pixels, as in DrQ for 84 x 84 images


def random_shift(images: torch.Tensor, pad: int = SHIFT_PAD) -> torch.Tensor:
    """Shift each image of a (N, C, H, W) batch by up to +-pad pixels, replicating the edges."""
    offsets = torch.randint(0, 2 * pad + 1, (images.shape[0], 2), device=images.device)
    if images.is_cuda:
        padded = F.pad(images.float(), (pad, pad, pad, pad), mode="replicate").to(images.dtype)
        return _crop_gather(padded, offsets, images.shape[-2:])
    # numpy pads uint8 in place of torch's float round trip: 3 ms against 27 ms for 128 x 9 x 84 x 84
    edges = ((0, 0), (0, 0), (pad, pad), (pad, pad))
    padded = torch.from_numpy(np.pad(images.numpy(), edges, mode="edge"))
    return _crop_slices(padded, offsets, images.shape[-2:])


def _crop_slices(padded: torch.Tensor, offsets: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """One slice per image: ~1 ms per 128-image 48x48 batch on a CPU, where the gather below took 27 ms."""
    h, w = size
    return torch.stack(
        [padded[i, :, dy : dy + h, dx : dx + w] for i, (dy, dx) in enumerate(offsets.tolist())]
    )


def _crop_gather(padded: torch.Tensor, offsets: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """One indexed gather for the whole batch: a few kernels on a GPU, where per-image slices cost a
    kernel launch each."""
    (n, c), (h, w), device = padded.shape[:2], size, padded.device
    rows = offsets[:, 0:1] + torch.arange(h, device=device)  # (N, H)
    cols = offsets[:, 1:2] + torch.arange(w, device=device)  # (N, W)
    batch = torch.arange(n, device=device)[:, None, None, None]
    channels = torch.arange(c, device=device)[None, :, None, None]
    return padded[batch, channels, rows[:, None, :, None], cols[:, None, None, :]]


class RandomShiftReplayBuffer(ReplayBuffer):
    """A ReplayBuffer for uint8 images that keeps them as tensors on the training device and randomly
    shifts the sampled ones (DrQ).

    On a GPU the images stay in GPU memory, so a sampled batch (128 x 9 x 84 x 84 bytes, twice) is
    neither gathered by numpy nor copied across the bus at each update. Actions, rewards and flags stay
    in SB3's numpy arrays. Image observations are not normalised (no VecNormalize).
    """

    def __init__(
        self,
        buffer_size: int,
        observation_space: spaces.Space,
        action_space: spaces.Space,
        device: torch.device | str = "auto",
        n_envs: int = 1,
        optimize_memory_usage: bool = False,
        handle_timeout_termination: bool = True,
        pad: int = SHIFT_PAD,
    ) -> None:
        if not (isinstance(observation_space, spaces.Box) and observation_space.dtype == np.uint8):
            raise ValueError(
                f"RandomShiftReplayBuffer stores uint8 images; got {observation_space}. "
                "Use it with image observations only (a non-image env needs SB3's own ReplayBuffer)."
            )
        super().__init__(
            buffer_size, observation_space, action_space, device, n_envs,
            optimize_memory_usage, handle_timeout_termination,
        )  # fmt: skip
        self.pad = pad
        self.observations = self._image_store()
        self.next_observations = None if optimize_memory_usage else self._image_store()

    def _image_store(self) -> torch.Tensor:
        """Uninitialised storage: only written rows are ever sampled, and untouched pages cost nothing."""
        shape = (self.buffer_size, self.n_envs, *self.obs_shape)
        return torch.empty(shape, dtype=torch.uint8, device=self.device)

    def add(self, obs, next_obs, action, reward, done, infos: list[dict]) -> None:
        """As SB3's ReplayBuffer.add, with the images copied into the device storage."""
        self.observations[self.pos] = self._as_images(obs)
        if self.optimize_memory_usage:
            self.observations[(self.pos + 1) % self.buffer_size] = self._as_images(next_obs)
        else:
            self.next_observations[self.pos] = self._as_images(next_obs)
        self.actions[self.pos] = np.array(action).reshape((self.n_envs, self.action_dim))
        self.rewards[self.pos] = np.array(reward)
        self.dones[self.pos] = np.array(done)
        if self.handle_timeout_termination:
            self.timeouts[self.pos] = np.array([info.get("TimeLimit.truncated", False) for info in infos])
        self.pos += 1
        if self.pos == self.buffer_size:
            self.full, self.pos = True, 0

    def _as_images(self, obs) -> torch.Tensor:
        return torch.as_tensor(np.asarray(obs, dtype=np.uint8)).to(self.device)

    def _gather(self, store: torch.Tensor, flat_inds: torch.Tensor) -> torch.Tensor:
        """Rows of (buffer, env) storage by flat index; index_select is ~3x faster than advanced indexing
        on a CPU. A buffer loaded from disk stays on the device it was saved from; the batch moves.
        Buffers saved before images were kept as tensors hold numpy arrays, read here without a copy."""
        if isinstance(store, np.ndarray):
            store = torch.from_numpy(store)
        rows = store.view(-1, *self.obs_shape).index_select(0, flat_inds.to(store.device))
        return rows.to(self.device)

    def _get_samples(self, batch_inds: np.ndarray, env=None) -> ReplayBufferSamples:
        if env is not None:
            raise ValueError("RandomShiftReplayBuffer does not normalise images: train without VecNormalize")
        env_inds = np.random.randint(0, high=self.n_envs, size=(len(batch_inds),))
        flat = torch.as_tensor(batch_inds * self.n_envs + env_inds)
        obs = self._gather(self.observations, flat)
        if self.optimize_memory_usage:  # the next observation is the following row
            next_flat = torch.as_tensor((batch_inds + 1) % self.buffer_size * self.n_envs + env_inds)
            next_obs = self._gather(self.observations, next_flat)
        else:
            next_obs = self._gather(self.next_observations, flat)
        dones = self.dones[batch_inds, env_inds] * (1 - self.timeouts[batch_inds, env_inds])
        return ReplayBufferSamples(
            observations=random_shift(obs, self.pad),
            actions=self.to_torch(self.actions[batch_inds, env_inds]),
            next_observations=random_shift(next_obs, self.pad),
            dones=self.to_torch(dones.reshape(-1, 1)),
            rewards=self.to_torch(self.rewards[batch_inds, env_inds].reshape(-1, 1)),
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
