"""The SBX (JAX) backend: trains, saves its networks as arrays, loads without unpickling, resumes, and
is refused with a reason where it cannot train a config; without SBX the message names the extra."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from robo2d.cli import main
from robo2d.rl.backends import (
    JAX_CACHE_VARIABLE,
    JAX_HINT,
    XLA_ONE_THREAD,
    BackendError,
    ModelSpec,
    is_sbx,
    jax_cache_folder,
    sac_class,
)
from robo2d.run.config import ConfigError, apply_overrides, load_config, read_config
from robo2d.run.config_checks import _fallback_note, check_arguments, with_installed_backend
from robo2d.run.environment import make_env
from robo2d.run.folder import PARAMS_FILE
from robo2d.run.loading import load_agent

SMALL = [
    "--set",
    "backend=sbx",
    "--set",
    "sac.learning_starts=150",
    "--set",
    "sac.policy_kwargs.net_arch=[32,32]",
    "--set",
    "eval_freq=150",
    "--set",
    "eval_episodes=2",
    "--set",
    "checkpoint_freq=150",
    "--no-progress",
]


@pytest.fixture
def sbx():
    return pytest.importorskip("sbx")


def test_an_sbx_run_loads_from_its_arrays_without_unpickling(sbx, tmp_path, request):
    run = tmp_path / "run"
    main(["train", "Robo2DOneJoint-v0", "--timesteps", "300", "--run-dir", str(run), *SMALL])
    for name in ("model.zip", PARAMS_FILE, "vecnormalize.npz", "best/" + PARAMS_FILE, "checkpoint/model.zip"):
        assert (run / name).is_file(), name
    config = read_config(run / "config.yaml")
    env = make_env(config)  # SBX's own (pickled) zip, read with trust, for comparison
    trusted = sbx.SAC.load(run / "model.zip", env=env, device="cpu")
    request.getfixturevalue("no_unpickling")
    agent, config = load_agent(str(run))
    assert config.backend == "sbx"
    space = trusted.observation_space
    space.seed(0)
    for _ in range(20):
        obs = space.sample()
        ours, _ = agent.model.predict(obs, deterministic=True)
        theirs, _ = trusted.predict(obs, deterministic=True)
        assert np.array_equal(ours, theirs)
    env.close()


def test_an_sbx_run_resumes_from_its_checkpoint(sbx, tmp_path):
    run = tmp_path / "run"
    main(["train", "Robo2DOneJoint-v0", "--timesteps", "300", "--run-dir", str(run), *SMALL])
    main(["train", "--resume", str(run), "--timesteps", "450", "--no-progress"])
    rows = (run / "evaluations.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == ["150", "300", "450"]


def test_weights_of_other_networks_are_refused_by_name(sbx, tmp_path, monkeypatch):
    run = tmp_path / "run"
    main(["train", "Robo2DOneJoint-v0", "--timesteps", "200", "--run-dir", str(run), *SMALL])
    config = (run / "config.yaml").read_text().replace("- 32\n    - 32", "- 16\n    - 16")
    (run / "config.yaml").write_text(config)
    with pytest.raises(ValueError, match="does not match the networks"):
        load_agent(str(run))
    monkeypatch.setitem(sys.modules, "sbx", None)  # read into SB3's actor instead: refused alike
    with pytest.raises(ValueError, match="does not match the networks"):
        load_agent(str(run))


def test_sbx_is_refused_where_it_cannot_train(sbx):
    pixel = apply_overrides(load_config("Robo2DPixelReacher-v0", seed=0), ["backend=sbx"])
    with pytest.raises(ConfigError, match="backend: sb3"):
        check_arguments(pixel)
    torch_only = ["backend=sbx", "sac.policy_kwargs.features_extractor_kwargs={}", "sac.policy_kwargs.x=1"]
    with pytest.raises(ConfigError, match="policy_kwargs.x is not an argument of SBX"):
        check_arguments(apply_overrides(load_config("Robo2DReacher-v0", seed=0), torch_only))
    with pytest.raises(ConfigError, match="SBX's SAC"):
        check_arguments(
            apply_overrides(load_config("Robo2DReacher-v0", seed=0), ["backend=sbx", "sac.foo=1"])
        )


def test_an_unknown_backend_is_refused():
    with pytest.raises(ConfigError, match="choose one of"):
        check_arguments(apply_overrides(load_config("Robo2DReacher-v0", seed=0), ["backend=tf"]))


def test_without_sbx_the_message_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sbx", None)  # import sbx now raises ModuleNotFoundError
    with pytest.raises(BackendError, match=JAX_HINT.replace("[", r"\[").replace("]", r"\]")):
        sac_class(ModelSpec(backend="sbx"))
    config = apply_overrides(load_config("Robo2DReacher-v0", seed=0), ["backend=sbx"])
    with pytest.raises(ConfigError, match="robo2d"):
        check_arguments(config)


def test_one_torch_thread_means_one_xla_thread(sbx):
    """Set before JAX starts, in a fresh process; a user's own XLA_FLAGS are left alone."""
    code = (
        "import os; from robo2d.rl.backends import ModelSpec, sac_class; "
        "sac_class(ModelSpec(backend='sbx', threads=1)); print(os.environ.get('XLA_FLAGS'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == XLA_ONE_THREAD
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**env, "XLA_FLAGS": "--mine"},
        check=True,
    )
    assert out.stdout.strip() == "--mine"


