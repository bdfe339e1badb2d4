"""SB3's HER replay buffer without the per-batch deep copy of step infos (same samples, bit for bit).

With ``copy_info_dict=True`` SB3 deep-copies the info dict of every relabelled transition (about 200
per batch of 256) so that ``compute_reward`` may change them. robo2d's ``compute_reward`` only reads
them, so the copies are never needed: this buffer keeps its infos in an :class:`InfoTable`, whose
deep copy is a shallow one, and stores each info as a :class:`ReadOnlyInfo`, which deep-copies to
itself (buffers pickled before the table existed load with it). Sampling, relabelled goals and
recomputed rewards stay exactly SB3's; on the jaw pick-and-place config HER relabelling took 1.5
instead of 3.3 ms per update with ReadOnlyInfo alone (`robo2d bench --training`). Only for envs whose
``compute_reward`` leaves its ``info`` argument alone, as robo2d's do.
"""

from __future__ import annotations

import numpy as np
from stable_baselines3 import HerReplayBuffer


class ReadOnlyInfo(dict):
    """A stored step info: a deep copy of it is itself, since nothing writes to it after the step."""

    def __deepcopy__(self, memo: dict) -> ReadOnlyInfo:
        return self


class InfoTable(np.ndarray):
    """The buffer's (buffer_size, n_envs) array of infos. A deep copy of it or of a batch drawn from it
    is a new array of the same (read-only) dicts: copying them one by one was most of HER's sampling."""

    def __deepcopy__(self, memo: dict) -> np.ndarray:
        return self.view(np.ndarray).copy()


class ReadOnlyInfoHerReplayBuffer(HerReplayBuffer):
    """HerReplayBuffer whose stored infos are read-only dicts in a table that deep-copies shallowly."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.infos = self.infos.view(InfoTable)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self.infos = np.asarray(self.infos).view(InfoTable)

    def add(self, obs, next_obs, action, reward, done, infos) -> None:
        super().add(obs, next_obs, action, reward, done, [ReadOnlyInfo(info) for info in infos])
