"""The pixel env's image randomisation, each parameter alone (the others drawn alike), against numbers
worked by hand: brightness, noise, and colour offsets on the table and on the arm."""

import inspect

import gymnasium as gym
import numpy as np
import pytest

#: no noise and unit brightness unless a test sets them; every other parameter drawn as by default
BASE = {"image_noise": [0.0, 0.0], "brightness": [1.0, 1.0]}
TABLE = (210, 210, 210)  # the table's colour as robo2d's raster draws it, with no offset


def _frame(**randomize) -> np.ndarray:
    """The first frame of seed 0; the same draws for every parameter not named differently."""
    env = gym.make("Robo2DPixelReacher-v0", randomize={**BASE, **randomize})
    obs, _ = env.reset(seed=0)
    env.close()
    return obs.astype(int)


def _commonest(pixels: np.ndarray) -> np.ndarray:
    colours, counts = np.unique(pixels.reshape(-1, 3), axis=0, return_counts=True)
    return colours[np.argmax(counts)]


def test_brightness_scales_every_pixel_rounded_and_keeps_black_black():
    dark = [-128.0, -128.0]  # the arm's blue channel (38) down to 0
    plain, dim = _frame(arm_color=dark), _frame(arm_color=dark, brightness=[0.1, 0.1])
    np.testing.assert_array_equal(dim, np.clip(np.rint(plain * 0.1), 0, 255))
    assert (plain == 0).any() and (dim[plain == 0] == 0).all()


def test_brightness_above_one_saturates_at_white():
    """A brighter image clips at 255: the table (210) at 1.5 is white, not wrapped round to dark."""
    bright = _frame(brightness=[1.5, 1.5])
    np.testing.assert_array_equal(_commonest(bright), (255, 255, 255))


def test_brightness_two_doubles_every_pixel_up_to_white():
    """Twice as bright: every channel doubled, clipped at 255 (the table's 210 goes white, the arm's
    darker channels double)."""
    plain, bright = _frame(), _frame(brightness=[2.0, 2.0])
    np.testing.assert_array_equal(bright, np.minimum(plain * 2, 255))
    assert tuple(_commonest(bright)) == (255, 255, 255) and (plain < 100).any()


def test_image_noise_has_zero_mean_and_the_stated_std():
    """Over the pixels away from 0 and 255 (where saturation would bias it): mean 0, std 3 (+-10%)."""
    plain, noisy = _frame(), _frame(image_noise=[3.0, 3.0])
    inside = (plain > 20) & (plain < 235)
    added = (noisy - plain)[inside]
    assert abs(added.mean()) < 0.1 and 2.7 < added.std() < 3.3


def test_image_noise_darkens_as_often_and_as_far_as_it_brightens():
    """Zero-mean Gaussian noise is symmetric, tails included. On a mid-grey table (210 - 83 = 127, so
    +-115 stays within 0-255) with std 40, five frames of the same scene: the largest darkening equals
    the largest brightening, and pixels moved by 100 or more (2.5 std) are as many below as above."""
    env = gym.make(
        "Robo2DPixelReacher-v0", randomize={"others": "nominal", "table_color": -83.0, "image_noise": 40.0}
    )
    env.reset(seed=0)
    sensor = env.unwrapped.sensor
    plain = sensor.raster.render().astype(int)
    table = np.all(plain == 127, axis=-1)
    assert table.sum() > 5000
    added = np.concatenate([(sensor.observe().astype(int) - plain)[table] for _ in range(5)])
    env.close()
    assert added.min() == -added.max() and added.max() > 100
    down, up = (added <= -100).sum(), (added >= 100).sum()
    assert abs(down - up) < 0.15 * (down + up) / 2, (down, up)


def test_colour_offsets_shift_the_table_and_the_arm_and_stop_at_255():
    assert tuple(_commonest(_frame(table_color=[0.0, 0.0]))) == TABLE
    assert tuple(_commonest(_frame(table_color=[30.0, 30.0]))) == (240, 240, 240)
    assert tuple(_commonest(_frame(table_color=[60.0, 60.0]))) == (255, 255, 255)  # not wrapped to 59
    plain, tinted = _frame(arm_color=[0.0, 0.0]), _frame(arm_color=[20.0, 20.0])
    changed = np.any(plain != tinted, axis=-1)
    arm = np.all(plain == _commonest(plain[changed]), axis=-1)  # the arm's own colour, inside its outline
    assert arm.sum() > 20
    np.testing.assert_array_equal(tinted[arm], np.minimum(plain[arm] + 20, 255))


def _target_centre(env) -> np.ndarray:
    """Pixel centroid (row, column) of the green target marker in the current frame."""
    image = env.unwrapped.sensor.observe().astype(int)
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    return np.argwhere((g > r + 60) & (g > b + 60)).mean(axis=0)


