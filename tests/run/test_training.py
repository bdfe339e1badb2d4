"""The robo2d command end to end with a tiny budget: train, evaluate, record, resume."""

import contextlib
import csv
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from unittest import mock

import numpy as np
import pytest

from robo2d.cli import main
from robo2d.run.config import apply_overrides, load_config, read_config
from robo2d.run.eval_log import best_evaluation
from robo2d.run.eval_worker import BackgroundEvaluation
from robo2d.run.folder import PARAMS_FILE
from robo2d.run.loading import load_agent


def robo2d(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "robo2d", *args], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def _said(capsys, *args: str) -> str:
    """What a command prints, run in this process through main() (as the robo2d script runs it)."""
    capsys.readouterr()
    main(list(args))
    return capsys.readouterr().out


def test_list_shows_every_id(capsys):
    import robo2d as pkg

    main(["list"])
    shown = capsys.readouterr().out
    for env_id in pkg.ENV_IDS:
        assert env_id in shown


def test_config_overrides():
    config = apply_overrides(load_config("Robo2DReacher-v0"), ["sac.learning_rate=3e-4", "n_envs=2"])
    assert config.sac["learning_rate"] == 3e-4 and config.n_envs == 2
    with pytest.raises(ValueError, match="key=value"):
        apply_overrides(config, ["sac.learning_rate"])


@pytest.mark.slow
def test_train_evaluate_record_resume(tmp_path, capsys):
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
    _said(capsys, "train", "Robo2DReacher-v0", "--timesteps", "1500", "--run-dir", str(run), *small)
    for name in (
        "model.zip",
        "config.yaml",
        "evaluations.csv",
        "learning_curve.png",
        "checkpoint/replay_buffer.pkl",
        "best/model.zip",
        "best/config.yaml",
    ):
        assert (run / name).exists(), name
    assert len((run / "evaluations.csv").read_text().splitlines()) == 1 + 3
    best = read_config(run / "best" / "config.yaml").best_timesteps
    with (run / "evaluations.csv").open() as f:
        rows = list(csv.DictReader(f))
    top = max(rows, key=lambda r: (float(r["success_rate"]), float(r["mean_return"])))
    assert best == int(top["timesteps"])
    assert "success rate" in _said(capsys, "evaluate", str(run / "best"), "--episodes", "2")
    assert "success rate" in _said(capsys, "evaluate", str(run), "--episodes", "3")
    _said(capsys, "record", str(run), "--episodes", "1", "--out", str(tmp_path / "ep.gif"))
    assert (tmp_path / "ep.gif").stat().st_size > 1000
    # resume a longer budget from the checkpoint: the wall and CPU clocks go on from the last row
    walls = [float(r["wall_seconds"]) for r in rows]
    cpus = [float(r["cpu_seconds"]) for r in rows]
    assert 0 < cpus[0] < cpus[1] < cpus[2]
    _said(capsys, "train", "--resume", str(run), "--timesteps", "2000", "--no-progress")
    assert len((run / "evaluations.csv").read_text().splitlines()) == 1 + 4
    assert read_config(run / "config.yaml").total_timesteps == 2000
    with (run / "evaluations.csv").open() as f:
        last = list(csv.DictReader(f))[-1]
    assert float(last["wall_seconds"]) > max(walls) and float(last["cpu_seconds"]) > max(cpus)
    said = _said(capsys, "train", "--resume", str(run), "--timesteps", "2000", "--no-progress")
    assert "already at 2000 env steps" in said and "nothing to train" in said


def test_same_seed_trains_the_same_model(tmp_path):
    """A run is reproducible bit for bit: same config and seed, same network weights."""
    small = ["--timesteps", "600", "--set", "eval_freq=600", "--set", "eval_episodes=2", "--no-progress"]
    small += ["--set", "sac.learning_starts=300"]
    for name, seed in (("a", "0"), ("b", "0"), ("c", "1")):
        main(["train", "Robo2DReacher-v0", *small, "--seed", seed, "--run-dir", str(tmp_path / name)])
    assert _weights(tmp_path / "a") == _weights(tmp_path / "b")
    assert _weights(tmp_path / "a") != _weights(tmp_path / "c")
    assert _curve(tmp_path / "a") == _curve(tmp_path / "b")


