"""robo2d train: a run of the shipped config (with --set overrides), or --resume of a stopped one."""

from __future__ import annotations

import time
from pathlib import Path

from robo2d.cli.common import UsageError, check_recipe, overridden, positive_int
from robo2d.run.folder import RunFolder


def register(sub) -> None:
    """Add train to the robo2d parser's subcommands."""
    train = sub.add_parser("train", help="train SAC with the shipped per-env config")
    train.add_argument("env_id", nargs="?", help="an env id, or a shipped recipe ID.VARIANT (another arm)")
    train.add_argument("--timesteps", type=positive_int, help="total env steps (default: from the config)")
    train.add_argument("--seed", type=int, help="random seed of the run (default 0)")
    train.add_argument("--n-envs", type=int, help="parallel envs (SubprocVecEnv when > 1)")
    train.add_argument("--run-dir", help="run folder (default runs/ENV_seedN_TIME)")
    train.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a config entry, e.g. --set sac.learning_rate=3e-4 (repeatable)",
    )
    train.add_argument("--gui", action="store_true", help="watch training in the PyBullet GUI (one env)")
    train.add_argument(
        "--resume",
        metavar="RUN_DIR",
        help="continue a run from its checkpoint (with --timesteps N: up to N steps in all)",
    )
    train.add_argument("--force", action="store_true", help="overwrite a finished run folder")
    train.add_argument("--no-progress", action="store_true", help="no progress bar")
    train.set_defaults(func=cmd_train)


def cmd_train(args) -> None:
    from robo2d.run.config import load_config
    from robo2d.run.train import train

    if args.resume:
        _resume(args)
        return
    if not args.env_id:
        raise UsageError("give an ENV_ID to train, or --resume RUN_DIR")
    config = load_config(check_recipe(args.env_id))
    config = overridden(config, args.set)
    try:
        config = config.replace(
            seed=_seed(args.seed, config.seed),
            total_timesteps=args.timesteps or config.total_timesteps,
            n_envs=args.n_envs if args.n_envs is not None else config.n_envs,
        )
    except ValueError as err:
        raise UsageError(f"robo2d train: {err}") from None
    if args.gui and config.n_envs > 1:
        raise UsageError(
            f"robo2d train: --gui watches one env, and the run asks for n_envs={config.n_envs}; "
            "drop --gui or --n-envs (or set n_envs=1)"
        )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    run_dir = Path(args.run_dir or f"runs/{args.env_id}_seed{config.seed}_{stamp}")
    if RunFolder(run_dir).model.exists() and not args.force:
        raise UsageError(
            f"{run_dir} already holds a trained model; use --resume {run_dir} --timesteps N to train it "
            "further, --force to start it over, or another --run-dir"
        )
    _train(train, config, run_dir, gui=args.gui, progress_bar=not args.no_progress)
    print(f"run folder: {run_dir}")


def _seed(flag: int | None, from_set: int | None) -> int:
    """The run seed: --seed, or --set seed=N (the same if both), default 0."""
    if flag is not None and from_set is not None and flag != from_set:
        raise UsageError(f"robo2d train: --seed {flag} and --set seed={from_set} disagree; give one")
    return flag if flag is not None else (from_set if from_set is not None else 0)


def _train(train, config, run_dir: Path, **kwargs) -> None:
    """train(); the checks it makes before a run folder exists (sac:/her: entries, a display for --gui)
    answer in one line."""
    from robo2d.core.sim import DisplayUnavailableError
    from robo2d.run.config import ConfigError

    try:
        train(config, run_dir, **kwargs)
    except (ConfigError, DisplayUnavailableError) as err:
        raise UsageError(f"robo2d train: {err}") from None


def _resume(args) -> None:
    """Continue a run from its checkpoint; only its schedule (--timesteps, some --set entries) may change."""
    from robo2d.run.config import RESUMABLE_KEYS, read_config
    from robo2d.run.train import train

    run_dir = Path(args.resume)
    if not RunFolder(run_dir).config.is_file():
        raise UsageError(f"{run_dir} is not a run folder (no config.yaml); give one `robo2d train` wrote")
    given = {"ENV_ID": args.env_id, "--seed": args.seed, "--n-envs": args.n_envs, "--run-dir": args.run_dir}
    fixed = [flag for flag, value in given.items() if value is not None] + ["--force"] * args.force
    changed = [item for item in args.set or [] if item.partition("=")[0] not in RESUMABLE_KEYS]
    if fixed or changed:
        raise UsageError(
            f"--resume continues {run_dir} as it was set up, so {fixed + changed} cannot apply; "
            f"--timesteps and --set of {list(RESUMABLE_KEYS)} can"
        )
    config = overridden(read_config(RunFolder(run_dir).config), args.set)
    if args.timesteps is not None:
        config = config.replace(total_timesteps=args.timesteps)
    _train(train, config, run_dir, gui=args.gui, progress_bar=not args.no_progress, resume=True)
    print(f"run folder: {run_dir}")
