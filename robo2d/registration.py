"""The robo2d ids: entry point, kwargs and time limit of each, registered with Gymnasium."""

from __future__ import annotations

import gymnasium as gym

# id -> (entry point, default kwargs, max_episode_steps, one-line summary)
_ENVS: dict[str, tuple[str, dict, int, str]] = {
    "Robo2DReacher-v0": (
        "robo2d.envs.reacher:ReacherEnv",
        {},
        50,
        "planar 2-link arm brings its fingertip to a target point",
    ),
    "Robo2DPusher-v0": (
        "robo2d.envs.pusher:PusherEnv",
        {"control": "joint"},
        100,
        "planar arm pushes a puck to a goal (joint motors)",
    ),
    "Robo2DIKPusher-v0": (
        "robo2d.envs.pusher:PusherEnv",
        {"control": "ik"},
        100,
        "same push; fingertip displacements solved by PyBullet IK",
    ),
    "Robo2DPixelReacher-v0": (
        "robo2d.envs.pixel_reacher:PixelReacherEnv",
        {},
        50,
        "the reacher seen only through an 84x84 top-down image",
    ),
    "Robo2DOneJoint-v0": (
        "robo2d.envs.one_joint:OneJointEnv",
        {},
        50,
        "one-joint robot turns its pointer to a target angle",
    ),
    "Robo2DKukaSuctionPickPlace-v0": (
        "robo2d.envs.kuka:KukaSuctionPickPlaceEnv",
        {},
        100,
        "Kuka iiwa with a suction cup picks a cube and places it at a target",
    ),
    "Robo2DKukaJawPickPlace-v0": (
        "robo2d.envs.kuka_jaw:KukaJawPickPlaceEnv",
        {},
        100,
        "Kuka iiwa with a two-finger jaw gripper picks a cube and places it at a target",
    ),
}

ENV_IDS: tuple[str, ...] = tuple(_ENVS)
ENV_SUMMARIES: dict[str, str] = {env_id: spec[3] for env_id, spec in _ENVS.items()}


def register_envs() -> None:
    for env_id, (entry_point, kwargs, max_steps, _) in _ENVS.items():
        if env_id not in gym.registry:
            gym.register(env_id, entry_point=entry_point, kwargs=kwargs, max_episode_steps=max_steps)
