"""DrQ augmentation and frame stacking for image SAC."""

import gymnasium as gym
import numpy as np
import pytest
import torch
from gymnasium import spaces

from robo2d.training.drq import ChannelFrameStack, RandomShiftReplayBuffer, random_shift


def test_random_shift_moves_content_within_pad():
    torch.manual_seed(0)
    images = torch.zeros(64, 3, 20, 20, dtype=torch.uint8)
    images[:, :, 10, 10] = 255  # one bright pixel
    shifted = random_shift(images, pad=4)
    assert shifted.shape == images.shape and shifted.dtype == torch.uint8
    positions = [torch.nonzero(s[0] == 255)[0].tolist() for s in shifted]
    offsets = {(r - 10, c - 10) for r, c in positions}
    assert all(abs(dr) <= 4 and abs(dc) <= 4 for dr, dc in offsets)
    assert len(offsets) > 10, "shifts should vary across the batch"


def test_replay_buffer_augments_samples_independently():
    torch.manual_seed(0)
    obs_space = spaces.Box(0, 255, (3, 16, 16), np.uint8)
    buffer = RandomShiftReplayBuffer(
        100,
        obs_space,
        spaces.Box(-1, 1, (2,)),
        device="cpu",
        optimize_memory_usage=True,
        handle_timeout_termination=False,
    )
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 255, (1, 3, 16, 16), dtype=np.uint8)
    for _ in range(10):
        buffer.add(frame, frame, np.zeros((1, 2)), np.zeros(1), np.zeros(1), [{}])
    batch = buffer.sample(32)
    assert batch.observations.shape == (32, 3, 16, 16)
    assert not torch.equal(batch.observations, batch.next_observations)  # independent shifts


def test_channel_frame_stack():
    env = ChannelFrameStack(gym.make("Robo2DPixelReacher-v0", image_size=40), 3)
    obs, _ = env.reset(seed=0)
    assert obs.shape == (40, 40, 9) and obs in env.observation_space
    np.testing.assert_array_equal(obs[..., :3], obs[..., 6:])  # reset repeats the first frame
    first = obs[..., 6:].copy()
    obs, *_ = env.step(np.ones(2, np.float32))
    np.testing.assert_array_equal(obs[..., 3:6], first)  # oldest first, newest last
    env.close()


@pytest.mark.slow
def test_image_sac_smoke(tmp_path):
    from robo2d.training.config import apply_overrides, load_config
    from robo2d.training.train import train

    config = apply_overrides(
        load_config("Robo2DPixelReacher-v0"),
        [
            "total_timesteps=300",
            "eval_freq=300",
            "eval_episodes=1",
            "checkpoint_freq=300",
            "sac.learning_starts=100",
            "sac.buffer_size=1000",
            "sac.batch_size=16",
            "env_kwargs={'image_size': 40}",
        ],
    )
    config["seed"] = 0
    run = train(config, tmp_path / "run", progress_bar=False)
    assert (run / "model.zip").exists() and (run / "evaluations.csv").exists()
