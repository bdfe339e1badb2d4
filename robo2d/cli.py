"""The robo2d command: list, train, evaluate, record, robustness, plot, bench, sweep, report, soak,
check-robot."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from robo2d.catalog import ENV_IDS, ENV_SUMMARIES

VIDEO_SUFFIXES = (".mp4", ".gif")
#: what each command needs beyond the base install, and the extra that brings it
TRAINING_MODULES = (
    "yaml",
    "torch",
    "stable_baselines3",
    "matplotlib",
    "imageio",
    "tensorboard",
    "tqdm",
    "rich",
)


class UsageError(SystemExit):
    """A user mistake: main() prints the one-line message and the process exits with status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message

    def __str__(self) -> str:
        return self.message


class OneLineParser(argparse.ArgumentParser):
    """argparse's checks, answered in one line (status 2) instead of the usage block."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (`{self.prog} --help` lists the options)\n")


TRUST_HELP = "read agent files that need unpickling (runs code they hold): only files you trust"


def _check_env_id(env_id: str) -> str:
    if env_id not in ENV_IDS:
        raise UsageError(f"unknown env id {env_id!r}; `robo2d list` shows the ids: {', '.join(ENV_IDS)}")
    return env_id


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def cmd_list(args) -> None:
    for env_id in ENV_IDS:
        print(f"{env_id:32s} {ENV_SUMMARIES[env_id]}")


def cmd_train(args) -> None:
    from robo2d.training.config import load_config
    from robo2d.training.train import train

    if args.resume:
        _resume(args)
        return
    if not args.env_id:
        raise UsageError("give an ENV_ID to train, or --resume RUN_DIR")
    config = load_config(_check_env_id(args.env_id))
    config = _overridden(config, args.set)
    config["seed"] = _seed(args.seed, config.get("seed"))
    if args.timesteps is not None:
        config["total_timesteps"] = args.timesteps
    if args.n_envs is not None:
        config["n_envs"] = args.n_envs
    if args.gui and config["n_envs"] > 1:
        raise UsageError(
            f"robo2d train: --gui watches one env, and the run asks for n_envs={config['n_envs']}; "
            "drop --gui or --n-envs (or set n_envs=1)"
        )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    run_dir = Path(args.run_dir or f"runs/{args.env_id}_seed{config['seed']}_{stamp}")
    if (run_dir / "model.zip").exists() and not args.force:
        raise UsageError(
            f"{run_dir} already holds a trained model; use --resume {run_dir} --timesteps N to train it "
            "further, --force to start it over, or another --run-dir"
        )
    _train(train, config, run_dir, gui=args.gui, progress_bar=not args.no_progress)
    print(f"run folder: {run_dir}")


def _seed(flag: int | None, from_set) -> int:
    """The run seed: --seed, or --set seed=N (the same if both), default 0."""
    if from_set is not None and (isinstance(from_set, bool) or not isinstance(from_set, int)):
        raise UsageError(f"robo2d train: seed must be a whole number, got {from_set!r}")
    if flag is not None and from_set is not None and flag != from_set:
        raise UsageError(f"robo2d train: --seed {flag} and --set seed={from_set} disagree; give one")
    return flag if flag is not None else (from_set if from_set is not None else 0)


def _train(train, config: dict, run_dir: Path, **kwargs) -> None:
    """train(); the checks it makes before a run folder exists (sac:/her: entries, a display for --gui)
    answer in one line."""
    from robo2d.core.sim import DisplayUnavailableError
    from robo2d.training.config import ConfigError

    try:
        train(config, run_dir, **kwargs)
    except (ConfigError, DisplayUnavailableError) as err:
        raise UsageError(f"robo2d train: {err}") from None


def _overridden(config: dict, overrides: list[str] | None) -> dict:
    from robo2d.training.config import apply_overrides

    try:
        return apply_overrides(config, overrides or [])
    except ValueError as err:
        raise UsageError(f"robo2d train: {err}") from None


def _resume(args) -> None:
    """Continue a run from its checkpoint; only its schedule (--timesteps, some --set entries) may change."""
    from robo2d.training.config import RESUMABLE_KEYS, read_config
    from robo2d.training.train import train

    run_dir = Path(args.resume)
    if not (run_dir / "config.yaml").is_file():
        raise UsageError(f"{run_dir} is not a run folder (no config.yaml); give one `robo2d train` wrote")
    given = {"ENV_ID": args.env_id, "--seed": args.seed, "--n-envs": args.n_envs, "--run-dir": args.run_dir}
    fixed = [flag for flag, value in given.items() if value is not None] + ["--force"] * args.force
    changed = [item for item in args.set or [] if item.partition("=")[0] not in RESUMABLE_KEYS]
    if fixed or changed:
        raise UsageError(
            f"--resume continues {run_dir} as it was set up, so {fixed + changed} cannot apply; "
            f"--timesteps and --set of {list(RESUMABLE_KEYS)} can"
        )
    config = _overridden(read_config(run_dir / "config.yaml"), args.set)
    if args.timesteps is not None:
        config["total_timesteps"] = args.timesteps
    _train(train, config, run_dir, gui=args.gui, progress_bar=not args.no_progress, resume=True)
    print(f"run folder: {run_dir}")


def _extra_env_kwargs(args) -> dict:
    """--env-kwargs (a YAML/JSON mapping) and --randomize, for evaluating an agent in other conditions."""
    import yaml

    try:
        kwargs = yaml.safe_load(args.env_kwargs) if args.env_kwargs else {}
    except yaml.YAMLError as err:
        problem = " ".join(str(err).split())
        raise UsageError(f"robo2d {args.command}: --env-kwargs is not YAML/JSON ({problem})") from None
    if not isinstance(kwargs, dict):
        raise UsageError(
            f"robo2d {args.command}: --env-kwargs must be a mapping, e.g. '{{randomize: true}}', "
            f"got {args.env_kwargs!r}"
        )
    return {**kwargs, "randomize": True} if args.randomize else kwargs


def _agent_env(args, render_mode: str | None = None):
    """The agent of `run_or_model`, its config, and its env with --env-kwargs / --randomize applied."""
    from robo2d.training.agents import load_agent_and_env

    try:
        return load_agent_and_env(args.run_or_model, _extra_env_kwargs(args), render_mode, args.trust)
    except (TypeError, ValueError) as err:
        raise UsageError(f"robo2d {args.command}: {err}") from None


def cmd_evaluate(args) -> None:
    from robo2d.training.evaluation import evaluate_policy
    from robo2d.training.seeds import check_seeds

    try:
        check_seeds(args.seed, args.episodes, "evaluation")
    except ValueError as err:
        raise UsageError(f"robo2d evaluate: {err}") from None

    model, config, env = _agent_env(args)
    result = evaluate_policy(model, env, args.episodes, args.seed)
    env.close()
    low, high = result.interval
    last = result.first_seed + result.episodes - 1
    conditions = config["env_kwargs"] or "as trained (no env kwargs)"
    print(
        f"{config['env_id']}: success rate {result.success_rate:.3f} "
        f"(95% Wilson interval {low:.3f}-{high:.3f}), mean return {result.mean_return:.3f} "
        f"over {result.episodes} deterministic episodes, reset seeds {result.first_seed}-{last}; "
        f"env kwargs: {conditions}"
    )


def cmd_robustness(args) -> None:
    from robo2d.training.robustness import CONDITIONS, evaluate_conditions, sweep_conditions, write_results

    env_id = _check_env_id(args.env_id)
    agents = dict(_label_and_path(item) for item in args.agent) if args.agent else {"shipped": env_id}
    conditions = dict(CONDITIONS)
    if args.sweep:
        name, _, values = args.sweep.partition("=")
        try:
            conditions.update(sweep_conditions(name, [float(v) for v in values.split(",")]))
        except ValueError:
            raise UsageError(
                f"robo2d robustness: --sweep {args.sweep!r} must look like NAME=v1,v2,..."
            ) from None
    try:
        rows = evaluate_conditions(agents, conditions, args.episodes, args.seed, args.trust)
    except (TypeError, ValueError) as err:
        raise UsageError(f"robo2d robustness: {err}") from None
    out = Path(args.out or f"robustness_{env_id}")
    write_results(rows, out, env_id)
    print(f"results: {out}/table.md, rows.csv" + (", sensitivity.png" if args.sweep else ""))


def _label_and_path(item: str) -> tuple[str, str]:
    label, sep, target = item.partition("=")
    if not sep or not label or not target:
        raise UsageError(f"robo2d robustness: --agent {item!r} must look like LABEL=RUN_DIR_OR_MODEL")
    return label, target


def cmd_record(args) -> None:
    if args.out and Path(args.out).suffix.lower() not in VIDEO_SUFFIXES:
        raise UsageError(f"robo2d record: --out {args.out} must end in one of {', '.join(VIDEO_SUFFIXES)}")
    import gymnasium as gym

    from robo2d.oracles import ScriptedPolicy
    from robo2d.training.evaluation import record_video

    if args.oracle:
        env_id = _check_env_id(args.run_or_model)
        env = gym.make(env_id, render_mode="rgb_array", **_extra_env_kwargs(args))
        policy = ScriptedPolicy(env)
    else:
        policy, config, env = _agent_env(args, render_mode="rgb_array")
        env_id = config["env_id"]
    folder = Path(args.run_or_model) if Path(args.run_or_model).is_dir() else Path(".")
    out = Path(args.out or folder / f"{env_id}.mp4")
    try:
        record_video(policy, env, out, args.episodes, args.seed, observations=args.observations)
    except ValueError as err:
        raise UsageError(f"robo2d record: {err}") from None
    finally:
        env.close()
    print(f"wrote {out}")


def cmd_plot(args) -> None:
    from robo2d.training.plots import plot_learning_curve

    files = [Path(p) / "evaluations.csv" if Path(p).is_dir() else Path(p) for p in args.runs]
    out = plot_learning_curve(files, Path(args.out), title=args.title, mean=not args.no_mean)
    print(f"wrote {out}")


def cmd_bench(args) -> None:
    from robo2d.bench import print_breakdown, print_randomization, run_bench
    from robo2d.catalog import PLANAR_IDS

    env_ids = [_check_env_id(env_id) for env_id in args.ids] or list(ENV_IDS)
    kwargs = {}
    if args.robot:
        kwargs["robot"] = args.robot
        env_ids = (
            [i for i in env_ids if i in PLANAR_IDS and i != "Robo2DOneJoint-v0"] if not args.ids else env_ids
        )
    if (args.breakdown or args.randomization) and args.reference:
        raise UsageError(
            "robo2d bench: --breakdown and --randomization time robo2d ids only; drop --reference"
        )
    if args.training:
        _bench_training(env_ids, args.updates, args.set or [])
    elif args.breakdown:
        for env_id in env_ids:
            print_breakdown(env_id, args.steps, args.repeats)
    elif args.randomization:
        print_randomization(env_ids, args.steps, args.repeats, kwargs)
    else:
        run_bench(env_ids, args.steps, args.repeats, args.reference, kwargs)


def _bench_training(env_ids: list[str], updates: int, overrides: list[str]) -> None:
    from robo2d.training.speed import bench_training, format_profile

    for env_id in env_ids:
        try:
            profile = bench_training(env_id, updates, overrides)
        except ValueError as err:
            raise UsageError(f"robo2d bench --training: {err}") from None
        print(format_profile(profile), end="\n\n", flush=True)


def cmd_soak(args) -> None:
    from robo2d.soak import make_and_close, many_alive, report, soak_env

    env_ids = [_check_env_id(env_id) for env_id in args.ids] or list(ENV_IDS)
    runs = []
    for env_id in env_ids:
        runs.append(soak_env(env_id, args.steps, args.seed))
        print(report(runs[-1:], None, None).splitlines()[-1], flush=True)
    cycled = make_and_close(env_ids, args.cycles) if args.cycles else None
    alive = many_alive(env_ids, args.live) if args.live else None
    text = report(runs, cycled, alive)
    print(text)
    if args.out:
        Path(args.out).write_text(text)
    if any(run.problems or run.clients[0] != run.clients[2] for run in runs):
        raise SystemExit(1)


def cmd_sweep(args) -> None:
    from robo2d.training.config import ConfigError, load_config
    from robo2d.training.sweep import (
        TRIALS_DIR,
        SweepUnavailableError,
        make_trials,
        parse_grid,
        parse_seeds,
        run_sweep,
        write_tables,
    )

    out = Path(args.out)
    if (out / TRIALS_DIR).is_dir() and any((out / TRIALS_DIR).iterdir()) and not args.resume:
        raise UsageError(
            f"robo2d sweep: {out} already holds a sweep; --resume continues it, or give another --out"
        )
    try:
        base = _overridden(load_config(_check_env_id(args.env_id)), args.set)
        if args.timesteps is not None:
            base["total_timesteps"] = args.timesteps
        trials = make_trials(base, parse_seeds(args.seeds), parse_grid(args.grid or []))
    except (ConfigError, ValueError) as err:
        raise UsageError(f"robo2d sweep: {err}") from None
    out.mkdir(parents=True, exist_ok=True)
    print(f"[sweep] {len(trials)} trial{'s' * (len(trials) != 1)} in {out / TRIALS_DIR}", flush=True)
    try:
        rows = run_sweep(trials, out, args.address, args.cpus_per_trial, args.gpus_per_trial)
    except SweepUnavailableError as err:
        raise UsageError(f"robo2d sweep: {err}") from None
    print(write_tables(trials, rows, out) + f"written: {out}/sweep.md, {out}/sweep.csv")
    failed = [row["trial"] for row in rows if row["status"] == "failed"]
    if failed:
        print(f"[sweep] {len(failed)} trial(s) failed: {', '.join(failed)}", file=sys.stderr)
        raise SystemExit(1)


def cmd_report(args) -> None:
    from robo2d.training.report import load_group, write_report

    labels = args.label or []
    if len(labels) > len(args.groups):
        raise UsageError(f"robo2d report: {len(labels)} labels for {len(args.groups)} groups")
    labels += [None] * (len(args.groups) - len(labels))
    try:
        groups = [load_group(target, label) for target, label in zip(args.groups, labels)]
    except (FileNotFoundError, ValueError) as err:
        raise UsageError(f"robo2d report: {err}") from None
    out = Path(args.out)
    if args.target is not None and not 0 < args.target <= 1:
        raise UsageError(f"robo2d report: --target is a success rate in (0, 1], got {args.target}")
    print(write_report(groups, out, args.target) + f"written: {out}/report.md, {out}/curves.png")


def cmd_check_robot(args) -> None:
    from robo2d.robot_report import check_robot

    sys.exit(check_robot(args.urdf, args.tip_link, args.render))


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="robo2d", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the env ids with a one-line description").set_defaults(func=cmd_list)

    train = sub.add_parser("train", help="train SAC with the shipped per-env config")
    train.add_argument("env_id", nargs="?")
    train.add_argument("--timesteps", type=_positive_int, help="total env steps (default: from the config)")
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

    for name, func, help_text in (
        ("evaluate", cmd_evaluate, "success rate and mean return of an agent"),
        ("record", cmd_record, "write an MP4 or GIF of an agent's episodes"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("run_or_model", help="run folder, model .zip, or an env id (the shipped agent)")
        p.add_argument("--episodes", type=int, default=100 if name == "evaluate" else 3)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument(
            "--env-kwargs",
            metavar="MAPPING",
            help="env arguments over the agent's, as YAML/JSON, e.g. '{randomize: {action_delay: 2}}'",
        )
        p.add_argument(
            "--randomize", action="store_true", help="under the env's default domain randomisation"
        )
        p.add_argument("--trust", action="store_true", help=TRUST_HELP)
        if name == "record":
            p.add_argument("--out", help="output .mp4 or .gif")
            p.add_argument(
                "--oracle", action="store_true", help="record the env's scripted oracle (give an env id)"
            )
            p.add_argument(
                "--observations", action="store_true", help="record image observations, not renders"
            )
        p.set_defaults(func=func)

    robust = sub.add_parser(
        "robustness", help="agents' success nominally, under randomisation and along one perturbation"
    )
    robust.add_argument("env_id")
    robust.add_argument(
        "--agent",
        action="append",
        metavar="LABEL=PATH",
        help="an agent to evaluate (run folder or model .zip; repeatable; default: the shipped agent)",
    )
    robust.add_argument("--episodes", type=_positive_int, default=100)
    robust.add_argument("--seed", type=int, default=5000, help="first evaluation seed (after the offset)")
    robust.add_argument("--sweep", metavar="NAME=V1,V2,...", help="also each value of one parameter alone")
    robust.add_argument("--out", help="results folder (default robustness_ENV_ID)")
    robust.add_argument("--trust", action="store_true", help=TRUST_HELP)
    robust.set_defaults(func=cmd_robustness)

    plot = sub.add_parser("plot", help="learning curves (success rate vs env steps) of one or more runs")
    plot.add_argument("runs", nargs="+", help="run folders or evaluations.csv files")
    plot.add_argument("--out", default="learning_curve.png")
    plot.add_argument("--title", default="")
    plot.add_argument("--no-mean", action="store_true", help="no mean line (runs of different recipes)")
    plot.set_defaults(func=cmd_plot)

    bench = sub.add_parser("bench", help="env steps/s and step time over physics time, per id")
    bench.add_argument("ids", nargs="*")
    bench.add_argument("--steps", type=_positive_int, default=5000, help="env steps per timed run")
    bench.add_argument("--repeats", type=_positive_int, default=5, help="timed runs per id (medians)")
    bench.add_argument(
        "--reference",
        action="store_true",
        help="also time pybullet-envs-gymnasium / panda-gym counterparts if installed",
    )
    bench.add_argument(
        "--breakdown",
        action="store_true",
        help="where each step's time goes: us per step in each PyBullet function, and Python",
    )
    bench.add_argument(
        "--randomization",
        action="store_true",
        help="us per step() and per reset(), without and with the default domain randomisation",
    )
    bench.add_argument("--robot", help="time the planar ids with this arm (a shipped name or a URDF path)")
    bench.add_argument(
        "--training",
        action="store_true",
        help="ms per env step of training the shipped config, part by part, against the CPU's floor",
    )
    bench.add_argument("--updates", type=_positive_int, default=500, help="with --training: env steps timed")
    bench.add_argument("--set", action="append", metavar="KEY=VALUE", help="with --training: config entries")
    bench.set_defaults(func=cmd_bench)

    sweep = sub.add_parser(
        "sweep", help="seeds x grid values of a recipe on Ray Tune, each trial a run folder"
    )
    sweep.add_argument("env_id")
    sweep.add_argument("--seeds", default="0", help="run seeds, e.g. 0-4 or 0,2,5")
    sweep.add_argument(
        "--grid", action="append", metavar="KEY=V1,V2", help="values of a config entry (repeatable)"
    )
    sweep.add_argument("--set", action="append", metavar="KEY=VALUE", help="config entries for every trial")
    sweep.add_argument("--timesteps", type=_positive_int, help="total env steps per trial")
    sweep.add_argument("--out", required=True, help="sweep folder (shared by all workers on a cluster)")
    sweep.add_argument(
        "--address", help="a running Ray cluster, HOST:PORT (default: RAY_ADDRESS, else local)"
    )
    sweep.add_argument("--cpus-per-trial", type=float, default=1.0, help="also each trial's torch threads")
    sweep.add_argument("--gpus-per-trial", type=float, default=0.0, help="a fraction shares a GPU")
    sweep.add_argument("--resume", action="store_true", help="continue a stopped sweep in --out")
    sweep.set_defaults(func=cmd_sweep)

    report = sub.add_parser(
        "report", help="groups of runs: IQM success and return with bootstrap intervals, P(X > Y), curves"
    )
    report.add_argument(
        "groups", nargs="+", help="run folders, folders of runs (a sweep), or evaluations CSVs"
    )
    report.add_argument("--label", action="append", help="a name per group, in order (default: folder names)")
    report.add_argument("--out", default="report", help="folder for report.md and curves.png")
    report.add_argument(
        "--target", type=float, help="also the env steps and seconds to this success rate (e.g. 0.95)"
    )
    report.set_defaults(func=cmd_report)

    soak = sub.add_parser("soak", help="long random runs: finite, in bounds, memory and PyBullet clients")
    soak.add_argument("ids", nargs="*", help="env ids (default: all)")
    soak.add_argument("--steps", type=_positive_int, default=1_000_000, help="random steps per id")
    soak.add_argument("--seed", type=int, default=0)
    soak.add_argument("--cycles", type=int, default=1000, help="envs made and closed in turn (0: skip)")
    soak.add_argument("--live", type=int, default=64, help="envs alive at once (0: skip)")
    soak.add_argument("--out", help="also write the Markdown table here")
    soak.set_defaults(func=cmd_soak)

    check = sub.add_parser(
        "check-robot", help="what robo2d sees in a planar robot's URDF, and what is wrong with it"
    )
    check.add_argument("urdf", help="URDF path, or the name of a robot shipped in urdf/")
    check.add_argument("--tip-link", default="tip", help="the end-effector link (default: tip)")
    check.add_argument("--render", metavar="OUT.png", help="draw it from above with the workspaces marked")
    check.set_defaults(func=cmd_check_robot)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        try:
            args.func(args)
        except FileNotFoundError as err:  # a mistyped run folder or file: the message says which
            raise UsageError(f"robo2d {args.command}: {err}") from None
        except ModuleNotFoundError as err:
            if (err.name or "").split(".")[0] not in TRAINING_MODULES:
                raise
            raise UsageError(
                f"robo2d {args.command} needs the training extra ({err.name} is not installed): "
                "pip install 'robo2d[train]'"
            ) from None
    except UsageError as err:
        print(err.message, file=sys.stderr)
        raise


if __name__ == "__main__":
    main(sys.argv[1:])
