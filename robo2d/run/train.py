"""SAC (optionally with HER) training runs: run folders, periodic evaluation, checkpoints, resume."""

from __future__ import annotations

import csv
import math
import shutil
import time
from pathlib import Path

import torch
from stable_baselines3 import SAC
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.vec_env import DummyVecEnv, SubprocVecEnv, VecNormalize

import robo2d  # noqa: F401  (registers the ids)
from robo2d.core.sim import require_display
from robo2d.rl.backends import PARAMS_FILE, is_sbx, sac_class, save_params
from robo2d.rl.drq import ChannelFrameStack
from robo2d.rl.models import new_model
from robo2d.run.agent_files import ObservationNormalizer, read_normalizer
from robo2d.run.config import RunConfig, save_config
from robo2d.run.config_checks import check_arguments
from robo2d.run.demonstrations import add_dataset_demonstrations, add_demonstrations
from robo2d.run.environment import make_env
from robo2d.run.eval_log import (
    best_evaluation,
    last_seconds,
    plot_learning_curve,
    read_evaluations,
    write_evaluations,
)
from robo2d.run.evaluation import EVALUATION_ENVS, evaluate_policy
from robo2d.run.folder import BEST_DIR, CHECKPOINT_DIR, RunFolder, atomic_file, atomic_folder, recover_folder
from robo2d.run.loading import Agent
from robo2d.run.seeds import PERIODIC_EVALUATION, resume_seed
from robo2d.run.snapshot import read_random_state, restore_random_state, save_random_state


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
        self.eval_envs = [make_env(config) for _ in range(min(EVALUATION_ENVS, config.eval_episodes))]
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
            save_checkpoint(self.model, self.run_dir)

    def _on_step(self) -> bool:
        if self.num_timesteps >= self.next_eval:
            self.next_eval += self.config.eval_freq
            self.evaluate()
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
        self.evaluated_at = self.num_timesteps
        agent = Agent(self.model, self.model.get_vec_normalize_env())
        result = evaluate_policy(
            agent, self.eval_envs, self.config.eval_episodes, self.config.run_seed, PERIODIC_EVALUATION
        )
        elapsed = time.perf_counter() - self.started
        cpu = "" if self.cpu_started is None else f"{time.process_time() - self.cpu_started:.1f}"
        self.logger.record("eval/success_rate", result.success_rate)
        self.logger.record("eval/mean_return", result.mean_return)
        row = [self.num_timesteps, result.success_rate, f"{result.mean_return:.4f}", f"{elapsed:.1f}", cpu]
        write_evaluations(
            RunFolder(self.run_dir).evaluations, [*read_evaluations(RunFolder(self.run_dir).evaluations), row]
        )
        print(
            f"[eval] {self.num_timesteps} steps: success {result.success_rate:.2f}, "
            f"return {result.mean_return:.3f}",
            flush=True,
        )
        score = (result.success_rate, round(result.mean_return, 4))
        if self.best is None or score > self.best:
            self.best = score
            save_best(self.model, self.config, self.run_dir, self.num_timesteps)

    def _on_training_end(self) -> None:
        if self.num_timesteps > 0 and self.evaluated_at != self.num_timesteps:
            self.evaluate()  # after the last update: the weights are final, training is unchanged
        for env in self.eval_envs:
            env.close()


def save_best(model: SAC, config: RunConfig, run_dir: Path, timesteps: int) -> None:
    """Model, normaliser and config in best/, loadable like any run folder (`robo2d evaluate RUN/best`)."""
    with atomic_folder(run_dir / BEST_DIR) as folder:
        _save_model(model, folder)
        save_config(config.replace(best_timesteps=timesteps), RunFolder(folder).config)


def save_checkpoint(model: SAC, run_dir: Path, consistent: bool = True) -> None:
    """Model, replay buffer, random state and the best model so far, so --resume continues where the run
    stopped (bit for bit at an episode start, see robo2d.run.snapshot) with a best/ it had then."""
    with atomic_folder(run_dir / CHECKPOINT_DIR) as folder:
        _save_model(model, folder)
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


def _save_model(model: SAC, folder: Path) -> None:
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


def build_vec_env(config: RunConfig, gui: bool, normalizer_file: Path | None = None):
    """Vectorised training envs; observation normalisation (running mean/std) when the config asks."""
    if gui:
        env = DummyVecEnv([lambda: make_env(config, render_mode="human")])
    else:
        wrapper = ChannelFrameStack if config.frame_stack else None
        env = make_vec_env(
            f"robo2d:{config.env_id}",  # subprocess workers start with an empty registry
            n_envs=config.n_envs,
            seed=config.seed,
            env_kwargs=config.env_arguments,
            vec_env_cls=SubprocVecEnv if config.n_envs > 1 else DummyVecEnv,
            wrapper_class=wrapper,
            wrapper_kwargs={"n": config.frame_stack} if wrapper else None,
        )
    if not config.normalize_observation:
        return env
    normalized = VecNormalize(env, norm_obs=True, norm_reward=False)
    if normalizer_file is not None:  # resume: the run's own statistics (an older run's pickle converted)
        read_normalizer(normalizer_file, trust=True).apply_to(normalized)
    return normalized