def test_the_compiled_program_cache_folder_is_robo2ds_own_unless_told(monkeypatch, tmp_path):
    monkeypatch.delenv(JAX_CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert jax_cache_folder() == tmp_path / "robo2d" / "jax"
    monkeypatch.setenv(JAX_CACHE_VARIABLE, str(tmp_path / "mine"))
    assert jax_cache_folder() == tmp_path / "mine"
    monkeypatch.setenv(JAX_CACHE_VARIABLE, "off")
    assert jax_cache_folder() is None


@pytest.mark.child_process
def test_a_second_sbx_run_loads_the_programs_the_first_compiled_and_trains_the_same(sbx, tmp_path):
    """Each run in a fresh process (JAX's cache is per process once set), against an empty cache."""
    env = {k: v for k, v in os.environ.items() if k != "JAX_COMPILATION_CACHE_DIR"}
    env[JAX_CACHE_VARIABLE] = str(tmp_path / "cache")
    arrays = []
    for name in ("compiles", "loads"):
        command = ["-m", "robo2d", "train", "Robo2DOneJoint-v0", "--timesteps", "200", "--run-dir"]
        command += [str(tmp_path / name), *SMALL]
        subprocess.run([sys.executable, *command], env=env, check=True, capture_output=True)
        if name == "compiles":
            assert len(list((tmp_path / "cache").iterdir())) > 0
            programs = sorted(p.name for p in (tmp_path / "cache").iterdir())
        with np.load(tmp_path / name / PARAMS_FILE) as data:
            arrays.append({key: data[key] for key in data.files})
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == programs  # nothing compiled anew
    assert all(np.array_equal(arrays[0][key], arrays[1][key]) for key in arrays[0])
    code = "import jax; from robo2d.rl.backends import *; sac_class(ModelSpec(backend='sbx'));"
    code += "print(jax.config.jax_compilation_cache_dir)"
    off = subprocess.run(
        [sys.executable, "-c", code], env={**env, JAX_CACHE_VARIABLE: "off"}, capture_output=True, text=True
    )
    assert off.stdout.strip() == "None"


def test_an_sbx_run_is_reproducible_from_its_seed(sbx, tmp_path):
    arrays = []
    for name in ("a", "b"):
        main(["train", "Robo2DOneJoint-v0", "--timesteps", "200", "--run-dir", str(tmp_path / name), *SMALL])
        with np.load(tmp_path / name / PARAMS_FILE) as data:
            arrays.append({key: data[key] for key in data.files})
    assert arrays[0].keys() == arrays[1].keys()
    assert all(np.array_equal(arrays[0][key], arrays[1][key]) for key in arrays[0])


def _sbx_model(overrides: list[str]):
    from robo2d.rl.models import new_model

    config = apply_overrides(load_config("Robo2DOneJoint-v0", seed=0), ["backend=sbx", *overrides])
    check_arguments(config)
    return new_model(config.model, make_env(config), buffer_size=100)


def _flat(model) -> dict:
    from flax import traverse_util

    return {
        f"{state}/{key}": np.asarray(value)
        for state in ("actor_state", "qf_state")
        for key, value in traverse_util.flatten_dict(getattr(model.policy, state).params, sep="/").items()
    }


def test_sbx_networks_start_as_pytorchs_unless_told_flax(sbx):
    """Default: weights and biases uniform in ±1/sqrt(fan_in), as nn.Linear's; `network_init: flax` gives
    SBX's own (zero biases). Same parameter names, so saved arrays load across both."""
    ours, theirs = _flat(_sbx_model([])), _flat(_sbx_model(["network_init=flax"]))
    assert ours.keys() == theirs.keys() and all(ours[k].shape == theirs[k].shape for k in ours)
    for key, value in ours.items():
        kernel = value if key.endswith("kernel") else ours[key.replace("bias", "kernel")]
        fan_in = kernel.shape[-2]
        assert np.abs(value).max() <= 1 / np.sqrt(fan_in) + 1e-6, key
        if value.size >= 64:  # spread over the range, not shrunk
            assert np.abs(value).max() > 0.8 / np.sqrt(fan_in), key
        # uniform: its std is bound/sqrt(3), Flax's LeCun normal has std 1/sqrt(fan_in)
        if key.endswith("kernel") and value.size > 1000:
            assert np.std(value) == pytest.approx(1 / np.sqrt(3 * fan_in), rel=0.05), key
            assert np.std(theirs[key]) == pytest.approx(1 / np.sqrt(fan_in), rel=0.1), key
    assert all(not theirs[k].any() for k in theirs if k.endswith("bias"))


def test_a_network_init_is_checked(sbx):
    with pytest.raises(ConfigError, match="choose one of"):
        check_arguments(apply_overrides(load_config("Robo2DReacher-v0", seed=0), ["network_init=xavier"]))
    with pytest.raises(ConfigError, match="backend: sbx"):
        check_arguments(
            apply_overrides(load_config("Robo2DReacher-v0", seed=0), ["backend=sb3", "network_init=flax"])
        )


def test_without_sbx_a_config_for_it_trains_with_sb3_after_one_note(monkeypatch, tmp_path, capsys):
    """A recipe naming SBX never fails where JAX is missing: the same SAC trains with SB3, one line says
    so, and the run's config.yaml records what trained. A config that needs SBX itself is refused."""
    monkeypatch.setitem(sys.modules, "sbx", None)
    _fallback_note.cache_clear()
    for name in ("a", "b"):
        main(["train", "Robo2DOneJoint-v0", "--timesteps", "200", "--run-dir", str(tmp_path / name), *SMALL])
    out = capsys.readouterr().out
    assert out.count("[backend]") == 1 and JAX_HINT in out, out
    assert read_config(tmp_path / "a" / "config.yaml").backend == "sb3"
    assert not (tmp_path / "a" / PARAMS_FILE).exists()
    agent, _ = load_agent(str(tmp_path / "a"))
    assert not is_sbx(agent.model)
    flax = apply_overrides(load_config("Robo2DOneJoint-v0", seed=0), ["backend=sbx", "network_init=flax"])
    assert with_installed_backend(flax) is flax
    with pytest.raises(ConfigError, match="not installed"):
        check_arguments(flax)


def test_an_sbx_agent_acts_the_same_where_jax_is_not_installed(sbx, monkeypatch):
    """The shipped reacher (SBX, dict observations) read into SB3's PyTorch actor: the same actions
    along its own episodes, to float precision."""
    agent, config = load_agent("Robo2DReacher-v0")
    assert config.backend == "sbx" and is_sbx(agent.model)
    monkeypatch.setitem(sys.modules, "sbx", None)
    fallback, _ = load_agent("Robo2DReacher-v0")
    assert not is_sbx(fallback.model)
    env = make_env(config)
    for seed in range(10):
        obs, _ = env.reset(seed=seed)
        for _ in range(10):
            ours, _ = fallback.predict(obs)
            theirs, _ = agent.predict(obs)
            np.testing.assert_allclose(ours, theirs, atol=1e-5)
            obs, *_ = env.step(theirs)
    env.close()
