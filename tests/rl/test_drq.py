"""DrQ augmentation and frame stacking for image SAC."""

import gymnasium as gym
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from gymnasium import spaces

from robo2d.rl.drq import (
    ChannelFrameStack,
    DrQCnnPolicy,
    RandomShiftReplayBuffer,
    _crop_gather,
    _crop_slices,
    random_shift,
)
from robo2d.rl.encoders import CompactCNN, KeypointCNN


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


def _image_buffer(size: int, shape: tuple, optimize_memory_usage: bool) -> RandomShiftReplayBuffer:
    return RandomShiftReplayBuffer(
        size,
        spaces.Box(0, 255, shape, np.uint8),
        spaces.Box(-1, 1, (2,)),
        device="cpu",
        optimize_memory_usage=optimize_memory_usage,
        handle_timeout_termination=False,
    )


def test_replay_buffer_augments_samples_independently():
    torch.manual_seed(0)
    buffer = _image_buffer(100, (3, 16, 16), optimize_memory_usage=True)
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 255, (1, 3, 16, 16), dtype=np.uint8)
    for _ in range(10):
        buffer.add(frame, frame, np.zeros((1, 2)), np.zeros(1), np.zeros(1), [{}])
    batch = buffer.sample(32)
    assert batch.observations.shape == (32, 3, 16, 16)
    assert not torch.equal(batch.observations, batch.next_observations)  # independent shifts


def test_gpu_crop_matches_cpu_crop():
    """The batched gather used on a GPU crops exactly what the per-image slices crop."""
    torch.manual_seed(1)
    padded = torch.randint(0, 256, (16, 9, 28, 28), dtype=torch.uint8)
    offsets = torch.randint(0, 9, (16, 2))
    torch.testing.assert_close(
        _crop_gather(padded, offsets, (20, 20)), _crop_slices(padded, offsets, (20, 20))
    )
    images = padded[:, :, 4:-4, 4:-4]  # and the GPU's float replicate-pad equals the CPU's uint8 edge-pad
    torch_pad = F.pad(images.float(), (4, 4, 4, 4), mode="replicate").to(torch.uint8)
    edge_pad = np.pad(images.numpy(), ((0, 0), (0, 0), (4, 4), (4, 4)), "edge")
    np.testing.assert_array_equal(torch_pad.numpy(), edge_pad)


@pytest.mark.parametrize("optimize_memory_usage", [True, False])
def test_replay_buffer_keeps_images_as_device_tensors(optimize_memory_usage):
    buffer = _image_buffer(20, (3, 8, 8), optimize_memory_usage)
    assert isinstance(buffer.observations, torch.Tensor) and buffer.observations.dtype == torch.uint8
    for i in range(5):  # each transition: uniform image i -> i + 1, reward i
        frame = np.full((1, 3, 8, 8), i, np.uint8)
        buffer.add(frame, frame + 1, np.full((1, 2), 0.5), np.array([i]), np.array([i == 4]), [{}])
    batch = buffer.sample(50)
    obs_values = batch.observations.float().mean(dim=(1, 2, 3))
    next_values = batch.next_observations.float().mean(dim=(1, 2, 3))  # uniform images: shifts keep means
    torch.testing.assert_close(next_values, obs_values + 1)
    torch.testing.assert_close(batch.rewards[:, 0], obs_values)
    torch.testing.assert_close(batch.dones[:, 0], (obs_values == 4).float())
    assert torch.all(batch.actions == 0.5)


def test_replay_buffer_reads_numpy_storage_of_older_checkpoints():
    obs_space = spaces.Box(0, 255, (3, 8, 8), np.uint8)
    buffer = RandomShiftReplayBuffer(10, obs_space, spaces.Box(-1, 1, (2,)), device="cpu")
    buffer.observations = np.zeros((10, 1, 3, 8, 8), np.uint8)  # as a pickled older buffer holds them
    buffer.next_observations = np.ones((10, 1, 3, 8, 8), np.uint8)
    buffer.add(
        np.zeros((1, 3, 8, 8)), np.ones((1, 3, 8, 8)), np.zeros((1, 2)), np.zeros(1), np.zeros(1), [{}]
    )
    batch = buffer.sample(4)
    assert torch.all(batch.observations == 0) and torch.all(batch.next_observations == 1)


