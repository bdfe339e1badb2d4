"""Commands about what robo2d holds: list (the env ids) and check-robot (a robot's URDF: a planar arm,
or with --flange-link a 6/7-DoF arm for pick-and-place)."""

from __future__ import annotations

import sys

from robo2d.catalog import ENV_IDS, ENV_SUMMARIES


def register(sub) -> None:
    """Add list and check-robot to the robo2d parser's subcommands."""
    sub.add_parser("list", help="the env ids with a one-line description").set_defaults(func=cmd_list)

    check = sub.add_parser(
        "check-robot", help="what robo2d sees in a robot's URDF (planar arm or manipulator), what is wrong"
    )
    check.add_argument("urdf", help="URDF path, or the name of a robot shipped in urdf/")
    check.add_argument("--tip-link", default="tip", help="the end-effector link (default: tip)")
    check.add_argument(
        "--flange-link",
        help="a 6/7-DoF arm for pick-and-place: the link its tool mounts on (shipped arms: their own)",
    )
    check.add_argument("--render", metavar="OUT.png", help="draw it (planar: from above, workspaces marked)")
    check.set_defaults(func=cmd_check_robot)


def cmd_list(args) -> None:
    for env_id in ENV_IDS:
        print(f"{env_id:32s} {ENV_SUMMARIES[env_id]}")


def cmd_check_robot(args) -> None:
    from robo2d.robots.manipulators.shipped import SHIPPED_ARMS

    if args.flange_link is not None or args.urdf in SHIPPED_ARMS:
        from robo2d.diagnostics.manipulator_report import check_manipulator

        sys.exit(check_manipulator(args.urdf, args.flange_link, args.render))
    from robo2d.diagnostics.robot_report import check_robot

    sys.exit(check_robot(args.urdf, args.tip_link, args.render))
