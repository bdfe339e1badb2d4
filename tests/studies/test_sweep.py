"""`robo2d sweep` on Ray: local and on a cluster started here (127.0.0.1), resume, failing trials."""

import contextlib
import csv
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from robo2d.run.config import load_config, read_config
from robo2d.run.train import train
from robo2d.studies.sweep import INSTALL_HINT, LOCAL_ONLY_VARIABLE, make_trials, parse_grid, parse_seeds

needs_ray = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None, reason="the sweep extra is not installed"
)

ENV_ID = "Robo2DReacher-v0"
#: the sweep is the subject, not the backend: SB3 spares each trial JAX's start (the recipe names SBX)
SMALL = [
    "--timesteps",
    "300",
    "--set",
    "eval_freq=150",
    "--set",
    "eval_episodes=3",
    "--set",
    "checkpoint_freq=150",
    "--set",
    "backend=sb3",
]
RAY = Path(sys.executable).with_name("ray")
# Ray runs its workers at niceness 15: beside other tests at 0 the trials would hardly run
TEST_RAY = {**os.environ, "RAY_worker_niceness": "0"}
TEST_RAY.pop(LOCAL_ONLY_VARIABLE, None)  # a local sweep keeps to 127.0.0.1 by itself
# the test cluster listens on 127.0.0.1 only, so it goes without token authentication
LOOPBACK = {**TEST_RAY, LOCAL_ONLY_VARIABLE: "0", "RAY_AUTH_MODE": "disabled"}


def _sweep(out: Path, *args: str, env: dict = LOOPBACK) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "robo2d", "sweep", ENV_ID, "--out", str(out), *SMALL, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=400, env=env)


def _rows(out: Path) -> dict[str, dict]:
    with (out / "sweep.csv").open() as f:
        return {row["trial"]: row for row in csv.DictReader(f)}


def test_seeds_and_grids_parse_into_checked_trials():
    assert parse_seeds("0-2,7") == [0, 1, 2, 7]
    with pytest.raises(ValueError, match="each seed once"):
        parse_seeds("0-2,1")
    with pytest.raises(ValueError, match="KEY=v1,v2"):
        parse_grid(["sac.learning_rate"])
    grid = parse_grid(["sac.learning_rate=3e-4,1e-3", "sac.batch_size=64"])
    trials = make_trials(load_config(ENV_ID), [0, 1], grid)
    assert [t.name for t in trials][:2] == [
        "seed0_sac.learning_rate=3e-4_sac.batch_size=64",
        "seed1_sac.learning_rate=3e-4_sac.batch_size=64",
    ]
    assert trials[3].config.sac["learning_rate"] == 1e-3 and trials[3].config.seed == 1
    with pytest.raises(ValueError, match="sac.learning_rat is not an argument"):
        make_trials(load_config(ENV_ID), [0], parse_grid(["sac.learning_rat=1"]))


