"""The robo2d command end to end with a tiny budget: train, evaluate, record, resume, bench."""

import subprocess
import sys

import pytest

from robo2d.cli import main
from robo2d.training.config import apply_overrides, load_config


def robo2d(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "robo2d", *args], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_list_shows_every_id(capsys):
    import robo2d as pkg

    main(["list"])
    shown = capsys.readouterr().out
    for env_id in pkg.ENV_IDS:
        assert env_id in shown


def test_config_overrides():
    config = apply_overrides(load_config("Robo2DReacher-v0"), ["sac.learning_rate=3e-4", "n_envs=2"])
    assert config["sac"]["learning_rate"] == 3e-4 and config["n_envs"] == 2
    with pytest.raises(ValueError, match="key=value"):
        apply_overrides(config, ["sac.learning_rate"])


@pytest.mark.slow
def test_train_evaluate_record_resume(tmp_path):
    run = tmp_path / "run"
    small = [
        "--set",
        "eval_freq=500",
        "--set",
        "eval_episodes=5",
        "--set",
        "checkpoint_freq=500",
        "--set",
        "sac.learning_starts=200",
        "--no-progress",
    ]
    robo2d("train", "Robo2DReacher-v0", "--timesteps", "1500", "--run-dir", str(run), *small)
    for name in (
        "model.zip",
        "config.yaml",
        "evaluations.csv",
        "learning_curve.png",
        "checkpoint/replay_buffer.pkl",
    ):
        assert (run / name).exists(), name
    assert len((run / "evaluations.csv").read_text().splitlines()) == 1 + 3
    assert "success rate" in robo2d("evaluate", str(run), "--episodes", "3")
    robo2d("record", str(run), "--episodes", "1", "--out", str(tmp_path / "ep.gif"))
    assert (tmp_path / "ep.gif").stat().st_size > 1000
    # resume a longer budget from the checkpoint
    config = run / "config.yaml"
    config.write_text(config.read_text().replace("total_timesteps: 1500", "total_timesteps: 2000"))
    robo2d("train", "--resume", str(run), "--no-progress")
    assert len((run / "evaluations.csv").read_text().splitlines()) == 1 + 4


def test_unknown_env_id_is_a_clear_error():
    out = subprocess.run(
        [sys.executable, "-m", "robo2d", "train", "Robo2DNope-v0"], capture_output=True, text=True
    )
    assert out.returncode != 0 and "robo2d list" in out.stderr


def test_bench_runs(capsys):
    main(["bench", "Robo2DReacher-v0", "--steps", "300", "--repeats", "1"])
    assert "Robo2DReacher-v0" in capsys.readouterr().out


@pytest.mark.slow
def test_train_with_subprocess_envs(tmp_path):
    """SubprocVecEnv workers start with an empty registry: the 'robo2d:' id prefix registers the ids."""
    small = ["--set", "eval_freq=400", "--set", "eval_episodes=1", "--set", "sac.learning_starts=250"]
    args = [
        "train",
        "Robo2DReacher-v0",
        "--timesteps",
        "400",
        "--n-envs",
        "2",
        "--run-dir",
        str(tmp_path / "r"),
    ]
    robo2d(*args, *small, "--no-progress")
    assert (tmp_path / "r" / "model.zip").exists()