def _weights(run) -> bytes | dict[str, bytes]:
    """A run's network weights: SB3's policy.pth, or an SBX run's parameter arrays."""
    if (run / PARAMS_FILE).is_file():
        with np.load(run / PARAMS_FILE) as data:
            return {key: data[key].tobytes() for key in data.files}
    return zipfile.ZipFile(run / "model.zip").read("policy.pth")


def _curve(run) -> list[str]:
    """evaluations.csv without its clock columns (wall-clock and CPU seconds)."""
    return [row.split(",")[:3] for row in (run / "evaluations.csv").read_text().splitlines()]


def test_resume_at_an_episode_start_continues_bit_for_bit(tmp_path):
    """Stopped at 200 steps (episodes of 50) and resumed to 600: the same weights and curve as 600 in one
    go, with SAC's updates (from step 100), HER and observation normalisation taking part."""
    small = ["--set", "eval_freq=200", "--set", "eval_episodes=2", "--set", "sac.learning_starts=100"]
    small += ["--set", "checkpoint_freq=200", "--no-progress"]
    main(["train", "Robo2DReacher-v0", "--timesteps", "600", *small, "--run-dir", str(tmp_path / "a")])
    main(["train", "Robo2DReacher-v0", "--timesteps", "200", *small, "--run-dir", str(tmp_path / "b")])
    main(["train", "--resume", str(tmp_path / "b"), "--timesteps", "600", "--no-progress"])
    assert _weights(tmp_path / "a") == _weights(tmp_path / "b")
    assert _curve(tmp_path / "a") == _curve(tmp_path / "b")


def test_resume_mid_episode_starts_new_episodes(tmp_path, capsys):
    small = ["--set", "eval_freq=200", "--set", "eval_episodes=1", "--set", "sac.learning_starts=100"]
    small += ["--run-dir", str(tmp_path), "--no-progress"]
    main(["train", "Robo2DReacher-v0", "--timesteps", "230", *small])
    main(["train", "--resume", str(tmp_path), "--timesteps", "400", "--no-progress"])
    assert "checkpoint taken mid-episode" in capsys.readouterr().out
    steps = [row.split(",")[0] for row in (tmp_path / "evaluations.csv").read_text().splitlines()[1:]]
    assert steps == ["200", "230", "400"]  # periodic, the first run's last step, periodic and last


def test_every_run_ends_with_an_evaluation_at_its_last_step(tmp_path):
    """A run shorter than eval_freq still has a curve (and a best/), ending where the run ends."""
    main(
        ["train", "Robo2DOneJoint-v0", "--timesteps", "120", "--set", "eval_episodes=1", "--no-progress"]
        + ["--run-dir", str(tmp_path)]
    )
    assert [row[0] for row in _curve(tmp_path)[1:]] == ["120"]
    assert (tmp_path / "best" / "model.zip").is_file()


def test_resume_changes_only_the_schedule(tmp_path):
    with pytest.raises(SystemExit, match="not a run folder"):
        main(["train", "--resume", str(tmp_path)])
    (tmp_path / "config.yaml").write_text("env_id: Robo2DReacher-v0\n")
    with pytest.raises(SystemExit, match=r"\['--seed', 'sac.gamma=0.9'\] cannot apply"):
        main(["train", "--resume", str(tmp_path), "--seed", "3", "--set", "sac.gamma=0.9"])