def _check_trials(out: Path, result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr[-2000:]
    rows = _rows(out)
    assert len(rows) == 4 and {row["status"] for row in rows.values()} == {"trained"}
    for name, row in rows.items():
        folder = out / "trials" / name
        config = read_config(folder / "config.yaml")
        assert config.seed == int(row["seed"]) and str(config.sac["learning_rate"]) in (
            "0.001",
            "0.0003",
        )
        assert (folder / "model.zip").is_file() and (folder / "best" / "model.zip").is_file()
        assert [line.split(",")[0] for line in (folder / "evaluations.csv").read_text().split()[1:]] == [
            "150",
            "300",
        ]
    assert "sac.learning_rate=1e-3 | 2 | 300 |" in (out / "sweep.md").read_text()


@needs_ray
def test_a_sweep_shorter_than_its_evaluation_period(tmp_path):
    """Every trial ends with an evaluation at its last step, so a sweep of runs shorter than eval_freq
    reports them trained (before: each failed for want of evaluations.csv)."""
    command = [sys.executable, "-m", "robo2d", "sweep", "Robo2DOneJoint-v0", "--seeds", "0-1"]
    command += ["--timesteps", "150", "--set", "eval_episodes=2", "--out", str(tmp_path / "sweep")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=400, env=TEST_RAY)
    assert result.returncode == 0, result.stderr[-2000:]
    assert {row["status"] for row in _rows(tmp_path / "sweep").values()} == {"trained"}


@needs_ray
def test_a_local_sweep_of_two_seeds_by_two_values(tmp_path):
    result = _sweep(
        tmp_path / "sweep", "--seeds", "0-1", "--grid", "sac.learning_rate=1e-3,3e-4", env=TEST_RAY
    )
    _check_trials(tmp_path / "sweep", result)
    assert "on Ray at 127.0.0.1:" in result.stdout  # its own Ray, listening on the loopback address only
    again = _sweep(tmp_path / "sweep", "--seeds", "0-1", "--grid", "sac.learning_rate=1e-3,3e-4")
    assert again.returncode == 2 and "--resume" in again.stderr  # never over a sweep by accident


@needs_ray
def test_a_local_ray_keeps_to_loopback_even_when_ray_was_imported_first(monkeypatch):
    """Ray reads its single-machine switch when first imported; a sweep started from Python code that
    imported Ray already must still keep its own Ray to 127.0.0.1."""
    from ray._private import ray_constants, services

    from robo2d.studies.sweep import _keep_to_loopback

    monkeypatch.setattr(ray_constants, "ENABLE_RAY_CLUSTER", True)
    monkeypatch.setenv(LOCAL_ONLY_VARIABLE, "1")  # undone after the test, whatever it sets
    _keep_to_loopback()
    assert os.environ[LOCAL_ONLY_VARIABLE] == "0" and services.get_node_ip_address() == "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cluster_ready(port: int, head: subprocess.Popen, env: dict = LOOPBACK) -> None:
    """Wait until the head started here reports its CPUs (or fail with why)."""
    status = [str(RAY), "status", f"--address=127.0.0.1:{port}"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert head.poll() is None, "ray start --head exited"
        out = subprocess.run(status, capture_output=True, text=True, timeout=60, env=env)
        if out.returncode == 0 and "CPU" in out.stdout:
            return
        time.sleep(1)
    pytest.fail(f"the Ray head on port {port} did not come up in 120 s")


@needs_ray
@pytest.mark.parametrize("auth", ["token", "disabled"])
def test_a_sweep_on_a_ray_cluster_started_here(tmp_path, auth):
    """The head runs in its own process group and only that group is stopped afterwards: `ray stop`
    would also stop every other Ray on the machine (a user's own sweep among them). "token": the
    cluster as `ray start --head` makes it by default (token authentication, the token in
    the token file; the test's own file through RAY_AUTH_TOKEN_PATH), with nothing else set."""
    port, temp = _free_port(), tempfile.mkdtemp(prefix="ray", dir="/tmp")  # Ray's socket paths are short
    start = [str(RAY), "start", "--head", f"--port={port}", "--num-cpus=2", "--include-dashboard=false"]
    start += ["--disable-usage-stats", f"--temp-dir={temp}", "--block", "--node-ip-address=127.0.0.1"]
    env = LOOPBACK
    if auth == "token":
        env = {k: v for k, v in LOOPBACK.items() if k not in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN")}
        env["RAY_AUTH_TOKEN_PATH"] = str(tmp_path / "auth_token")
        (tmp_path / "auth_token").write_text(secrets.token_hex(32))
    head = subprocess.Popen(
        start, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True
    )
    try:
        _cluster_ready(port, head, {**env, "RAY_AUTH_MODE": "token"} if auth == "token" else env)
        if auth == "token":  # the cluster refuses a client without the token
            refused = {k: v for k, v in env.items() if k != "RAY_AUTH_TOKEN_PATH"}
            refused["RAY_AUTH_MODE"], refused["RAY_AUTH_TOKEN"] = "token", "0" * 64
            status = [str(RAY), "status", f"--address=127.0.0.1:{port}"]
            with contextlib.suppress(subprocess.TimeoutExpired):  # refused, or left waiting: not served
                served = subprocess.run(status, capture_output=True, text=True, timeout=30, env=refused)
                assert served.returncode != 0 or "CPU" not in served.stdout, "the cluster took a wrong token"
        args = ["--seeds", "0-1", "--grid", "sac.learning_rate=1e-3,3e-4", "--address", f"127.0.0.1:{port}"]
        result = _sweep(tmp_path / "sweep", *args, env=env)
        _check_trials(tmp_path / "sweep", result)
        assert f"on Ray at 127.0.0.1:{port} with 2 CPUs" in result.stdout  # that cluster, not a local one
    finally:
        _stop_group(head)
        shutil.rmtree(temp, ignore_errors=True)


def _stop_group(head: subprocess.Popen) -> None:
    """SIGTERM to the head's process group (ray start --block then stops what it started), SIGKILL to
    whatever of that group is left after 30 s."""
    group = os.getpgid(head.pid)
    os.killpg(group, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        head.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)


@needs_ray
def test_resume_keeps_finished_trials_resumes_checkpoints_and_reports_failures(tmp_path):
    """A sweep stopped halfway: seed 0 finished, seed 1 stopped at its checkpoint (150 of 300 steps),
    seed 2 never started; a learning rate of 'oops' fails in every trial that has it."""
    out = tmp_path / "sweep"
    args = ["--seeds", "0-2", "--grid", "sac.learning_rate=1e-3,oops"]
    base = load_config(ENV_ID, eval_freq=150, eval_episodes=3, checkpoint_freq=150, total_timesteps=300)
    base = base.replace(backend="sb3")
    trials = {t.name: t for t in make_trials(base, [0, 1, 2], parse_grid(args[3:4]))}
    finished, stopped = (
        out / "trials" / "seed0_sac.learning_rate=1e-3",
        out / "trials" / "seed1_sac.learning_rate=1e-3",
    )
    train(trials[finished.name].config, finished, progress_bar=False)
    train(trials[stopped.name].config.replace(total_timesteps=150), stopped, progress_bar=False)
    (stopped / "model.zip").unlink()  # as if killed between its checkpoint at 150 and the end
    shutil.rmtree(stopped / "best")
    kept = (finished / "model.zip").stat().st_mtime_ns

    result = _sweep(out, *args, "--resume")
    assert result.returncode == 1 and "3 trial(s) failed" in result.stderr
    rows = _rows(out)
    assert rows[finished.name]["status"] == "kept" and (finished / "model.zip").stat().st_mtime_ns == kept
    assert rows[stopped.name]["status"] == "resumed" and rows[stopped.name]["timesteps"] == "300"
    assert (
        "[resume]" in (stopped / "train.log").read_text()
        or "checkpointed" in (stopped / "train.log").read_text()
    )
    steps = [line.split(",")[0] for line in (stopped / "evaluations.csv").read_text().split()[1:]]
    assert steps == ["150", "300"]  # each evaluation once
    assert rows["seed2_sac.learning_rate=1e-3"]["status"] == "trained"
    failed = [row for name, row in rows.items() if "oops" in name]
    assert len(failed) == 3 and all(row["status"] == "failed" and row["error"] for row in failed)
    assert "failed:" in (out / "sweep.md").read_text()


def test_without_ray_the_sweep_says_how_to_install_it(tmp_path):
    hidden = "import sys; sys.modules['ray'] = None; from robo2d.cli import main; main(sys.argv[1:])"
    command = [
        sys.executable,
        "-c",
        hidden,
        "sweep",
        ENV_ID,
        "--out",
        str(tmp_path / "s"),
        "--timesteps",
        "10",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and INSTALL_HINT in result.stderr and "Traceback" not in result.stderr
