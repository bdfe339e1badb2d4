"""The robo2d command. Each module of this package adds its commands to the parser (``register``) and
holds the functions they run; this one builds the parser and turns a user's mistake into one line."""

from __future__ import annotations

import argparse
import sys

from robo2d.cli import datasets, diagnostics, envs, evaluation, studies, train
from robo2d.cli.common import OneLineParser, UsageError

DESCRIPTION = "robo2d: the envs, training runs, studies over runs, and diagnostics (commands below)"
#: in the order `robo2d --help` lists them: the envs, one run (train, evaluate/record, collect), studies
#: over many runs, diagnostics
COMMAND_MODULES = (envs, train, evaluation, datasets, studies, diagnostics)
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
    "minari",
)


EXTRAS = {"minari": "datasets"}  # a module -> its extra, where that is not "train"


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="robo2d", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
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
                f"robo2d {args.command} needs the {EXTRAS.get(err.name, 'training')} extra ({err.name} is "
                f"not installed): pip install 'robo2d[{EXTRAS.get(err.name, 'train')}]'"
            ) from None
    except UsageError as err:
        print(err.message, file=sys.stderr)
        raise


if __name__ == "__main__":
    main(sys.argv[1:])
