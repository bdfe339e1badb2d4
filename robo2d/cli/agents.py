"""Commands that run a trained agent: evaluate, record (video) and robustness (conditions side by side)."""

from __future__ import annotations

from pathlib import Path

from robo2d.cli.common import TRUST_HELP, UsageError, check_env_id, env_kwargs_option, positive_int

VIDEO_SUFFIXES = (".mp4", ".gif")


def register(sub) -> None:
    """Add evaluate, record and robustness to the robo2d parser's subcommands."""
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
    robust.add_argument("--episodes", type=positive_int, default=100)
    robust.add_argument("--seed", type=int, default=5000, help="first evaluation seed (after the offset)")
    robust.add_argument("--sweep", metavar="NAME=V1,V2,...", help="also each value of one parameter alone")
    robust.add_argument("--out", help="results folder (default robustness_ENV_ID)")
    robust.add_argument("--trust", action="store_true", help=TRUST_HELP)
    robust.set_defaults(func=cmd_robustness)


def _extra_env_kwargs(args) -> dict:
    """--env-kwargs (a YAML/JSON mapping) and --randomize, for evaluating an agent in other conditions."""
    kwargs = env_kwargs_option(args)
    return {**kwargs, "randomize": True} if args.randomize else kwargs


def _agent_env(args, render_mode: str | None = None):
    """The agent of `run_or_model`, its config, and its env with --env-kwargs / --randomize applied."""
    from robo2d.run.loading import load_agent_and_env

    try:
        return load_agent_and_env(args.run_or_model, _extra_env_kwargs(args), render_mode, args.trust)
    except (TypeError, ValueError) as err:
        raise UsageError(f"robo2d {args.command}: {err}") from None


def cmd_evaluate(args) -> None:
    from robo2d.run.evaluation import evaluate_policy
    from robo2d.run.seeds import check_seeds

    try:
        check_seeds(args.seed, args.episodes, "evaluation")
    except ValueError as err:
        raise UsageError(f"robo2d evaluate: {err}") from None

    model, config, env = _agent_env(args)
    result = evaluate_policy(model, env, args.episodes, args.seed)
    env.close()
    low, high = result.interval
    last = result.first_seed + result.episodes - 1
    conditions = config.env_kwargs or "as trained (no env kwargs)"
    print(
        f"{config.env_id}: success rate {result.success_rate:.3f} "
        f"(95% Wilson interval {low:.3f}-{high:.3f}), mean return {result.mean_return:.3f} "
        f"over {result.episodes} deterministic episodes, reset seeds {result.first_seed}-{last}; "
        f"env kwargs: {conditions}"
    )


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


def cmd_record(args) -> None:
    if args.out and Path(args.out).suffix.lower() not in VIDEO_SUFFIXES:
        raise UsageError(f"robo2d record: --out {args.out} must end in one of {', '.join(VIDEO_SUFFIXES)}")
    import gymnasium as gym

    from robo2d.oracles import ScriptedPolicy
    from robo2d.run.evaluation import record_video

    if args.oracle:
        env_id = check_env_id(args.run_or_model)
        env = gym.make(env_id, render_mode="rgb_array", **_extra_env_kwargs(args))
        policy = ScriptedPolicy(env)
    else:
        policy, config, env = _agent_env(args, render_mode="rgb_array")
        env_id = config.env_id
    folder = Path(args.run_or_model) if Path(args.run_or_model).is_dir() else Path(".")
    out = Path(args.out or folder / f"{env_id}.mp4")
    try:
        record_video(policy, env, out, args.episodes, args.seed, observations=args.observations)
    except ValueError as err:
        raise UsageError(f"robo2d record: {err}") from None
    finally:
        env.close()
    print(f"wrote {out}")
