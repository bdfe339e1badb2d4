"""Agent files load without unpickling: normaliser statistics as .npz, SB3 zips' pickled objects rebuilt
from the config, and a file that would run code refused unless trusted."""

import base64
import json
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import numpy as np
import pytest
from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize

import robo2d  # noqa: F401
from robo2d.run.agent_files import (
    NORMALIZER_FILE,
    REBUILT,
    ObservationNormalizer,
    UntrustedFileError,
    rebuilt_objects,
)
from robo2d.run.config import agents_dir, load_config, save_config
from robo2d.run.environment import make_env
from robo2d.run.loading import load_agent

SHIPPED = "Robo2DPusher-v0"  # an SB3 agent: its zip holds pickled objects (the reacher's is SBX's)


class Payload:
    """Unpickling this makes a folder: proof that the file's code ran."""

    def __init__(self, marker) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return os.mkdir, (self.marker,)


def _trained_statistics(env_id: str, steps: int = 60) -> VecNormalize:
    config = load_config(env_id)
    normalized = VecNormalize(DummyVecEnv([lambda: make_env(config)]), norm_obs=True, norm_reward=False)
    normalized.seed(3)
    normalized.reset()
    for _ in range(steps):
        normalized.step(np.array([normalized.action_space.sample()]))
    return normalized


@pytest.mark.parametrize("env_id", ["Robo2DReacher-v0", "Robo2DPixelReacher-v0"])
def test_npz_statistics_normalise_bit_for_bit_like_vecnormalize(env_id, tmp_path):
    """Dict observations (HER) and array observations (pixels, whose config does not normalise, but the
    arithmetic is the same): the .npz round trip scales every observation exactly as VecNormalize."""
    normalized = _trained_statistics(env_id)
    ObservationNormalizer.of(normalized).save(tmp_path / NORMALIZER_FILE)
    normalizer = ObservationNormalizer.read(tmp_path / NORMALIZER_FILE)
    space = normalized.observation_space
    space.seed(0)
    for _ in range(50):
        obs = space.sample()
        obs = {k: v[None] for k, v in obs.items()} if isinstance(obs, dict) else obs[None]
        expected, got = normalized.normalize_obs(obs), normalizer.normalize_obs(obs)
        for key in expected if isinstance(expected, dict) else [None]:
            a, b = (expected, got) if key is None else (expected[key], got[key])
            assert a.dtype == b.dtype and np.array_equal(a, b)
    fresh = VecNormalize(normalized.venv, norm_obs=True, norm_reward=False)
    normalizer.apply_to(fresh)  # a resumed run gets the same statistics back
    rms, back = normalized.obs_rms, fresh.obs_rms
    for key in rms if isinstance(rms, dict) else [None]:
        a, b = (rms, back) if key is None else (rms[key], back[key])
        assert np.array_equal(a.mean, b.mean) and np.array_equal(a.var, b.var) and a.count == b.count
    normalized.close()


def test_npz_is_read_without_pickle(tmp_path):
    ObservationNormalizer.of(_trained_statistics(SHIPPED, steps=5)).save(tmp_path / NORMALIZER_FILE)
    with np.load(tmp_path / NORMALIZER_FILE, allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)


def _run_folder(tmp_path, edit=None):
    """The shipped pusher as a run folder, its model's data optionally edited."""
    folder = tmp_path / "run"
    folder.mkdir()
    shutil.copy(agents_dir() / f"{SHIPPED}.vecnormalize.npz", folder / NORMALIZER_FILE)
    save_config(load_config(SHIPPED), folder / "config.yaml")
    with zipfile.ZipFile(agents_dir() / f"{SHIPPED}.zip") as source:
        entries = {name: source.read(name) for name in source.namelist()}
    if edit:
        data = json.loads(entries["data"])
        edit(data)
        entries["data"] = json.dumps(data).encode()
    with zipfile.ZipFile(folder / "model.zip", "w") as target:
        for name, content in entries.items():
            target.writestr(name, content)
    return folder


def _pickled(obj) -> dict:
    return {":type:": "<class 'object'>", ":serialized:": base64.b64encode(pickle.dumps(obj)).decode()}


def test_a_zip_with_code_in_an_unknown_entry_is_refused(tmp_path):
    marker = tmp_path / "code_ran"
    folder = _run_folder(tmp_path, lambda data: data.update(extra=_pickled(Payload(marker))))
    with pytest.raises(UntrustedFileError, match=r"\(extra\).*--trust"):
        load_agent(str(folder))
    assert not marker.exists()
    load_agent(str(folder), trust=True)  # the payload is real: trusted, SB3 unpickles it
    assert marker.is_dir()


