"""Commands that run one trained agent: evaluate (success rate, return) and record (video)."""

from __future__ import annotations

from pathlib import Path

from robo2d.cli.common import TRUST_HELP, UsageError, check_env_id, env_kwargs_option

VIDEO_SUFFIXES = (".mp4", ".gif")


def register(sub) -> None:
    """Add evaluate and record to the robo2d parser's subcommands."""
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
