"""Runs killed at any moment resume to the run never killed; run-folder files are never half-written."""

import csv
import os
import signal
import subprocess
import sys
import time

import gymnasium as gym
import numpy as np
import pytest
from stable_baselines3 import SAC
from stable_baselines3.common.vec_env import DummyVecEnv

from robo2d.run.config import read_config
from robo2d.run.folder import atomic_file, atomic_folder, recover_folder
from robo2d.run.seeds import PERIODIC_EVALUATION, resume_seed
from robo2d.run.snapshot import read_random_state, restore_random_state, save_random_state
from tests.run.test_training import _cli_fails, _curve, _weights

STEPS = 2000
SCHEDULE = ["--set", "checkpoint_freq=250", "--set", "eval_freq=250", "--set", "eval_episodes=2"]
SCHEDULE += ["--set", "sac.learning_starts=200", "--no-progress"]  # checkpoints at episode starts (50 steps)
KILLS = 10


def test_atomic_file_keeps_the_old_content_when_writing_fails(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(path) as temporary:
        temporary.write_text("half")
        raise RuntimeError
    assert path.read_text() == "old" and list(tmp_path.iterdir()) == [path]
    with atomic_file(path) as temporary:
        temporary.write_text("new")
    assert path.read_text() == "new" and list(tmp_path.iterdir()) == [path]


def test_atomic_folder_swaps_whole_folders_and_recovers_between_renames(tmp_path):
    folder = tmp_path / "checkpoint"
    with atomic_folder(folder) as partial:
        (partial / "model.zip").write_text("1")
    with pytest.raises(RuntimeError), atomic_folder(folder) as partial:
        (partial / "model.zip").write_text("2, half")
        raise RuntimeError
    assert (folder / "model.zip").read_text() == "1" and sorted(p.name for p in tmp_path.iterdir()) == [
        "checkpoint"
    ]
    folder.rename(tmp_path / "checkpoint.previous")  # killed after the first rename of a swap
    (tmp_path / "checkpoint.partial").mkdir()
    recover_folder(folder)
    assert (folder / "model.zip").read_text() == "1" and sorted(p.name for p in tmp_path.iterdir()) == [
        "checkpoint"
    ]


def test_schedule_and_seed_mistakes_are_one_line(tmp_path):
    run = tmp_path / "run"
    _cli_fails(
        ["train", "Robo2DReacher-v0", "--run-dir", str(run), "--set", "eval_freq=0"], "eval_freq", ">= 1"
    )
    _cli_fails(
        ["train", "Robo2DReacher-v0", "--run-dir", str(run), "--set", "checkpoint_freq=-1"], "checkpoint_freq"
    )
    _cli_fails(
        ["train", "Robo2DReacher-v0", "--run-dir", str(run), "--seed", "1", "--set", "seed=2"], "disagree"
    )
    _cli_fails(["train", "Robo2DReacher-v0", "--run-dir", str(run), "--gui", "--n-envs", "2"], "one env")
    assert not run.exists()


@pytest.mark.child_process
def test_set_seed_is_the_run_seed(tmp_path):
    from robo2d.cli import main

    args = ["--timesteps", "100", "--set", "sac.learning_starts=50", "--set", "eval_freq=100"]
    main(
        [
            "train",
            "Robo2DReacher-v0",
            *args,
            "--set",
            "eval_episodes=1",
            "--set",
            "seed=7",
            "--no-progress",
            "--run-dir",
            str(tmp_path / "r"),
        ]
    )
    assert read_config(tmp_path / "r" / "config.yaml").seed == 7


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "robo2d", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _consistent(run) -> None:
    """Whatever moment the run was killed at, every file there is whole."""
    rows = (
        list(csv.DictReader((run / "evaluations.csv").open())) if (run / "evaluations.csv").exists() else []
    )
    steps = [int(r["timesteps"]) for r in rows]
    assert steps == sorted(set(steps)) and all(s % 250 == 0 for s in steps), steps
    checkpoint = run / "checkpoint"
    if checkpoint.exists():
        assert {"model.zip", "replay_buffer.pkl", "random_state.pkl"} <= {
            p.name for p in checkpoint.iterdir()
        }
    if (run / "best").exists():
        assert (run / "best" / "model.zip").is_file() and (run / "best" / "config.yaml").is_file()


@pytest.mark.child_process
@pytest.mark.slow
def test_sigkill_at_random_moments_then_resume_equals_the_uninterrupted_run(tmp_path):
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    base = ["train", "Robo2DReacher-v0", "--seed", "0", "--timesteps", str(STEPS), *SCHEDULE]
    assert _start([*base, "--run-dir", str(reference)]).wait(timeout=600) == 0
    rng = np.random.default_rng(0)
    resume = ["train", "--resume", str(killed), "--timesteps", str(STEPS), "--no-progress"]
    process = _start([*base, "--run-dir", str(killed)])
    deadline = time.time() + 300
    while not (killed / "checkpoint" / "model.zip").exists() and time.time() < deadline:
        time.sleep(0.05)  # the first kill after the first checkpoint: every later start is a resume
    for _ in range(KILLS):
        resumed = "--resume" in process.args  # a resume starts up (~3 s) before it trains or saves
        time.sleep(rng.uniform(3.5, 7.0) if resumed else rng.uniform(0.0, 4.0))
        if process.poll() is not None:
            break
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        _consistent(killed)
        process = _start(resume)
    process.kill()
    process.wait()
    if not (killed / "checkpoint" / "model.zip").exists():
        pytest.fail("no checkpoint survived the kills: make the kills later")
    done = _start(resume)
    assert done.wait(timeout=600) == 0, done.stderr.read().decode()[-2000:]
    _consistent(killed)
    assert _weights(killed) == _weights(reference), "the resumed run must end with the same weights"
    assert _curve(killed) == _curve(reference), "and the same evaluations, each once"
    assert _weights(killed / "best") == _weights(reference / "best"), "best/ is a kept evaluation's model"
    best = [read_config(run / "best" / "config.yaml").best_timesteps for run in (killed, reference)]
    assert best[0] == best[1]


def test_resumed_episodes_start_from_the_documented_seeds():
    """robo2d.run.seeds' table: a mid-episode resume's new episodes start at 5,000,000 + (s + 1) * 7,919
    + steps, worked by hand for two runs, and above every other stream."""
    assert resume_seed(0, 100) == 5_008_019
    assert resume_seed(2, 4_000) == 5_027_757
    assert resume_seed(999_999, 10**6) >= 5_000_000 > PERIODIC_EVALUATION + 999_999


def test_each_of_several_envs_replays_its_own_episode_after_a_restore(tmp_path):
    """Two training envs at an episode start, each in its own episode: saved, moved on to new episodes,
    restored, each takes up its own saved episode again (the same observations step for step), not the
    other's."""
    env = DummyVecEnv([lambda: gym.make("Robo2DOneJoint-v0")] * 2)
    env.seed(3)
    model = SAC("MlpPolicy", env, policy_kwargs={"net_arch": [8]}, device="cpu")
    env.reset()
    save_random_state(model, tmp_path)
    still = np.zeros((2, *env.action_space.shape), np.float32)
    saved = [env.step(still)[0] for _ in range(3)]
    assert not np.allclose(saved[0][0], saved[0][1]), "two envs in the same episode: nothing to tell apart"
    env.seed(11)
    env.reset()
    restore_random_state(model, read_random_state(tmp_path))
    again = [env.step(still)[0] for _ in range(3)]
    np.testing.assert_array_equal(np.array(again), np.array(saved))


LEARNER = """
from robo2d.run.config import load_config
from robo2d.run.eval_worker import BackgroundEvaluation
worker = BackgroundEvaluation(load_config("Robo2DOneJoint-v0", eval_episodes=1))
print(worker.process.pid, flush=True)
import time
time.sleep(120)
"""


def test_a_killed_runs_evaluation_process_ends_with_it():
    """SIGKILL gives the learner no chance to stop its evaluation process: that one notices and exits."""
    learner = subprocess.Popen([sys.executable, "-c", LEARNER], stdout=subprocess.PIPE, text=True)
    worker = int(learner.stdout.readline())
    time.sleep(1.0)
    os.kill(learner.pid, signal.SIGKILL)
    learner.wait()
    deadline = time.time() + 60
    while not _ended(worker) and time.time() < deadline:
        time.sleep(0.2)
    assert _ended(worker), f"the evaluation process {worker} outlived its killed learner"


def _ended(pid: int) -> bool:
    """Gone, or a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return any(line.split()[1:2] == ["Z"] for line in status if line.startswith("State:"))
    except FileNotFoundError:
        return True