def test_cli_errors_say_what_to_do(tmp_path):
    with pytest.raises(SystemExit, match="robo2d plot: .*nonexistent"):
        main(["plot", str(tmp_path / "nonexistent")])
    with pytest.raises(SystemExit, match="image observations.*Robo2DPixelReacher-v0"):
        main(["record", "Robo2DReacher-v0", "--oracle", "--observations", "--out", str(tmp_path / "x.gif")])
    assert not (tmp_path / "x.gif").exists()


def test_unknown_config_entry_is_refused():
    with pytest.raises(ValueError, match="no config entry 'total_timestep'.*total_timesteps"):
        apply_overrides(load_config("Robo2DReacher-v0"), ["total_timestep=100"])
    with pytest.raises(SystemExit, match="no config entry"):
        main(["train", "Robo2DReacher-v0", "--set", "sacc.gamma=0.9"])


def test_best_evaluation_prefers_success_then_return(tmp_path):
    path = tmp_path / "evaluations.csv"
    assert best_evaluation(path) is None
    path.write_text(
        "timesteps,success_rate,mean_return,wall_seconds\n"
        "1000,0.5,-3.0,1.0\n2000,0.7,-4.0,2.0\n3000,0.7,-3.5,3.0\n4000,0.6,-1.0,4.0\n"
    )
    assert best_evaluation(path) == (0.7, -3.5)


@pytest.mark.child_process
def test_unknown_env_id_is_a_clear_error():
    out = subprocess.run(
        [sys.executable, "-m", "robo2d", "train", "Robo2DNope-v0"], capture_output=True, text=True
    )
    assert out.returncode != 0 and "robo2d list" in out.stderr


def test_unknown_class_names_in_a_config_are_clear_errors(tmp_path):
    from robo2d.rl.models import new_model

    config = load_config("Robo2DPixelReacher-v0")
    config.sac["policy_kwargs"]["features_extractor_class"] = "CompactCN"
    with pytest.raises(ValueError, match="CompactCN'.*KeypointCNN"):
        new_model(config.model, None)
    config = load_config("Robo2DPixelReacher-v0")
    config.sac["replay_buffer_class"] = "ShiftBuffer"
    with pytest.raises(ValueError, match="RandomShiftReplayBuffer"):
        new_model(config.model, None)


@pytest.mark.child_process
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


def test_plot_labels_runs_and_files_with_and_without_a_mean(tmp_path):
    from robo2d.run.eval_log import curve_label

    rows = "timesteps,success_rate,mean_return,wall_seconds\n1000,0.1,-3,1\n2000,0.5,-2,2\n"
    run = tmp_path / "run_a"
    run.mkdir()
    (run / "evaluations.csv").write_text(rows)
    (tmp_path / "recipe_b.csv").write_text(rows)
    assert curve_label(run / "evaluations.csv") == "run_a"
    assert curve_label(tmp_path / "recipe_b.csv") == "recipe_b"
    for extra in ([], ["--no-mean"]):
        out = tmp_path / f"curve{len(extra)}.png"
        main(["plot", str(run), str(tmp_path / "recipe_b.csv"), "--out", str(out), *extra])
        assert out.stat().st_size > 5000


@pytest.mark.child_process
def test_wall_clock_limit_stops_and_saves_without_checkpoints(tmp_path):
    """max_wall_minutes ends training early with its model saved; checkpoint_freq=0 writes no checkpoint."""
    small = ["--set", "eval_freq=200", "--set", "eval_episodes=1", "--set", "sac.learning_starts=100"]
    limits = ["--set", "max_wall_minutes=0.0001", "--set", "checkpoint_freq=0"]
    run = tmp_path / "r"
    robo2d("train", "Robo2DReacher-v0", "--timesteps", "100000", "--run-dir", str(run), *small, *limits)
    agent, _ = load_agent(str(run))
    assert agent.model.num_timesteps < 1000  # stopped long before the budget
    assert (run / "model.zip").exists() and not (run / "checkpoint").exists()