def test_replay_buffer_refuses_non_image_observations():
    with pytest.raises(ValueError, match="uint8 images"):
        RandomShiftReplayBuffer(10, spaces.Box(-1, 1, (4,)), spaces.Box(-1, 1, (2,)), device="cpu")


def _drq_sac(image_size: int = 40):
    from stable_baselines3 import SAC

    env = ChannelFrameStack(gym.make("Robo2DPixelReacher-v0", image_size=image_size), 3)
    kwargs = {"features_extractor_class": CompactCNN}
    return SAC(DrQCnnPolicy, env, buffer_size=200, learning_starts=50, batch_size=16, policy_kwargs=kwargs)


def test_compact_cnn_features():
    space = spaces.Box(0, 255, (9, 48, 48), np.uint8)
    encoder = CompactCNN(space, features_dim=64)
    features = encoder(torch.rand(5, 9, 48, 48))
    assert features.shape == (5, 64) and features.abs().max() <= 1.0  # LayerNorm + tanh


def test_keypoint_cnn_reads_positions_below_a_pixel():
    """A blob's expected position moves with it by less than a pixel; features are (x, y) in [-1, 1]."""
    torch.manual_seed(0)
    space = spaces.Box(0, 255, (3, 48, 48), np.uint8)
    encoder = KeypointCNN(space)
    with torch.no_grad():  # one map that responds to brightness only, sharply
        for conv in (encoder.convs[0], encoder.convs[2]):
            conv.weight.zero_(), conv.bias.zero_()
        encoder.convs[0].weight[0, :, 1, 1] = 1.0
        encoder.convs[2].weight[0, 0, 1, 1] = 1.0
        encoder.log_temperature.fill_(-3.0)
    xs = []
    for shift in (0.0, 0.5, 1.0):  # a bright disc drawn with its centre moved by fractions of a pixel
        rows, cols = torch.meshgrid(torch.arange(48.0), torch.arange(48.0), indexing="ij")
        disc = ((rows - 20) ** 2 + (cols - 20 - shift) ** 2 <= 9).float() * 255
        features = encoder(disc.expand(1, 3, 48, 48))
        assert features.shape == (1, 32) and features.abs().max() <= 1.0
        xs.append(features[0, 0].item())
    assert xs[0] < xs[1] < xs[2], f"x of the bright map should grow with the disc's position: {xs}"
    with pytest.raises(ValueError, match="even"):
        KeypointCNN(space, features_dim=33)


def test_drq_policy_encoder_is_trained_by_the_critic_only():
    policy = _drq_sac().policy
    encoder = {id(p) for p in policy.critic.features_extractor.parameters()}
    critic_params = {id(p) for group in policy.critic.optimizer.param_groups for p in group["params"]}
    actor_params = {id(p) for group in policy.actor.optimizer.param_groups for p in group["params"]}
    assert encoder <= critic_params and not encoder & actor_params
    assert policy.actor.features_extractor.encoder is policy.critic.features_extractor
    target = {id(p) for p in policy.critic_target.features_extractor.parameters()}
    assert not target & encoder  # the target critic has its own, Polyak-averaged encoder

    obs = torch.rand(4, 9, 40, 40) * 255
    actions, _ = policy.actor.action_log_prob(obs)
    policy.critic.optimizer.zero_grad()
    actions.sum().backward()  # the actor's output does not reach the encoder
    assert all(p.grad is None or not p.grad.any() for p in policy.critic.features_extractor.parameters())
    q = policy.critic(obs, torch.zeros(4, 2))[0]
    q.sum().backward()  # the critic's does
    assert any(p.grad is not None and p.grad.any() for p in policy.critic.features_extractor.parameters())


def test_drq_sac_trains_and_reloads(tmp_path):
    from stable_baselines3 import SAC

    model = _drq_sac()
    model.learn(80)  # 30 gradient updates through the shared encoder
    model.save(tmp_path / "model.zip")
    obs = model.get_env().reset()
    loaded = SAC.load(tmp_path / "model.zip")
    np.testing.assert_allclose(
        loaded.predict(obs, deterministic=True)[0], model.predict(obs, deterministic=True)[0], atol=1e-6
    )


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
    from robo2d.run.config import apply_overrides, load_config
    from robo2d.run.train import train

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
    ).replace(seed=0)
    run = train(config, tmp_path / "run", progress_bar=False)
    assert (run / "model.zip").exists() and (run / "evaluations.csv").exists()
