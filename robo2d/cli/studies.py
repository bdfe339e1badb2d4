"""Commands over many runs or conditions: plot (learning curves), sweep (seeds x grid on Ray Tune), report
(IQM, bootstrap intervals, probability of improvement) and robustness (agents under conditions side by
side)."""

from __future__ import annotations

import sys
from pathlib import Path

from robo2d.cli.common import TRUST_HELP, UsageError, check_env_id, check_recipe, overridden, positive_int
from robo2d.run.folder import CURVE_FILE, RunFolder


def register(sub) -> None:
    """Add plot, sweep, report and robustness to the robo2d parser's subcommands."""
    plot = sub.add_parser("plot", help="learning curves (success rate vs env steps) of one or more runs")
    plot.add_argument("runs", nargs="+", help="run folders or evaluations.csv files")
    plot.add_argument("--out", default=CURVE_FILE)
    plot.add_argument("--title", default="")
    plot.add_argument("--no-mean", action="store_true", help="no mean line (runs of different recipes)")
    plot.set_defaults(func=cmd_plot)

    sweep = sub.add_parser(
        "sweep", help="seeds x grid values of a recipe on Ray Tune, each trial a run folder"
    )
    sweep.add_argument("env_id")
    sweep.add_argument("--seeds", default="0", help="run seeds, e.g. 0-4 or 0,2,5")
    sweep.add_argument(
        "--grid", action="append", metavar="KEY=V1,V2", help="values of a config entry (repeatable)"
    )
    sweep.add_argument("--set", action="append", metavar="KEY=VALUE", help="config entries for every trial")
    sweep.add_argument("--timesteps", type=positive_int, help="total env steps per trial")
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
    robust.add_argument("--episodes", type=positive_int, default=100)
    robust.add_argument("--seed", type=int, default=5000, help="first evaluation seed (after the offset)")
    robust.add_argument("--sweep", metavar="NAME=V1,V2,...", help="also each value of one parameter alone")
    robust.add_argument("--out", help="results folder (default robustness_ENV_ID)")
    robust.add_argument("--trust", action="store_true", help=TRUST_HELP)
    robust.set_defaults(func=cmd_robustness)


def cmd_plot(args) -> None:
    from robo2d.run.eval_log import plot_learning_curve

    files = [RunFolder(p).evaluations if Path(p).is_dir() else Path(p) for p in args.runs]
    out = plot_learning_curve(files, Path(args.out), title=args.title, mean=not args.no_mean)
    print(f"wrote {out}")


def cmd_sweep(args) -> None:
    from robo2d.run.config import ConfigError, load_config
    from robo2d.studies.sweep import (
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
        base = overridden(load_config(check_recipe(args.env_id)), args.set, "sweep")
        if args.timesteps is not None:
            base = base.replace(total_timesteps=args.timesteps)
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
    from robo2d.studies.report import load_group, write_report

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


def cmd_robustness(args) -> None:
    from robo2d.studies.robustness import CONDITIONS, evaluate_conditions, sweep_conditions, write_results

    env_id = check_env_id(args.env_id)
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
