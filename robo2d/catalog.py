"""Everything robo2d knows about each id, in one place.

An entry holds the id's entry point and kwargs, time limit and one-line summary (registration and
``robo2d list``), its oracle and the success rate the oracle test asserts over 50 seeds, the peer
env ``robo2d bench --reference`` times it against, and the training config name in agents/. What the
env *is* (physics, robot, task, start state) is declared by its class in robo2d/envs. Adding an id
is one entry here (plus a task class if the task is new); the tests are parametrised over
``ENV_IDS`` and read the rest from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import gymnasium as gym


@dataclass(frozen=True)
class EnvEntry:
    id: str
    entry_point: str  # "module:EnvClass"
    summary: str
    max_episode_steps: int
    oracle: str  # "module:factory", factory(env) -> act(obs) -> action
    oracle_success: float  # what the oracle test asserts, over 50 seeds (the measured rate, rounded down)
    kwargs: dict = field(default_factory=dict)
    bench_reference: tuple[str, str] | None = None  # (module to import, peer id) for bench --reference
    planar: bool = False  # takes robot= (a planar arm URDF); tested with every shipped planar arm
    manipulator: bool = False  # takes robot= (a 6/7-DoF arm URDF); tested with every shipped arm

    @property
    def agent_config(self) -> str:
        """File name of the shipped SAC config in agents/."""
        return f"{self.id}.yaml"


_PLANAR = "robo2d.oracles.planar"
ENTRIES: tuple[EnvEntry, ...] = (
    EnvEntry(
        "Robo2DReacher-v0",
        "robo2d.envs.reacher:ReacherEnv",
        "planar arm brings its fingertip to a target point",
        50,
        f"{_PLANAR}:reacher_oracle",
        0.95,
        bench_reference=("pybullet_envs_gymnasium", "ReacherBulletEnv-v0"),
        planar=True,
    ),
    EnvEntry(
        "Robo2DPusher-v0",
        "robo2d.envs.pusher:PusherEnv",
        "planar arm pushes a puck to a goal (joint motors)",
        100,
        f"{_PLANAR}:pusher_oracle",
        0.95,
        kwargs={"control": "velocity"},
        bench_reference=("panda_gym", "PandaPush-v3"),
        planar=True,
    ),
    EnvEntry(
        "Robo2DIKPusher-v0",
        "robo2d.envs.pusher:PusherEnv",
        "same push; fingertip displacements solved by inverse kinematics",
        100,
        f"{_PLANAR}:ik_pusher_oracle",
        0.95,
        kwargs={"control": "ik"},
        bench_reference=("panda_gym", "PandaPush-v3"),
        planar=True,
    ),
    EnvEntry(
        "Robo2DPixelReacher-v0",
        "robo2d.envs.pixel_reacher:PixelReacherEnv",
        "the reacher seen only through an 84x84 top-down image",
        50,
        "robo2d.oracles.pixels:pixel_reacher_oracle",
        0.95,
        planar=True,
    ),
    EnvEntry(
        "Robo2DOneJoint-v0",
        "robo2d.envs.one_joint:OneJointEnv",
        "one-joint robot turns its pointer to a target angle",
        50,
        f"{_PLANAR}:one_joint_oracle",
        0.95,
        planar=True,
    ),
    EnvEntry(
        "Robo2DKukaSuctionPickPlace-v0",
        "robo2d.envs.kuka:KukaSuctionPickPlaceEnv",
        "Kuka iiwa with a suction cup picks a cube and places it at a target",
        100,
        "robo2d.oracles.kuka:suction_oracle",
        0.95,
        bench_reference=("panda_gym", "PandaPickAndPlace-v3"),
        manipulator=True,
    ),
    EnvEntry(
        "Robo2DKukaJawPickPlace-v0",
        "robo2d.envs.kuka_jaw:KukaJawPickPlaceEnv",
        "Kuka iiwa with a two-finger jaw gripper picks a cube and places it at a target",
        100,
        "robo2d.oracles.kuka:jaw_oracle",
        0.95,  # measured 50/50 (100/100 over seeds 0-99)
        bench_reference=("panda_gym", "PandaPickAndPlace-v3"),
        manipulator=True,
    ),
)

ENV_IDS: tuple[str, ...] = tuple(e.id for e in ENTRIES)
ENV_SUMMARIES: dict[str, str] = {e.id: e.summary for e in ENTRIES}
PLANAR_IDS: tuple[str, ...] = tuple(e.id for e in ENTRIES if e.planar)
MANIPULATOR_IDS: tuple[str, ...] = tuple(e.id for e in ENTRIES if e.manipulator)
_BY_ID = {e.id: e for e in ENTRIES}


def entry(env_id: str) -> EnvEntry:
    """The catalog entry of `env_id`; KeyError lists the ids."""
    if env_id not in _BY_ID:
        raise KeyError(f"unknown env id {env_id!r}; ids: {', '.join(ENV_IDS)}")
    return _BY_ID[env_id]


def register_envs() -> None:
    for e in ENTRIES:
        if e.id not in gym.registry:
            gym.register(
                e.id, entry_point=e.entry_point, kwargs=e.kwargs, max_episode_steps=e.max_episode_steps
            )
