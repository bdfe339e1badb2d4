"""What every robo2d command shares: one-line usage errors, the argparse parser that answers in one line,
and the checks of env ids, counts and config overrides."""

from __future__ import annotations

import argparse

from robo2d.catalog import ENV_IDS


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


def check_env_id(env_id: str) -> str:
    if env_id not in ENV_IDS:
        raise UsageError(f"unknown env id {env_id!r}; `robo2d list` shows the ids: {', '.join(ENV_IDS)}")
    return env_id


def check_recipe(name: str) -> str:
    """An env id, or a shipped recipe ``ID.VARIANT`` (another robot for the id, agents/ID.VARIANT.yaml)."""
    from robo2d.run.config import recipe_env_id, recipes

    check_env_id(recipe_env_id(name))
    if name not in ENV_IDS and name not in recipes():
        raise UsageError(f"no shipped recipe {name!r}; recipes: {', '.join(recipes())}")
    return name


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def overridden(config, overrides: list[str] | None, command: str = "train"):
    """The config with --set KEY=VALUE entries applied; a bad entry is a usage error."""
    from robo2d.run.config import apply_overrides

    try:
        return apply_overrides(config, overrides or [])
    except ValueError as err:
        raise UsageError(f"robo2d {command}: {err}") from None


def env_kwargs_option(args) -> dict:
    """The --env-kwargs option (a YAML/JSON mapping) as a dict; UsageError in one line where it is not."""
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
    return kwargs