def _demonstrate(model: SAC, config: RunConfig, run_dir: Path) -> None:
    """Add the config's demonstrations to the replay buffer; an oracle's count goes to demonstrations.csv."""
    demos = config.demonstrations
    if demos is None:
        return
    if demos.dataset is not None:
        _demonstrate_from(model, config, demos.dataset, demos.episodes)
        return
    episodes, noise = demos.episodes, demos.noise
    demo_env = make_env(config)
    steps, success = add_demonstrations(model, demo_env, config.env_id, episodes, noise, config.run_seed)
    demo_env.close()
    with atomic_file(RunFolder(run_dir).demonstrations) as temporary, temporary.open("w", newline="") as f:
        csv.writer(f).writerows(
            [["episodes", "env_steps", "noise", "success_rate"], [episodes, steps, noise, success]]
        )
    print(
        f"[demonstrations] {episodes} oracle episodes, {steps} env steps, success {success:.2f}", flush=True
    )


def _demonstrate_from(model: SAC, config: RunConfig, name: str, episodes: int) -> None:
    """Add a dataset's episodes to the replay buffer (demonstrations: {dataset: ...})."""
    from robo2d.run.datasets import load

    demo_env = make_env(config)
    try:
        steps, taken = add_dataset_demonstrations(model, demo_env, load(name), episodes)
    finally:
        demo_env.close()
    print(f"[demonstrations] {taken} episodes, {steps} env steps from the dataset {name}", flush=True)


def _resumed_model(checkpoint: Path, env, run_dir: Path, config: RunConfig) -> SAC:
    """The checkpoint's model and replay buffer, random streams and (at an episode start) envs."""
    state = read_random_state(checkpoint.parent)
    exact = state is not None and state["at_episode_start"]
    # force_reset=False keeps the saved last observation: the envs replay the reset that produced it
    sac = sac_class(config.model)
    model = sac.load(
        checkpoint, env=env, tensorboard_log=str(RunFolder(run_dir).tensorboard), force_reset=not exact
    )
    model.load_replay_buffer(RunFolder(checkpoint.parent).replay_buffer)
    if state is not None:
        restore_random_state(model, state)
    if not exact:  # new episodes, from seeds of their own (the run seed would replay the first ones)
        env.seed(resume_seed(config.run_seed, model.num_timesteps))
        why = "taken mid-episode" if state is not None else "saved without random state"
        note = "new episodes begin: close to, not exactly, the uninterrupted run"
        print(f"[resume] checkpoint {why}; {note}", flush=True)
    return model


def train(
    config: RunConfig, run_dir: Path, gui: bool = False, progress_bar: bool = True, resume: bool = False
) -> Path:
    """Train (or resume) one run; writes model.zip, config.yaml, evaluations.csv, learning_curve.png.

    Resuming loads the checkpoint's model and replay buffer; `config` is then the run's own config.yaml
    with at most its schedule changed (total_timesteps, evaluation and checkpoint frequency).
    """
    run_dir = Path(run_dir)
    check_arguments(config)
    if gui:
        require_display()  # before the run folder exists, so a refused GUI leaves nothing behind
    torch.set_num_threads(config.torch_threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    save_config(config, RunFolder(run_dir).config)
    for folder in (CHECKPOINT_DIR, BEST_DIR):  # a run killed between a folder's two renames
        recover_folder(run_dir / folder)
    checkpoint = RunFolder(run_dir).checkpoint.model
    if resume and not checkpoint.is_file():
        raise FileNotFoundError(f"cannot resume: {checkpoint} does not exist (no checkpoint was saved yet)")
    env = build_vec_env(config, gui, RunFolder(run_dir).checkpoint.normalizer if resume else None)
    if resume:
        model = _resumed_model(checkpoint, env, run_dir, config)
        back_to_checkpoint(run_dir, model.num_timesteps)
    else:
        (RunFolder(run_dir).evaluations).unlink(missing_ok=True)  # a fresh run (--force) starts a fresh curve
        shutil.rmtree(run_dir / BEST_DIR, ignore_errors=True)
        model = new_model(config.model, env, tensorboard_log=str(RunFolder(run_dir).tensorboard))
        _demonstrate(model, config, run_dir)
    remaining = config.total_timesteps - model.num_timesteps
    if resume and remaining <= 0:
        print(
            f"{run_dir} is already at {model.num_timesteps} env steps (total_timesteps "
            f"{config.total_timesteps}): nothing to train; give --timesteps above {model.num_timesteps}",
            flush=True,
        )
        if not RunFolder(run_dir).is_finished():  # stopped after its last checkpoint, before the save
            _save_model(model, run_dir)
        env.close()
        return run_dir
    callback = EvalAndCheckpoint(config, run_dir)
    if remaining > 0:
        model.learn(
            remaining,
            callback=callback,
            progress_bar=progress_bar,
            reset_num_timesteps=not resume,
            tb_log_name="sac",
        )
    _save_model(model, run_dir)
    if config.checkpoint_freq > 0 and remaining > 0:  # 0: none (a GPU run's buffer can be many GB)
        save_checkpoint(model, run_dir, consistent=not callback.stopped_early)
    env.close()
    if (RunFolder(run_dir).evaluations).exists():
        with atomic_file(RunFolder(run_dir).curve) as temporary:
            plot_learning_curve([RunFolder(run_dir).evaluations], temporary, title=config.env_id)
    return run_dir
