"""One picture per env id for its docs page: the first frame of ``reset(seed=0)``.

``python -m tools.render_env_images`` writes ``docs/images/envs/ID.png``: the env made with
``render_mode="rgb_array"`` and its default arguments, reset with seed 0, and ``env.render()``
(PyBullet's camera, 320x240). The env pages show the picture of their id where one is stored.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import gymnasium as gym

import robo2d

OUT = Path(__file__).resolve().parents[1] / "docs" / "images" / "envs"


def render_first_frame(env_id: str, out: Path) -> Path:
    """Write the first frame of the id's seed-0 episode to `out` as PNG."""
    env = gym.make(env_id, render_mode="rgb_array")
    try:
        env.reset(seed=0)
        frame = env.render()
    finally:
        env.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(out), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR)):
        raise OSError(f"could not write {out}")
    return out


def main() -> None:
    for env_id in robo2d.ENV_IDS:
        print(render_first_frame(env_id, OUT / f"{env_id}.png"))


if __name__ == "__main__":
    main()
