"""The pixel reacher's oracle reads the arm and the target off the image, for arms drawn as designers
draw them: what it does when the target or a link is out of sight, stacked frames, links with more than
one visual and boxes off the link's axis."""

from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

from robo2d.core.assets import robot_path
from robo2d.oracles.pixels import COLOUR_TOLERANCE, SWEEP, pixel_reacher_oracle
from tests.oracles.test_oracles import success_rate

ENV_ID = "Robo2DPixelReacher-v0"
BENT_ARM_SEEDS = range(20)
BENT_ARM_SUCCESS = 0.9  # the default arm's floor (tests/oracles/test_oracles.py)
HUB = (
    '<visual><geometry><cylinder radius="0.012" length="0.01"/></geometry>'
    '<material name="base_grey"/></visual>'
)
KNOB = (
    '<visual><origin xyz="0.1 0 0"/><geometry><sphere radius="0.009"/></geometry>'
    '<material name="base_grey"/></visual>'
)


def _make(robot: str = "planar_arm", **kwargs):
    return gym.make(ENV_ID, robot=robot, **kwargs).unwrapped


def _paint_over(env, obs: np.ndarray, rgb) -> np.ndarray:
    """The frame with every pixel near `rgb` painted in the table's colour (the frame's commonest)."""
    image = obs.copy()
    near = np.abs(image.astype(int) - np.asarray(rgb)).max(axis=-1) < COLOUR_TOLERANCE
    colours, counts = np.unique(image.reshape(-1, 3), axis=0, return_counts=True)
    image[near] = colours[counts.argmax()]
    return image


def _shape_colour(env, body: int, link: int):
    return next(s[7] for s in env.sensor.raster.shapes if s[0] == body and s[1] == link)


def test_stacked_frames_are_read_at_the_newest():
    """Agents stack frames on the channel axis (the shipped recipe stacks 3): the oracle acts on the
    newest frame, whatever came before it."""
    env = _make()
    old, _ = env.reset(seed=1)
    new, _ = env.reset(seed=2)
    stacked = np.concatenate([old, old, new], axis=-1)
    np.testing.assert_array_equal(pixel_reacher_oracle(env)(stacked), pixel_reacher_oracle(env)(new))
    env.close()


def test_sweeps_the_shoulder_until_it_sees_the_target():
    env = _make("planar_arm_3link")
    obs, _ = env.reset(seed=0)
    act = pixel_reacher_oracle(env)
    action = act(_paint_over(env, obs, _shape_colour(env, env.task.marker, -1)))
    assert action in env.action_space
    np.testing.assert_array_equal(action, [SWEEP, 0.0, 0.0])
    env.close()


def test_holds_still_while_a_link_is_out_of_sight():
    """A link hidden (under another, or painted over here) leaves no heading to read: the arm holds."""
    env = _make()
    obs, _ = env.reset(seed=0)
    act = pixel_reacher_oracle(env)
    act(obs)  # the target seen
    hidden = _paint_over(env, obs, _shape_colour(env, env.robot.body, env.robot.joints[1]))
    action = act(hidden)
    assert action in env.action_space
    np.testing.assert_array_equal(action, [0.0, 0.0])
    env.close()


def test_an_arm_without_a_box_on_a_link_is_refused(tmp_path: Path):
    text = robot_path("planar_arm").read_text()
    box = '<geometry><box size="0.1 0.012 0.008"/></geometry>\n      <material name="link_orange"/>'
    assert box in text
    urdf = tmp_path / "round_arm.urdf"
    urdf.write_text(text.replace(box, '<geometry><cylinder radius="0.006" length="0.1"/></geometry>'))
    env = _make(str(urdf))
    link = env.robot.joints[1]
    with pytest.raises(ValueError, match=rf"box visual on every moving link; links \[{link}\] have none"):
        pixel_reacher_oracle(env)
    env.close()


@pytest.fixture
def bent_arm(tmp_path: Path) -> Path:
    """The two-link arm as a designer might draw it: a grey hub under the first link, its box 1 cm off
    the link's axis and the elbow 2 cm to the side; a grey knob after the second link's box."""
    text = robot_path("planar_arm").read_text()
    first = '<visual><origin xyz="0.05 0 0"/><geometry><box size="0.1 0.015 0.008"/>'
    second_end = '<material name="link_orange"/></visual>'
    elbow = '<origin xyz="0.1 0 0.01"/>'
    assert first in text and second_end in text and elbow in text
    text = text.replace(
        first, HUB + '\n    <visual><origin xyz="0.05 0.01 0"/><geometry><box size="0.1 0.015 0.008"/>'
    )
    text = text.replace(second_end, second_end + "\n    " + KNOB)
    text = text.replace(elbow, '<origin xyz="0.1 0.02 0.01"/>')
    urdf = tmp_path / "bent_arm.urdf"
    urdf.write_text(text)
    return urdf


def test_reaches_with_a_bent_arm_drawn_in_several_shapes(bent_arm):
    """The heading of each link comes from its own box (not its hub or knob), corrected for where the box
    sits in the link frame, and the chain is walked with the joints' offsets."""
    env = gym.make(ENV_ID, robot=str(bent_arm))
    assert env.unwrapped.robot.kinematics.segments[0][1] == pytest.approx(0.02)
    rate = success_rate(env, BENT_ARM_SEEDS)
    assert rate >= BENT_ARM_SUCCESS, f"pixel oracle on the bent arm: {rate:.2f}"
    env.close()
