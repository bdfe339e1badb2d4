"""Whether an X display can be opened, asked so that the X server does not reset under PyBullet's GUI.

PyBullet's GUI exits the whole process when it cannot open the display, so robo2d asks first. But an X
server started without ``-noreset`` (Xvfb, and xvfb-run's) resets when its last client disconnects and
refuses connections while it does, longer on a loaded machine. A probe that opened and closed the
display just before PyBullet connected made exactly that happen: PyBullet then printed "cannot connect
to X server" and exited. So the probe retries for a moment (the server may be resetting after a client
that just left, such as the previous GUI env) and stays open until the GUI has connected.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import time

OPEN_ATTEMPTS = 20  # tries to open the display before it counts as unavailable
RETRY_SECONDS = 0.1  # between tries: a resetting server takes a fraction of a second, more under load


class DisplayProbe:
    """An open connection to $DISPLAY for the duration of a ``with`` block; ``available`` says whether it
    could be opened (True where it cannot be asked: not Linux, or no libX11 to ask with)."""

    def __init__(self) -> None:
        self.available = False
        self._x11 = None
        self._handle = None

    def __enter__(self) -> DisplayProbe:
        if sys.platform != "linux":
            self.available = True
            return self
        display = os.environ.get("DISPLAY")
        library = ctypes.util.find_library("X11") if display else None
        if display and library is None:
            self.available = True  # cannot probe; trust DISPLAY
        elif display:
            self._x11 = ctypes.CDLL(library)
            self._x11.XOpenDisplay.restype = ctypes.c_void_p
            self._x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
            self._x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
            self._handle = self._open(display.encode())
            self.available = self._handle is not None
        return self

    def _open(self, display: bytes) -> int | None:
        for attempt in range(OPEN_ATTEMPTS):
            handle = self._x11.XOpenDisplay(display)
            if handle:
                return handle
            if attempt + 1 < OPEN_ATTEMPTS:
                time.sleep(RETRY_SECONDS)
        return None

    def __exit__(self, *exc) -> None:
        if self._handle:
            self._x11.XCloseDisplay(self._handle)
            self._handle = None
