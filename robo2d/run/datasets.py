"""Minari datasets of robo2d episodes, for offline RL and imitation, and demonstrations read from them.

``robo2d collect ID --policy oracle|RUN_DIR|AGENT`` rolls out the task's oracle or a trained agent
(with optional Gaussian noise on its actions) and writes a Minari dataset (Farama's standard format).
Episode i is reset with seed ``seed + i`` (kept in the dataset's episode metadata), and the env's id
and arguments are the dataset's env spec, so ``dataset.recover_environment()`` makes the same env
and every episode replays bit for bit from its seed and actions. A demonstration recipe may read its
episodes from such a dataset instead of running the oracle (``demonstrations: {dataset: PATH}``).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import gymnasium as gym
import numpy as np

INSTALL_HINT = "datasets need Minari: pip install 'robo2d[datasets]'"
DATASET_NAMESPACE = "robo2d"


def dataset_id(env_id: str, policy: str) -> str:
    """The default id of a dataset: robo2d/<env name>-<policy name>-v0."""
    name = env_id.removeprefix("Robo2D").split("-v")[0].lower()
    source = "oracle" if policy == "oracle" else Path(policy).stem.lower().replace("_", "-")
    return f"{DATASET_NAMESPACE}/{name}-{source}-v0"


@contextmanager
def datasets_root(root: Path) -> Iterator[None]:
    """Minari keeps datasets under MINARI_DATASETS_PATH: point it at `root` for the block."""
    before = os.environ.get("MINARI_DATASETS_PATH")
    os.environ["MINARI_DATASETS_PATH"] = str(Path(root).expanduser().resolve())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MINARI_DATASETS_PATH", None)
        else:
            os.environ["MINARI_DATASETS_PATH"] = before


def _minari():
    try:
        import minari
    except ImportError:
        raise ModuleNotFoundError(INSTALL_HINT, name="minari") from None
    return minari


def policy_for(env: gym.Env, policy: str, trust: bool = False) -> Callable[[np.ndarray], np.ndarray]:
    """The oracle of the env's id, or a trained agent (run folder, model .zip) acting deterministically."""
    if policy == "oracle":
        from robo2d.oracles import make_oracle

        oracle = make_oracle(env)
        return lambda obs: oracle(obs["observation"] if isinstance(obs, dict) else obs)
    from robo2d.run.loading import load_agent

    agent, _ = load_agent(policy, trust)
    return lambda obs: agent.predict(obs, deterministic=True)[0]


def collect(
    env_id: str,
    policy: str,
    episodes: int,
    root: Path,
    noise: float = 0.0,
    seed: int = 0,
    env_kwargs: dict | None = None,
    name: str | None = None,
    trust: bool = False,
):
    """Write `episodes` episodes of `policy` in `env_id` as a Minari dataset under `root`; returns it."""
    minari = _minari()
    if episodes < 1 or noise < 0:
        raise ValueError(f"collect needs episodes >= 1 and noise >= 0, got {episodes} and {noise}")
    name = name or dataset_id(env_id, policy)
    with datasets_root(root):
        # images stored losslessly (Minari would JPEG them), so episodes replay bit for bit
        env = minari.DataCollector(
            gym.make(env_id, **(env_kwargs or {})), record_infos=True, jpeg_encoding=False
        )
        act = policy_for(env, policy, trust)
        rng = np.random.default_rng(seed)
        try:
            for episode in range(episodes):
                obs, _ = env.reset(seed=seed + episode)
                done = False
                while not done:
                    action = np.asarray(act(obs), dtype=np.float32)
                    if noise:
                        action = np.clip(action + rng.normal(0.0, noise, action.shape), -1.0, 1.0)
                    obs, _, terminated, truncated, _ = env.step(action.astype(np.float32))
                    done = terminated or truncated
            description = f"{episodes} episodes of {policy} in {env_id}, action noise {noise}, seeds {seed}+i"
            with warnings.catch_warnings():  # Minari asks for a code link and an e-mail address
                warnings.simplefilter("ignore", UserWarning)
                return env.create_dataset(
                    dataset_id=name,
                    eval_env=env.spec,
                    algorithm_name=policy,
                    author="robo2d collect",
                    description=description,
                )
        finally:
            env.close()


def load(name_or_path: str):
    """A dataset by its id (under MINARI_DATASETS_PATH) or by the folder `collect` wrote it to."""
    minari = _minari()
    path = Path(name_or_path).expanduser()
    if (path / "data").is_dir():  # <root>/<namespace>/<name>: the dataset's own folder
        with datasets_root(path.parents[1]):
            return minari.load_dataset(f"{path.parent.name}/{path.name}")
    return minari.load_dataset(name_or_path)


def episode_seeds(dataset) -> list[int]:
    """Each episode's reset seed, as collect recorded it."""
    return [int(m["seed"]) for m in dataset.storage.get_episode_metadata(dataset.episode_indices)]
