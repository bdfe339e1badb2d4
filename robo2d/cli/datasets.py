"""`robo2d collect`: episodes of the oracle or a trained agent as a Minari dataset (offline RL, imitation)."""

from __future__ import annotations

from pathlib import Path

from robo2d.cli.common import TRUST_HELP, UsageError, check_env_id, env_kwargs_option, positive_int


def register(sub) -> None:
    """Add collect to the robo2d parser's subcommands."""
    p = sub.add_parser("collect", help="write episodes of the oracle or an agent as a Minari dataset")
    p.add_argument("env_id", type=check_env_id)
    p.add_argument("--policy", default="oracle", help="oracle (default), a run folder or a model .zip")
    p.add_argument("--episodes", type=positive_int, default=100)
    p.add_argument("--noise", type=float, default=0.0, help="std of Gaussian noise on each action")
    p.add_argument("--seed", type=int, default=0, help="episode i is reset with seed + i")
    p.add_argument(
        "--env-kwargs", metavar="MAPPING", help="env arguments as YAML/JSON, e.g. '{goal_conditioned: true}'"
    )
    p.add_argument("--out", default="datasets", help="datasets folder (Minari's MINARI_DATASETS_PATH)")
    p.add_argument("--name", help="dataset id (default robo2d/<env>-<policy>-v0)")
    p.add_argument("--trust", action="store_true", help=TRUST_HELP)
    p.set_defaults(func=cmd_collect)


def cmd_collect(args) -> None:
    from robo2d.run.datasets import collect, dataset_id

    kwargs = env_kwargs_option(args)
    if args.noise < 0:
        raise UsageError(f"robo2d collect: --noise must be >= 0, got {args.noise}")
    if args.policy != "oracle" and not Path(args.policy).exists():
        raise UsageError(
            f"robo2d collect: --policy {args.policy!r} is neither 'oracle' nor a run folder or file"
        )
    name = args.name or dataset_id(args.env_id, args.policy)
    dataset = collect(
        args.env_id,
        args.policy,
        args.episodes,
        Path(args.out),
        args.noise,
        args.seed,
        kwargs,
        name,
        args.trust,
    )
    folder = Path(args.out) / name
    print(f"{dataset.total_episodes} episodes, {dataset.total_steps} steps: {folder}")
    print(f"load it: minari.load_dataset({name!r}) with MINARI_DATASETS_PATH={Path(args.out).resolve()}")
