"""SAC (optionally with HER) training runs: run folders, periodic evaluation, checkpoints, resume."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import torch
from stable_baselines3 import SAC
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.vec_env import DummyVecEnv, SubprocVecEnv, VecNormalize

import robo2d  # noqa: F401  (registers the ids)
from robo2d.core.sim import require_display
from robo2d.rl.backends import sac_class
from robo2d.rl.drq import ChannelFrameStack
from robo2d.rl.models import new_model
from robo2d.run.agent_files import read_normalizer
from robo2d.run.config import RunConfig, save_config
from robo2d.run.config_checks import check_arguments, with_installed_backend
from robo2d.run.demonstrations import add_dataset_demonstrations, add_demonstrations
from robo2d.run.environment import make_env
from robo2d.run.eval_log import (
    plot_learning_curve,
)
from robo2d.run.folder import BEST_DIR, CHECKPOINT_DIR, RunFolder, atomic_file, recover_folder
from robo2d.run.periodic import EvalAndCheckpoint, back_to_checkpoint, save_checkpoint, save_model
from robo2d.run.seeds import resume_seed
from robo2d.run.snapshot import read_random_state, restore_random_state


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
    config = config if resume else with_installed_backend(config)
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
            save_model(model, run_dir)
        env.close()
        return run_dir
    callback = EvalAndCheckpoint(config, run_dir)
    try:
        if remaining > 0:
            model.learn(
                remaining,
                callback=callback,
                progress_bar=progress_bar,
                reset_num_timesteps=not resume,
                tb_log_name="sac",
            )
    finally:
        callback.stop()  # stopped by an error or Ctrl-C: the evaluation process goes too
    save_model(model, run_dir)
    if config.checkpoint_freq > 0 and remaining > 0:  # 0: none (a GPU run's buffer can be many GB)
        save_checkpoint(model, run_dir, consistent=not callback.stopped_early)
    env.close()
    if (RunFolder(run_dir).evaluations).exists():
        with atomic_file(RunFolder(run_dir).curve) as temporary:
            plot_learning_curve([RunFolder(run_dir).evaluations], temporary, title=config.env_id)
    return run_dir