def test_a_camera_offset_shows_the_scene_as_if_moved_the_other_way():
    """The camera 1 cm along +y sees what the still camera sees with the target 1 cm along -y (and the
    same for x): the offset's sign and axis, with no convention of image axes assumed."""
    for offset, moved in (([[0, 0], [0.01, 0.01]], (0.0, -0.01)), ([[0.01, 0.01], [0, 0]], (-0.01, 0.0))):
        still = gym.make("Robo2DPixelReacher-v0", randomize={**BASE, "camera_offset": [[0, 0], [0, 0]]})
        shifted = gym.make("Robo2DPixelReacher-v0", randomize={**BASE, "camera_offset": offset})
        still.reset(seed=0)
        shifted.reset(seed=0)
        task = still.unwrapped.task
        x, y = task.goal_values
        task.sim.move_body(task.marker, (x + moved[0], y + moved[1], task.arm.tip_height))
        np.testing.assert_allclose(_target_centre(still), _target_centre(shifted), atol=0.3)
        still.close()
        shifted.close()


def test_a_target_colour_offset_shifts_the_target_marker_and_stops_at_0():
    """The target's own colour, inside its outline, moves by the offset on every channel, clipped at 0;
    the table (the commonest colour) keeps its own."""
    plain, tinted = _frame(target_color=[0.0, 0.0]), _frame(target_color=[-40.0, -40.0])
    changed = np.any(plain != tinted, axis=-1)
    assert changed.any()
    target = np.all(plain == _commonest(plain[changed]), axis=-1)
    assert target.sum() >= 4  # the marker's fully covered pixels (a 1 cm radius is ~2 px here)
    np.testing.assert_array_equal(tinted[target], np.maximum(plain[target] - 40, 0))
    np.testing.assert_array_equal(_commonest(tinted), _commonest(plain))  # the table


#: the image parameters' rows of the pixel reacher's randomisation table, as its docs page shows them
IMAGE_ROWS = (
    "| `camera_offset` | m | [-0.005, 0.005] | camera shift in x and y |",
    "| `camera_rotation` | rad | [-0.03, 0.03] | camera turn about the vertical |",
    "| `table_color` | 0-255 | [-15, 15] | offset on each RGB channel of the table |",
    "| `arm_color` | 0-255 | [-15, 15] | offset on each RGB channel of the arm |",
    "| `target_color` | 0-255 | [-15, 15] | offset on each RGB channel of the target |",
    "| `brightness` | x | [0.9, 1.1] | factor on every pixel |",
    "| `image_noise` | 0-255 | [0, 3] | std of Gaussian noise on each pixel, every frame |",
)
#: what ``randomize=True`` draws each image parameter from, one (low, high) per entry
DEFAULT_RANGES = {
    "camera_offset": ((-0.005, 0.005), (-0.005, 0.005)),
    "camera_rotation": ((-0.03, 0.03),),
    "table_color": ((-15.0, 15.0),) * 3,  # one offset per RGB channel
    "arm_color": ((-15.0, 15.0),) * 3,
    "target_color": ((-15.0, 15.0),) * 3,
    "brightness": ((0.9, 1.1),),
    "image_noise": ((0.0, 3.0),),
}


def test_the_docstring_lists_the_image_parameters_with_their_units_ranges_and_meanings():
    """The env's docstring (help(), the docs page) shows the image parameters in drawing order, each with
    its unit, default range and meaning; ``randomize=True`` draws from those ranges."""
    env = gym.make("Robo2DPixelReacher-v0", randomize=True)
    doc = inspect.getdoc(type(env.unwrapped))
    table = doc.split("## Domain randomization")[1].split("##")[0]
    starts = tuple(f"| `{name}` |" for name in DEFAULT_RANGES)
    rows = [line for line in table.splitlines() if line.startswith(starts)]
    assert tuple(rows) == IMAGE_ROWS
    ranges = env.unwrapped.randomization.ranges
    assert {name: ranges[name] for name in DEFAULT_RANGES} == DEFAULT_RANGES
    env.close()


@pytest.mark.parametrize(
    ("name", "widest", "said"),
    [
        ("camera_offset", (-0.05, 0.05), r"within \[-0.05, 0.05\] m "),
        ("camera_rotation", (-3.14159, 3.14159), r"within \[-3.14159\d*, 3.14159\d*\] rad "),
        ("table_color", (-128.0, 128.0), r"within \[-128.0, 128.0\] 0-255 "),
        ("brightness", (0.1, 3.0), r"within \[0.1, 3.0\] x "),
        ("image_noise", (0.0, 64.0), r"within \[0.0, 64.0\] 0-255 "),
    ],
)
def test_an_image_parameter_takes_ranges_up_to_its_limits_and_refuses_wider_ones(name, widest, said):
    """The widest range a user may give: accepted; a little more on either side: refused, the message
    naming the limits and the unit (5 cm of camera shift, a half turn, a whole 0-255 channel of colour,
    brightness from a tenth to three times, noise std up to 64)."""
    low, high = widest
    env = gym.make("Robo2DPixelReacher-v0", randomize={"others": "nominal", name: [low, high]})
    assert env.unwrapped.randomization.ranges[name][0] == (low, high)
    env.close()
    step = 0.01 * (high - low)
    for wider in ([low - step, high], [low, high + step]):
        with pytest.raises(ValueError, match=rf"randomize\['{name}'\] .* outside what it allows: .*{said}"):
            gym.make("Robo2DPixelReacher-v0", randomize={"others": "nominal", name: wider})