def _cli_fails(args: list[str], *words: str, env: dict | None = None) -> None:
    """The command exits with status 2 and one line on stderr holding every word. Run in this process
    through main(), as the ``robo2d`` script runs it; any other exception (a traceback) fails the test."""
    err = io.StringIO()
    with (
        mock.patch.dict(os.environ, env or {}),
        contextlib.redirect_stderr(err),
        pytest.raises(SystemExit) as exit,
    ):
        main(args)
    lines = err.getvalue().strip().splitlines()
    assert exit.value.code == 2, err.getvalue()[-2000:]
    assert len(lines) == 1, err.getvalue()[-2000:]
    for word in words:
        assert word in lines[0], lines[0]


def test_user_mistakes_get_one_line_and_leave_no_run_folder(tmp_path):
    run = tmp_path / "run"
    _cli_fails(
        ["train", "Robo2DReacher-v0", "--run-dir", str(run), "--set", "sac.learnin_rate=1"],
        "sac.learnin_rate",
        "Did you mean sac.learning_rate?",
    )
    _cli_fails(
        ["train", "Robo2DReacher-v0", "--run-dir", str(run), "--set", "her.n_sampled_goals=2"],
        "her.n_sampled_goals",
        "n_sampled_goal",
    )
    _cli_fails(
        ["train", "Robo2DReacher-v0", "--run-dir", str(run), "--gui"],
        "X display",
        "xvfb-run",
        env={"DISPLAY": ""},
    )
    for steps in ("0", "-5"):
        _cli_fails(["train", "Robo2DReacher-v0", "--run-dir", str(run), "--timesteps", steps], "positive")
    _cli_fails(["record", "Robo2DReacher-v0", "--out", str(tmp_path / "x.avi")], ".mp4, .gif")
    assert not run.exists() and not (tmp_path / "x.avi").exists()