def test_rebuilding_refuses_by_default_and_names_every_entry_it_cannot_rebuild(tmp_path):
    """Called without `trust`, as any caller that forgets it would, the library refuses a zip with
    pickled entries it cannot rebuild and names them all in the message a user reads; nothing in them
    runs. Trusted, it hands over the entries it rebuilds (from the reference model) and leaves the
    others to SB3."""
    markers = [tmp_path / "code_ran", tmp_path / "code_ran_too"]
    folder = _run_folder(
        tmp_path,
        lambda data: data.update(extra=_pickled(Payload(markers[0])), more=_pickled(Payload(markers[1]))),
    )
    zip_path = folder / "model.zip"
    reference = SimpleNamespace(**{key: f"rebuilt {key}" for key in REBUILT})  # a fresh model's attributes
    with pytest.raises(UntrustedFileError) as refused:
        rebuilt_objects(zip_path, reference)
    assert str(refused.value) == (
        f"{zip_path} holds pickled objects robo2d cannot rebuild from the run's config (extra, more); "
        "reading them would run code stored in the file. If you trust where it came from, pass --trust"
    )
    assert not any(marker.exists() for marker in markers)
    custom = rebuilt_objects(zip_path, reference, trust=True)
    assert "extra" not in custom and "more" not in custom
    assert custom["observation_space"] == "rebuilt observation_space"
    assert not any(marker.exists() for marker in markers)


def test_code_in_an_entry_robo2d_rebuilds_never_runs(tmp_path, no_unpickling):
    marker = tmp_path / "code_ran"
    folder = _run_folder(tmp_path, lambda data: data.update(observation_space=_pickled(Payload(marker))))
    agent, _ = load_agent(str(folder))
    assert not marker.exists()
    assert agent.model.observation_space == make_env(load_config(SHIPPED)).observation_space


@pytest.mark.child_process
def test_the_cli_refuses_an_untrusted_zip_in_one_line(tmp_path):
    marker = tmp_path / "code_ran"
    folder = _run_folder(tmp_path, lambda data: data.update(extra=_pickled(Payload(marker))))
    result = subprocess.run(
        [sys.executable, "-m", "robo2d", "evaluate", str(folder), "--episodes", "1"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "--trust" in result.stderr and "Traceback" not in result.stderr
    assert not marker.exists()


def test_a_pickled_normaliser_needs_trust_once_then_is_npz(tmp_path, capsys):
    folder = _run_folder(tmp_path)
    (folder / NORMALIZER_FILE).unlink()
    statistics = _trained_statistics(SHIPPED, steps=5)
    statistics.save(str(folder / "vecnormalize.pkl"))
    with pytest.raises(UntrustedFileError, match="vecnormalize.pkl is a pickle.*--trust"):
        load_agent(str(folder))
    agent, _ = load_agent(str(folder), trust=True)
    assert "converted" in capsys.readouterr().out and (folder / NORMALIZER_FILE).is_file()
    again, _ = load_agent(str(folder))  # no trust needed any more
    obs = {k: v[None] for k, v in statistics.observation_space.sample().items()}
    for key, value in statistics.normalize_obs(obs).items():
        assert np.array_equal(again.normalizer.normalize_obs(obs)[key], value)


def test_weights_that_do_not_fit_the_config_are_named(tmp_path):
    folder = _run_folder(tmp_path)
    # one joint more: other observation sizes
    config = load_config(SHIPPED, env_kwargs={"robot": "planar_arm_3link"})
    save_config(config, folder / "config.yaml")
    with pytest.raises(ValueError, match="does not match the networks its config describes"):
        load_agent(str(folder))


def test_only_the_normalised_keys_of_a_dict_observation_are_scaled():
    """Statistics for "observation" alone (VecNormalize told to normalise only that key): it is scaled,
    (3 - 1) / sqrt(4) = 1, and the goals pass through as they are."""
    normalizer = ObservationNormalizer({"observation": (np.ones(1), np.full(1, 4.0), 10.0)}, 10.0, 0.0)
    goal = np.array([0.25, -0.5], np.float32)
    seen = normalizer.normalize_obs({"observation": np.array([3.0]), "desired_goal": goal})
    np.testing.assert_allclose(seen["observation"], [1.0])
    assert seen["desired_goal"] is goal


def test_npz_statistics_holding_a_pickled_object_are_refused_unread(tmp_path, no_unpickling):
    """An .npz can carry a pickled object array, which loading would unpickle (and so run its code):
    the normaliser's reader refuses it, as NumPy does for a file read without pickles."""
    np.savez(tmp_path / NORMALIZER_FILE, keys=np.array([{"code": "runs"}], dtype=object), clip_obs=10.0)
    with pytest.raises(ValueError, match="allow_pickle=False"):
        ObservationNormalizer.read(tmp_path / NORMALIZER_FILE)
