"""Agent files read without running code stored in them.

Reading a pickle can run any code the file's author chose, and SB3's model zips hold pickles
(cloudpickle) for the spaces, the policy class, the schedules and the replay buffer class. Every one of
them follows from the run's config.yaml, so robo2d rebuilds them from it and hands them to SB3, which
then reads only JSON and tensors (``torch.load(weights_only=True)``) from the zip. A zip holding any
other pickled object is refused unless the caller trusts the file (``--trust``). Observation statistics
are kept as ``vecnormalize.npz`` (numpy arrays, read with ``allow_pickle=False``); an older run's
``vecnormalize.pkl`` is read only when trusted, and converted to ``.npz`` once.

``robo2d train --resume`` reads its own checkpoint, pickles included (replay buffer, random state, last
observation): resume only run folders you made.
"""

from __future__ import annotations

import json
import pickle
import zipfile
from pathlib import Path

import numpy as np

from robo2d.run.folder import NORMALIZER_FILE, PICKLED_NORMALIZER_FILE

#: pickled entries of an SB3 SAC zip that robo2d rebuilds from the config (model attributes of that name)
REBUILT = (
    "policy_class",
    "policy_kwargs",
    "observation_space",
    "action_space",
    "replay_buffer_class",
    "replay_buffer_kwargs",
    "train_freq",
    "lr_schedule",
    "learning_rate",
)
#: pickled entries that only matter to training where it stopped: not read, empty for a loaded agent
TRAINING_STATE = {
    "_last_obs": None,
    "_last_original_obs": None,
    "_last_episode_starts": None,
    "ep_info_buffer": None,
    "ep_success_buffer": None,
}


class UntrustedFileError(ValueError):
    """An agent file that could only be read by unpickling (running code stored in it)."""


class ObservationNormalizer:
    """VecNormalize's observation scaling from saved statistics: clip((obs - mean) / sqrt(var + eps)).

    `stats` maps each normalised key of a dict observation (None for an array observation) to
    (mean, var, count).
    """

    def __init__(self, stats: dict, clip_obs: float, epsilon: float) -> None:
        self.stats, self.clip_obs, self.epsilon = stats, clip_obs, epsilon

    def _scale(self, obs: np.ndarray, key) -> np.ndarray:
        mean, var, _ = self.stats[key]
        return np.clip((obs - mean) / np.sqrt(var + self.epsilon), -self.clip_obs, self.clip_obs).astype(
            np.float32
        )

    def normalize_obs(self, obs):
        """The observation as the agent saw it in training (same arithmetic as SB3's VecNormalize)."""
        if None in self.stats:
            return self._scale(obs, None)
        return {key: self._scale(value, key) if key in self.stats else value for key, value in obs.items()}

    @classmethod
    def of(cls, vec_normalize) -> ObservationNormalizer:
        """The statistics of an SB3 VecNormalize."""
        rms = vec_normalize.obs_rms
        pairs = rms.items() if isinstance(rms, dict) else [(None, rms)]
        stats = {key: (r.mean.copy(), r.var.copy(), float(r.count)) for key, r in pairs}
        return cls(stats, float(vec_normalize.clip_obs), float(vec_normalize.epsilon))

    def apply_to(self, vec_normalize) -> None:
        """Put these statistics into a VecNormalize (a resumed training run's)."""
        vec_normalize.clip_obs, vec_normalize.epsilon = self.clip_obs, self.epsilon
        for key, (mean, var, count) in self.stats.items():
            rms = vec_normalize.obs_rms if key is None else vec_normalize.obs_rms[key]
            rms.mean, rms.var, rms.count = mean.copy(), var.copy(), count

    def save(self, path: Path) -> None:
        arrays = {"clip_obs": np.float64(self.clip_obs), "epsilon": np.float64(self.epsilon)}
        keys = [key for key in self.stats if key is not None]
        arrays["keys"] = np.array(keys, dtype=str)
        for key, (mean, var, count) in self.stats.items():
            suffix = "" if key is None else f".{key}"
            arrays.update({f"mean{suffix}": mean, f"var{suffix}": var, f"count{suffix}": np.float64(count)})
        with Path(path).open("wb") as f:
            np.savez(f, **arrays)

    @classmethod
    def read(cls, path: Path) -> ObservationNormalizer:
        with np.load(path, allow_pickle=False) as data:
            keys = [str(key) for key in data["keys"]] or [None]
            stats = {}
            for key in keys:
                suffix = "" if key is None else f".{key}"
                stats[key] = (data[f"mean{suffix}"], data[f"var{suffix}"], float(data[f"count{suffix}"]))
            return cls(stats, float(data["clip_obs"]), float(data["epsilon"]))


def read_normalizer(folder_or_npz: Path, trust: bool = False) -> ObservationNormalizer:
    """The statistics in `folder_or_npz` (an .npz, or a pickled VecNormalize beside it, only if trusted)."""
    npz = Path(folder_or_npz)
    if npz.is_file():
        return ObservationNormalizer.read(npz)
    pickled = npz.with_name(npz.name.replace(NORMALIZER_FILE, PICKLED_NORMALIZER_FILE))
    if not pickled.is_file():
        raise FileNotFoundError(f"{npz} is missing: the agent was trained with normalize_observation")
    if not trust:
        raise UntrustedFileError(
            f"{pickled} is a pickle (an older run), and reading a pickle runs whatever code it holds; "
            "if you trust where it came from, pass --trust once: it is then converted to "
            f"{npz.name}, which later loads need no trust for"
        )
    with pickled.open("rb") as f:
        normalizer = ObservationNormalizer.of(pickle.load(f))
    normalizer.save(npz)
    print(f"[agent] converted {pickled.name} to {npz} (numpy arrays, no pickle)", flush=True)
    return normalizer


def model_data(model_path: Path) -> dict:
    """An SB3 zip's data as JSON, pickled entries left as their base64 text (nothing is unpickled)."""
    try:
        with zipfile.ZipFile(model_path) as archive:
            return json.loads(archive.read("data"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as err:
        raise ValueError(f"{model_path} is not an SB3 model zip ({err})") from None


def pickled_entries(model_path: Path) -> list[str]:
    """Names of the entries of an SB3 zip's data that are stored as pickles."""
    data = model_data(model_path)
    return [key for key, item in data.items() if isinstance(item, dict) and ":serialized:" in item]


def rebuilt_objects(model_path: Path, reference, trust: bool = False) -> dict:
    """SB3 `custom_objects` for every pickled entry of the zip, taken from `reference` (a fresh model
    built from the run's config); UntrustedFileError if one cannot be rebuilt and `trust` is False."""
    pickled = pickled_entries(model_path)
    custom = {key: getattr(reference, key) for key in pickled if key in REBUILT}
    custom.update({key: value for key, value in TRAINING_STATE.items() if key in pickled})
    unknown = [key for key in pickled if key not in custom]
    if unknown and not trust:
        raise UntrustedFileError(
            f"{model_path} holds pickled objects robo2d cannot rebuild from the run's config "
            f"({', '.join(unknown)}); reading them would run code stored in the file. If you trust "
            "where it came from, pass --trust"
        )
    return custom
