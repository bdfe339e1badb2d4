"""Robo2DPixelReacher-v0: image format, and the fast renderer agrees with PyBullet's camera."""

import math

import gymnasium as gym
import numpy as np
import pybullet as pb
import pytest
from gymnasium import spaces

ENV_ID = "Robo2DPixelReacher-v0"
CAMERA_HEIGHT = 20.0  # m: far away with a narrow field of view, PyBullet's camera is near-orthographic
ARM_PLANE_Z = 0.03  # m, mid-height of the arm's visuals


def camera_masks(env, size: int):
    """Arm and target masks from PyBullet's getCameraImage segmentation, looking straight down."""
    sim, arm, marker = env.sim, env.robot.body, env.task.marker
    bx, by = env.robot.base_xy
    view = pb.computeViewMatrix((bx, by, CAMERA_HEIGHT), (bx, by, 0.0), (0, 1, 0), physicsClientId=sim.client)
    half_extent = env.sensor.raster.half_extent
    fov = math.degrees(2 * math.atan(half_extent / (CAMERA_HEIGHT - ARM_PLANE_Z)))
    proj = pb.computeProjectionMatrixFOV(
        fov, 1.0, CAMERA_HEIGHT - 0.2, CAMERA_HEIGHT + 0.1, physicsClientId=sim.client
    )
    seg = np.asarray(
        pb.getCameraImage(size, size, view, proj, renderer=pb.ER_TINY_RENDERER, physicsClientId=sim.client)[4]
    ).reshape(size, size)
    return seg == arm, seg == marker


def raster_masks(env):
    arm, marker = env.robot.body, env.task.marker
    image = env.sensor.raster.render(colors={arm: (255, 0, 0), marker: (0, 255, 0)})
    return image[:, :, 0] > 127, image[:, :, 1] > 127


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def test_observation_is_rgb_uint8_image():
    env = gym.make(ENV_ID)
    obs, _ = env.reset(seed=0)
    assert obs.shape == (84, 84, 3) and obs.dtype == np.uint8
    unwrapped = env.unwrapped
    gx, gy = unwrapped.task.goal_values  # the target is green: channel 1 dominates at its centre
    half = unwrapped.sensor.raster.half_extent
    row = int((half - gy) * 84 / (2 * half))
    col = int((gx + half) * 84 / (2 * half))
    r, g, b = obs[row, col].astype(int)
    assert g > r + 50 and g > b + 50, (r, g, b)
    env.close()


@pytest.mark.parametrize(("robot", "size"), [("planar_arm", 420), ("planar_arm_3link", 588)])
def test_raster_matches_pybullet_camera(robot, size):
    """Same states, both renderers, at 420 px: geometry (not the pixel grid) decides the overlap.

    At 84 px a 1.2 cm link is 2-3 px wide, so any two rasterisers disagree on its edge pixels; the
    sphere marker is a tessellated mesh in TinyRenderer (~7% less area than the true disc). The view
    grows with the reach, so the 3-link arm (reach 0.28 m) gets 1.4 times the pixels.
    """
    env = gym.make(ENV_ID, image_size=size, robot=robot).unwrapped
    rng = np.random.default_rng(0)
    arm_ious, target_ious = [], []
    for seed in range(10):
        env.reset(seed=seed)
        for _ in range(int(rng.integers(0, 20))):
            env.step(rng.uniform(-1, 1, env.action_space.shape))
        cam_arm, cam_target = camera_masks(env, size)
        ras_arm, ras_target = raster_masks(env)
        arm_ious.append(iou(cam_arm, ras_arm))
        if cam_target.sum() > 100:  # the target can hide under the arm
            target_ious.append(iou(cam_target, ras_target))
    env.close()
    assert min(arm_ious) >= 0.9, arm_ious
    assert len(target_ious) >= 3 and np.mean(target_ious) >= 0.9 and min(target_ious) >= 0.85, target_ious


@pytest.mark.parametrize(("size", "too_small"), [(48, 20), (36, 35)])
def test_image_size_is_configurable_and_checked(size, too_small):
    """Any size from the documented minimum (``image_size >= 36``, what SB3's default CNN needs) up is
    accepted, the minimum itself included; one pixel less is refused."""
    env = gym.make(ENV_ID, image_size=size)
    assert env.reset(seed=0)[0].shape == (size, size, 3)
    env.close()
    with pytest.raises(ValueError, match="at least 36"):
        gym.make(ENV_ID, image_size=too_small)


def test_observation_space_is_the_full_byte_range_and_holds_black_pixels():
    """The documented ``Box(0, 255, (image_size, image_size, 3), uint8)``: a frame with black pixels (the
    arm's blue channel, 38, darkened by 128) is inside it."""
    env = gym.make(ENV_ID, randomize={"others": "nominal", "arm_color": -128.0})
    assert env.observation_space == spaces.Box(0, 255, (84, 84, 3), np.uint8)
    obs, _ = env.reset(seed=0)
    assert (obs == 0).any() and env.observation_space.contains(obs)
    env.close()


def test_no_goal_conditioned_mode():
    with pytest.raises(ValueError, match="no goal-conditioned mode"):
        gym.make(ENV_ID, goal_conditioned=True)


def test_each_link_is_drawn_in_its_urdf_colour_channel_for_channel():
    """The frame's R, G, B are the URDF materials' (read from the file here): a channel swap would draw
    the blue link orange-ish and the orange one blue. (The 8 mm tip covers no whole pixel at 84 px.)"""
    import re

    from robo2d.core.assets import data_dir

    text = (data_dir("urdf") / "planar_arm.urdf").read_text()
    colours = {
        name: np.round(255 * np.array([float(v) for v in rgba.split()[:3]]))
        for name, rgba in re.findall(r'<material name="(\w+)"><color rgba="([^"]+)"/>', text)
    }
    env = gym.make("Robo2DPixelReacher-v0")
    frame, _ = env.reset(seed=0)
    env.close()
    pixels = frame.reshape(-1, 3).astype(int)
    for name in ("link_blue", "link_orange"):
        exact = np.all(np.abs(pixels - colours[name]) <= 2, axis=1).sum()
        assert exact >= 5, f"{name} {colours[name]}: {exact} pixels of that colour"
