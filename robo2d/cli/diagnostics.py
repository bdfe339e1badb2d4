"""Commands that measure robo2d itself: bench (env and training speed) and soak (long random runs)."""

from __future__ import annotations

from pathlib import Path

from robo2d.catalog import ENV_IDS
from robo2d.cli.common import UsageError, check_env_id, positive_int


def register(sub) -> None:
    """Add bench and soak to the robo2d parser's subcommands."""
    bench = sub.add_parser("bench", help="env steps/s and step time over physics time, per id")
    bench.add_argument("ids", nargs="*")
    bench.add_argument("--steps", type=positive_int, default=5000, help="env steps per timed run")
    bench.add_argument("--repeats", type=positive_int, default=5, help="timed runs per id (medians)")
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
    bench.add_argument(
        "--gymnasium",
        action="store_true",
        help="steps/s by Gymnasium's utils.performance.benchmark_step (with --reference: the peers alike)",
    )
    bench.add_argument("--seconds", type=float, default=5.0, help="with --gymnasium: seconds per measurement")
    bench.add_argument(
        "--robot", help="time the ids that take this robot (a shipped planar arm or 6/7-DoF arm, or a URDF)"
    )
    bench.add_argument(
        "--training",
        action="store_true",
        help="ms per env step of training the shipped config, part by part, against the CPU's floor",
    )
    bench.add_argument("--updates", type=positive_int, default=500, help="with --training: env steps timed")
    bench.add_argument("--set", action="append", metavar="KEY=VALUE", help="with --training: config entries")
    bench.set_defaults(func=cmd_bench)

    soak = sub.add_parser("soak", help="long random runs: finite, in bounds, memory and PyBullet clients")
    soak.add_argument("ids", nargs="*", help="env ids (default: all)")
    soak.add_argument("--steps", type=positive_int, default=1_000_000, help="random steps per id")
    soak.add_argument("--seed", type=int, default=0)
    soak.add_argument("--cycles", type=int, default=1000, help="envs made and closed in turn (0: skip)")
    soak.add_argument("--live", type=int, default=64, help="envs alive at once (0: skip)")
    soak.add_argument("--out", help="also write the Markdown table here")
    soak.set_defaults(func=cmd_soak)


def cmd_bench(args) -> None:
    from robo2d.catalog import MANIPULATOR_IDS, PLANAR_IDS
    from robo2d.diagnostics.bench import gymnasium_rates, print_breakdown, print_randomization, run_bench
    from robo2d.robots.manipulators.shipped import SHIPPED_ARMS

    env_ids = [check_env_id(env_id) for env_id in args.ids] or list(ENV_IDS)
    kwargs = {}
    if args.robot:
        kwargs["robot"] = args.robot
        takes = MANIPULATOR_IDS if args.robot in SHIPPED_ARMS else PLANAR_IDS  # a path: as the ids given
        env_ids = [i for i in env_ids if i in takes and i != "Robo2DOneJoint-v0"] if not args.ids else env_ids
    if (args.breakdown or args.randomization) and args.reference:
        raise UsageError(
            "robo2d bench: --breakdown and --randomization time robo2d ids only; drop --reference"
        )
    if args.gymnasium:
        gymnasium_rates(env_ids, args.seconds, args.reference, args.repeats)
    elif args.training:
        _bench_training(env_ids, args.updates, args.set or [])
    elif args.breakdown:
        for env_id in env_ids:
            print_breakdown(env_id, args.steps, args.repeats)
    elif args.randomization:
        print_randomization(env_ids, args.steps, args.repeats, kwargs)
    else:
        run_bench(env_ids, args.steps, args.repeats, args.reference, kwargs)


def _bench_training(env_ids: list[str], updates: int, overrides: list[str]) -> None:
    from robo2d.diagnostics.training_speed import bench_training, format_profile

    for env_id in env_ids:
        try:
            profile = bench_training(env_id, updates, overrides)
        except ValueError as err:
            raise UsageError(f"robo2d bench --training: {err}") from None
        print(format_profile(profile), end="\n\n", flush=True)


def cmd_soak(args) -> None:
    from robo2d.diagnostics.soak import make_and_close, many_alive, report, soak_env

    env_ids = [check_env_id(env_id) for env_id in args.ids] or list(ENV_IDS)
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
