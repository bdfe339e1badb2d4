"""What a training run does between its env steps: periodic evaluation (here or in a second process),
the best model so far, checkpoints; and how a model is saved into a run folder."""

from __future__ import annotations

import math
import shutil
import time
from pathlib import Path

from stable_baselines3 import SAC
from stable_baselines3.common.callbacks import BaseCallback

from robo2d.rl.backends import is_sbx, save_params
from robo2d.run.agent_files import ObservationNormalizer
from robo2d.run.config import RunConfig, save_config
from robo2d.run.environment import make_env
from robo2d.run.eval_log import best_evaluation, last_seconds, read_evaluations, write_evaluations
from robo2d.run.eval_worker import BackgroundEvaluation, Evaluated, background_available
from robo2d.run.evaluation import EVALUATION_ENVS, EvalResult, evaluate_policy
from robo2d.run.folder import BEST_DIR, CHECKPOINT_DIR, PARAMS_FILE, RunFolder, atomic_file, atomic_folder
from robo2d.run.loading import Agent
from robo2d.run.seeds import PERIODIC_EVALUATION
from robo2d.run.snapshot import save_random_state


class EvalAndCheckpoint(BaseCallback):
    """Every eval_freq env steps and at the run's last step: evaluate, append to evaluations.csv and keep
    the best model in best/; every checkpoint_freq: save all. (The last step's evaluation makes every
    curve end where its run ends, however short the run.)

    SAC's success rate swings between evaluations (the IK pusher went 76%, 58%, 66%, 80% in four), so
    the last model is not always the best one; best/ keeps the highest success rate (then return).
    """

    def __init__(self, config: RunConfig, run_dir: Path) -> None:
        super().__init__()
        self.config, self.run_dir = config, run_dir
        background = config.background_evaluation and background_available()
        self.background = BackgroundEvaluation(config) if background else None
        count = 0 if background else min(EVALUATION_ENVS, config.eval_episodes)
        self.eval_envs = [make_env(config) for _ in range(count)]
        self.worker_cpu = 0.0  # CPU seconds of the background evaluations so far
        self.next_eval = self.next_checkpoint = 0
        # wall_seconds and cpu_seconds continue across resumes: the clocks start at the last row's values
        self.started = time.perf_counter() - (
            last_seconds(RunFolder(run_dir).evaluations, "wall_seconds") or 0.0
        )
        cpu_before = last_seconds(
            RunFolder(run_dir).evaluations, "cpu_seconds"
        )  # None: a run from before the column
        self.cpu_started = None if cpu_before is None else time.process_time() - cpu_before
        limit = config.max_wall_minutes
        self.deadline = self.started + 60 * limit if limit else math.inf
        self.best = best_evaluation(RunFolder(run_dir).evaluations)
        self.stopped_early = False
        self.evaluated_at: int | None = None  # env steps of this session's latest evaluation

    def _on_training_start(self) -> None:
        now, every = self.num_timesteps, self.config.checkpoint_freq
        self.next_eval = now + self.config.eval_freq - now % self.config.eval_freq
        self.next_checkpoint = now + every - now % every if every > 0 else math.inf

    def _on_rollout_start(self) -> None:
        """Checkpoints between env steps: every transition stored and trained on, nothing half done."""
        if self.num_timesteps >= self.next_checkpoint:
            self.next_checkpoint += self.config.checkpoint_freq
            self.collect(wait=True)  # the checkpoint's best/ and curve then hold every evaluation before it
            save_checkpoint(self.model, self.run_dir)

    def _on_step(self) -> bool:
        if self.num_timesteps >= self.next_eval:
            self.next_eval += self.config.eval_freq
            self.evaluate()
        self.collect()
        self.stopped_early = self.out_of_time()  # SB3 then drops this step's transition
        return not self.stopped_early

    def out_of_time(self) -> bool:
        """True once the config's max_wall_minutes have passed: training stops and saves what it has."""
        if time.perf_counter() < self.deadline:
            return False
        limit = self.config.max_wall_minutes
        print(f"[time limit] stopping at {self.num_timesteps} steps after {limit} minutes", flush=True)
        return True

    def evaluate(self) -> None:
        """Evaluate the model as it is now: here, or handed to the background process."""
        self.evaluated_at = self.num_timesteps
        if self.background is not None:
            folder = self.background.folder(self.num_timesteps)
            save_best(self.model, self.config, folder, self.num_timesteps)
            self.background.submit(self.num_timesteps, folder)
            return
        agent = Agent(self.model, self.model.get_vec_normalize_env())
        result = evaluate_policy(
            agent, self.eval_envs, self.config.eval_episodes, self.config.run_seed, PERIODIC_EVALUATION
        )
        self.record(self.num_timesteps, result, saved=None)

    def collect(self, wait: bool = False) -> None:
        """Record the background evaluations that have finished (with `wait`, all handed over)."""
        if self.background is None:
            return
        for done in self.background.finished(wait):
            self.worker_cpu += done.cpu_seconds
            self.record(done.timesteps, done.result, saved=done)

    def record(self, timesteps: int, result: EvalResult, saved: Evaluated | None) -> None:
        """One evaluation into the curve (timed as it is known) and, if the best so far, into best/."""
        elapsed = time.perf_counter() - self.started
        cpu_total = time.process_time() + self.worker_cpu
        cpu = "" if self.cpu_started is None else f"{cpu_total - self.cpu_started:.1f}"
        self.logger.record("eval/success_rate", result.success_rate)
        self.logger.record("eval/mean_return", result.mean_return)
        row = [timesteps, result.success_rate, f"{result.mean_return:.4f}", f"{elapsed:.1f}", cpu]
        write_evaluations(
            RunFolder(self.run_dir).evaluations, [*read_evaluations(RunFolder(self.run_dir).evaluations), row]
        )
        print(
            f"[eval] {timesteps} steps: success {result.success_rate:.2f}, return {result.mean_return:.3f}",
            flush=True,
        )
        score = (result.success_rate, round(result.mean_return, 4))
        if self.best is None or score > self.best:
            self.best = score
            if saved is None:
                save_best(self.model, self.config, self.run_dir / BEST_DIR, timesteps)
            else:
                with atomic_folder(self.run_dir / BEST_DIR) as folder:
                    shutil.copytree(saved.folder, folder, dirs_exist_ok=True)
        if saved is not None:
            shutil.rmtree(saved.folder, ignore_errors=True)

    def _on_training_end(self) -> None:
        if self.num_timesteps > 0 and self.evaluated_at != self.num_timesteps:
            self.evaluate()  # after the last update: the weights are final, training is unchanged
        self.close()

    def close(self) -> None:
        """Wait for the background evaluations, then stop its process and close the envs."""
        try:
            self.collect(wait=True)
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop the background process (evaluations not yet finished are dropped) and close the envs."""
        if self.background is not None:
            self.background.close()
            self.background = None
        for env in self.eval_envs:
            env.close()
        self.eval_envs = []


def save_best(model: SAC, config: RunConfig, folder: Path, timesteps: int) -> None:
    """Model, normaliser and config in `folder` (a run's best/), loadable like any run folder
    (`robo2d evaluate RUN/best`)."""
    with atomic_folder(folder) as temporary:
        save_model(model, temporary)
        save_config(config.replace(best_timesteps=timesteps), RunFolder(temporary).config)


def save_checkpoint(model: SAC, run_dir: Path, consistent: bool = True) -> None:
    """Model, replay buffer, random state and the best model so far, so --resume continues where the run
    stopped (bit for bit at an episode start, see robo2d.run.snapshot) with a best/ it had then."""
    with atomic_folder(run_dir / CHECKPOINT_DIR) as folder:
        save_model(model, folder)
        model.save_replay_buffer(RunFolder(folder).replay_buffer)
        save_random_state(model, folder, consistent)
        if (run_dir / BEST_DIR).is_dir():
            shutil.copytree(run_dir / BEST_DIR, folder / BEST_DIR)


def back_to_checkpoint(run_dir: Path, timesteps: int) -> None:
    """On resume: evaluations after the checkpoint came from training that is redone, so they go, and
    best/ returns to the checkpoint's copy (none if the run had no best model then)."""
    rows = read_evaluations(RunFolder(run_dir).evaluations)
    kept = [row for row in rows if int(row[0]) <= timesteps]
    if len(kept) < len(rows):
        write_evaluations(RunFolder(run_dir).evaluations, kept)
        print(f"[resume] {len(rows) - len(kept)} evaluation(s) after step {timesteps} dropped", flush=True)
    saved = run_dir / CHECKPOINT_DIR / BEST_DIR
    if saved.is_dir():
        with atomic_folder(run_dir / BEST_DIR) as folder:
            shutil.copytree(saved, folder, dirs_exist_ok=True)
    else:
        shutil.rmtree(run_dir / BEST_DIR, ignore_errors=True)


def save_model(model: SAC, folder: Path) -> None:
    """The model (an SBX model's networks also as plain arrays) and its observation normaliser."""
    with atomic_file(RunFolder(folder).model) as temporary:
        model.save(temporary)
    if is_sbx(model):  # its zip pickles the networks: their arrays too, for loads that unpickle nothing
        with atomic_file(folder / PARAMS_FILE) as temporary:
            save_params(model, temporary)
    _save_normalizer(model, folder)


def _save_normalizer(model: SAC, folder: Path) -> None:
    normalizer = model.get_vec_normalize_env()
    if normalizer is not None:
        with atomic_file(RunFolder(folder).normalizer) as temporary:
            ObservationNormalizer.of(normalizer).save(temporary)