@pytest.mark.child_process
def test_training_commands_name_the_extra_when_it_is_missing(tmp_path):
    code = (
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.split('.')[0] in ('yaml', 'torch', 'stable_baselines3'):\n"
        "            raise ModuleNotFoundError(name=name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from robo2d.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    for command in (["train", "Robo2DReacher-v0"], ["evaluate", "Robo2DReacher-v0"], ["list"]):
        out = subprocess.run(
            [sys.executable, "-c", code, *command], capture_output=True, text=True, cwd=tmp_path
        )
        if command == ["list"]:
            assert out.returncode == 0 and "Robo2DReacher-v0" in out.stdout, out.stderr[-2000:]
        else:
            assert out.returncode == 2 and "pip install 'robo2d[train]'" in out.stderr, out.stderr[-2000:]
            lines = [line for line in out.stderr.splitlines() if line and "pybullet build time" not in line]
            assert len(lines) == 1, out.stderr


def test_one_evaluation_plots_as_a_point(tmp_path):
    from robo2d.run.eval_log import plot_learning_curve

    csv_file = tmp_path / "evaluations.csv"
    csv_file.write_text("timesteps,success_rate,mean_return,wall_seconds\n1000,0.5,-3.0,4.0\n")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plot_learning_curve([csv_file], tmp_path / "c.png")
    assert (tmp_path / "c.png").stat().st_size > 1000
    plt.close("all")


@pytest.mark.child_process
def test_evaluate_under_other_conditions_reports_interval_and_seeds():
    out = robo2d("evaluate", "Robo2DReacher-v0", "--episodes", "3", "--seed", "7", "--randomize")
    assert "95% Wilson interval" in out and "reset seeds 1000007-1000009" in out, out
    assert "'randomize': True" in out, out
    _cli_fails(["evaluate", "Robo2DReacher-v0", "--env-kwargs", "{randomize: {bogus: 1}}"], "bogus", "Valid")
    _cli_fails(["evaluate", "Robo2DReacher-v0", "--env-kwargs", "[1"], "not YAML/JSON")
    _cli_fails(["evaluate", "Robo2DReacher-v0", "--env-kwargs", "[1, 2]"], "must be a mapping")


def test_overrides_read_yaml_values_as_the_config_files_do():
    config = apply_overrides(load_config("Robo2DReacher-v0"), ["env_kwargs.randomize=true"])
    assert config.env_kwargs["randomize"] is True
    config = apply_overrides(
        config, ["env_kwargs.randomize={action_delay: [0, 2]}", "sac.learning_rate=1e-3"]
    )
    assert config.env_kwargs["randomize"] == {"action_delay": [0, 2]}
    assert config.sac["learning_rate"] == 1e-3


def test_a_run_from_before_the_cpu_column_keeps_it_empty(tmp_path):
    from robo2d.run.eval_log import last_seconds, read_evaluations, read_run, write_evaluations

    eval_file = tmp_path / "evaluations.csv"
    eval_file.write_text("timesteps,success_rate,mean_return,wall_seconds\n1000,0.5,-3.0,4.0\n")
    assert last_seconds(eval_file, "wall_seconds") == 4.0 and last_seconds(eval_file, "cpu_seconds") is None
    write_evaluations(eval_file, [*read_evaluations(eval_file), [2000, 0.6, "-2.0", "8.0", ""]])
    with eval_file.open() as f:
        assert [row["cpu_seconds"] for row in csv.DictReader(f)] == ["", ""]
    run = read_run(eval_file)
    assert run.cpu is None and run.wall.tolist() == [4.0, 8.0]
    assert last_seconds(tmp_path / "none.csv", "cpu_seconds") == 0.0


@pytest.mark.child_process
def test_a_recipe_for_another_arm_trains_its_id_with_that_arm():
    """agents/ID.VARIANT.yaml: the same id, its env arguments (here the Panda) in the config."""
    from robo2d.run.config import recipes

    assert "Robo2DKukaSuctionPickPlace-v0.panda" in recipes()
    config = load_config("Robo2DKukaSuctionPickPlace-v0.panda")
    assert config.env_id == "Robo2DKukaSuctionPickPlace-v0" and config.env_kwargs == {"robot": "panda"}
    _cli_fails(["train", "Robo2DKukaSuctionPickPlace-v0.ur5"], "no shipped recipe", "recipes")


def test_evaluations_in_a_second_process_give_the_same_curve_and_best_model(tmp_path, monkeypatch):
    """Evaluating beside training changes when the numbers arrive, not what they are: the same rows, the
    same best model; the agents saved for the evaluation process are gone after the run."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    small = ["--timesteps", "600", "--set", "eval_freq=200", "--set", "eval_episodes=4", "--no-progress"]
    small += ["--set", "sac.learning_starts=100", "--set", "checkpoint_freq=400"]
    runs = {"background": "true", "inline": "false"}
    for name, background in runs.items():
        args = [*small, "--set", f"background_evaluation={background}", "--run-dir", str(tmp_path / name)]
        main(["train", "Robo2DReacher-v0", *args])
    background, inline = (tmp_path / name for name in runs)
    assert _curve(background) == _curve(inline) and len(_curve(inline)) == 1 + 3
    assert _weights(background / "best") == _weights(inline / "best")
    best = read_config(background / "best" / "config.yaml").best_timesteps
    assert best == read_config(inline / "best" / "config.yaml").best_timesteps
    assert _weights(background) == _weights(inline)  # training itself is untouched
    assert not list(scratch.glob("robo2d-evaluation-*"))


def test_a_failed_background_evaluation_names_its_step(tmp_path):
    worker = BackgroundEvaluation(load_config("Robo2DOneJoint-v0", eval_episodes=1))
    try:
        worker.submit(300, tmp_path / "no-agent-here")
        with pytest.raises(RuntimeError, match="evaluation at 300 env steps failed: FileNotFoundError"):
            worker.finished(wait=True)
    finally:
        worker.close()
    assert not worker.process.is_alive() and not worker.scratch.exists()
