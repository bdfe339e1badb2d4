"""The PyBullet GUI (render_mode="human") on a virtual display: every env opens with its scene in view,
and watching changes nothing: the same seed and actions give the same observations as headless."""

import contextlib
import os
import select
import shutil
import subprocess
import sys

import pytest

import robo2d

pytestmark = pytest.mark.child_process  # the GUI runs in a child process under xvfb

# every id, and the pusher with the 3-link arm (its camera is framed for its larger reach)
CASES = (*robo2d.ENV_IDS, "Robo2DPusher-v0@planar_arm_3link")
CHECK = """
import sys, time
import gymnasium as gym, numpy as np, pybullet as pb
import robo2d

def observations(env):
    actions = np.random.default_rng(0).uniform(-1, 1, (20, *env.action_space.shape)).astype(np.float32)
    return np.array([env.reset(seed=3)[0]] + [env.step(action)[0] for action in actions])

def aimed(env):
    spec = env.unwrapped.camera
    wanted = [spec["distance"], spec["yaw"], spec["pitch"], *spec["target"]]
    deadline = time.time() + 5  # the GUI applies a camera change on one of its next frames
    while time.time() < deadline:
        view = pb.getDebugVisualizerCamera(physicsClientId=env.unwrapped.sim.client)
        if np.allclose([view[10], view[8], view[9], *view[11]], wanted, atol=1e-4):
            return True
        time.sleep(0.05)
    return False

for case in sys.argv[1:]:
    env_id, _, robot = case.partition("@")
    kwargs = {"robot": robot} if robot else {}
    # the GUI client first: PyBullet reports the GUI camera (zeros otherwise) when it is client 0
    watched = gym.make(env_id, render_mode="human", **kwargs)
    headless = gym.make(env_id, **kwargs)
    same = np.array_equal(observations(headless), observations(watched))
    print(case, "same" if same else "differs", "aimed" if aimed(watched) else "not aimed", flush=True)
    headless.close()
    watched.close()
"""


START_TIMEOUT = 60.0  # s for Xvfb to say it accepts connections (slow under load)


@contextlib.contextmanager
def virtual_display():
    """A display of our own, always stopped afterwards: the env vars to run a GUI client with. Xvfb picks
    a free display number itself and writes it to a pipe once it accepts connections (-displayfd), so a
    display another test or user started at the same moment is never mistaken for ours."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], START_TIMEOUT)
        number = os.read(read_end, 64).decode().strip() if ready else ""
        if not number.isdigit() or server.poll() is not None:
            pytest.fail(f"Xvfb did not report a display within {START_TIMEOUT:.0f} s")
        yield {**os.environ, "DISPLAY": f":{number}"}
    finally:
        os.close(read_end)
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (Debian: apt install xvfb)")
def test_gui_shows_the_scene_and_changes_nothing():
    with virtual_display() as env:
        out = subprocess.run(
            [sys.executable, "-c", CHECK, *CASES], capture_output=True, text=True, timeout=600, env=env
        )
    assert out.returncode == 0, f"stdout: {out.stdout[-1500:]}\nstderr: {out.stderr[-1500:]}"
    lines = [line for line in out.stdout.splitlines() if line.startswith("Robo2D")]
    assert lines == [f"{case} same aimed" for case in CASES], out.stdout[-3000:]


class _ResettingX11:
    """libX11 as a resetting X server shows it: the first `refusals` opens fail. Its functions are plain
    functions, which take the restype/argtypes that ctypes' functions are given."""

    def __init__(self, refusals: int) -> None:
        self.opened = self.closed = 0

        def open_display(display: bytes):
            self.opened += 1
            return None if self.opened <= refusals else 1234

        def close_display(handle) -> None:
            self.closed += 1

        self.XOpenDisplay, self.XCloseDisplay = open_display, close_display


def test_the_display_probe_waits_out_a_server_reset_and_stays_open_until_the_block_ends(monkeypatch):
    """An X server resets (refusing connections) when its last client leaves; the probe retries through
    that and holds its connection while PyBullet's GUI connects, so that it is not the last to leave."""
    from robo2d.core import display

    monkeypatch.setattr(display, "RETRY_SECONDS", 0.0)
    for refusals, available in ((3, True), (display.OPEN_ATTEMPTS, False)):
        x11 = _ResettingX11(refusals)
        probe = display.DisplayProbe()
        probe._x11 = x11
        assert (probe._open(b":7") is not None) == available
        assert x11.opened == min(refusals + 1, display.OPEN_ATTEMPTS)
    monkeypatch.setattr(display.sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":7")
    x11 = _ResettingX11(2)
    monkeypatch.setattr(display.ctypes, "CDLL", lambda _: x11)
    monkeypatch.setattr(display.ctypes.util, "find_library", lambda _: "libX11.so.6")
    with display.DisplayProbe() as probe:
        assert probe.available and x11.closed == 0  # still open inside the block
    assert x11.closed == 1
