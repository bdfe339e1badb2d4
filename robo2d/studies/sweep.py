"""`robo2d sweep`: the product of seeds and grid values, each trial an ordinary run folder, on Ray Tune.

Ray (the optional extra ``robo2d[sweep]``) places the trials: on this machine by default (a local Ray
started and stopped with the sweep, trials in parallel up to its cores) or on a running cluster
(``--address HOST:PORT`` or ``RAY_ADDRESS``; every worker needs robo2d installed and the sweep folder
on a shared path). What each trial trains is decided by robo2d, not Ray: a trial folder holding a
finished model is kept, one with a checkpoint resumes from it, any other starts afresh. So ``--resume``
after a stop trains nothing twice, whatever became of Ray's own state. A failing trial is reported
with its error; the others go on.

Layout of the sweep folder: ``trials/<name>/`` (run folders, each with its ``train.log``),
``sweep.csv`` and ``sweep.md`` (one row per trial, then IQM over seeds per grid point), ``ray/``.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import math
import os
import pwd
import sys
from dataclasses import dataclass
from pathlib import Path

from robo2d.run.agent_files import model_data
from robo2d.run.config import RunConfig
from robo2d.run.config_checks import check_arguments, with_installed_backend
from robo2d.run.folder import RunFolder

TRIALS_DIR = "trials"
INSTALL_HINT = "robo2d sweep runs on Ray Tune: pip install 'robo2d[sweep]'"
LOCAL_OBJECT_STORE = 200 * 2**20  # bytes; trials pass only small dicts through Ray
# Ray turns a node address of 127.0.0.1 into the machine's network address, and then listens on all
# interfaces; with this variable 0 it keeps to the loopback address (its single-machine mode)
LOCAL_ONLY_VARIABLE = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
OUTCOME = {"new": "trained", "checkpointed": "resumed", "finished": "kept"}  # what the trial did
COLUMNS = ("trial", "seed", "status", "timesteps", "final_success", "best_success", "error")


@dataclass
class Trial:
    """One point of the sweep: a seed and one value per grid key, and the config it trains."""

    name: str
    seed: int
    values: dict  # grid key -> value as written on the command line
    config: RunConfig


def parse_seeds(text: str) -> list[int]:
    """'0-4' or '0,2,5' (or both: '0-2,7')."""
    seeds = []
    for part in text.split(","):
        low, dash, high = part.partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise ValueError(f"--seeds {text!r}: give whole numbers like 0-4 or 0,2,5")
        seeds.extend(range(int(low), int(high) + 1) if dash else [int(low)])
    if len(set(seeds)) < len(seeds) or not seeds:
        raise ValueError(f"--seeds {text!r}: each seed once")
    return seeds


def parse_grid(items: list[str]) -> dict[str, list[str]]:
    """['sac.learning_rate=3e-4,1e-3', ...] -> {key: [raw values]}."""
    grid = {}
    for item in items:
        key, sep, values = item.partition("=")
        if not sep or not values or key in grid or key == "seed":
            raise ValueError(f"--grid {item!r}: give KEY=v1,v2,... once per key (seeds go in --seeds)")
        grid[key] = values.split(",")
    return grid


def make_trials(base: RunConfig, seeds: list[int], grid: dict[str, list[str]]) -> list[Trial]:
    """Every combination, each config checked as `robo2d train` checks it (errors before any folder)."""
    trials = []
    for point in itertools.product(*grid.values()):
        values = dict(zip(grid, point))
        for seed in seeds:
            config = base.with_overrides([f"{k}={v}" for k, v in values.items()] + [f"seed={seed}"])
            config = with_installed_backend(config)
            check_arguments(config)
            name = "_".join([f"seed{seed}", *(f"{k}={v}" for k, v in values.items())])
            trials.append(Trial(name, seed, values, config))
    return trials


def saved_timesteps(model_zip: Path) -> int | None:
    """Env steps a saved model was trained for (from its JSON data: nothing is unpickled)."""
    try:
        return int(model_data(model_zip)["num_timesteps"])
    except (OSError, KeyError, ValueError):
        return None


def trial_state(run_dir: Path, config: RunConfig) -> str:
    """'finished', 'checkpointed' (resumable) or 'new'."""
    steps = saved_timesteps(RunFolder(run_dir).model)
    if steps is not None and steps >= config.total_timesteps:
        return "finished"
    return "checkpointed" if RunFolder(run_dir).checkpoint.is_finished() else "new"


def run_trial(param: dict) -> dict:
    """Ray's trainable: train (or resume, or keep) one trial's run folder; its output to train.log."""
    import torch

    from robo2d.run.eval_log import read_run
    from robo2d.run.train import train

    run_dir, config = Path(param["spec"]["run_dir"]), RunConfig.from_dict(param["spec"]["config"])
    state = trial_state(run_dir, config)
    if state != "finished":
        torch.set_num_threads(config.torch_threads)
        run_dir.mkdir(parents=True, exist_ok=True)
        with RunFolder(run_dir).log.open("a") as log, contextlib.redirect_stdout(log):
            print(f"[sweep] trial {run_dir.name}: {state}", flush=True)
            train(config, run_dir, progress_bar=False, resume=state == "checkpointed")
    result = {"was": state, "timesteps": saved_timesteps(RunFolder(run_dir).model)}
    if RunFolder(run_dir).evaluations.is_file():
        run = read_run(RunFolder(run_dir).evaluations)
        result.update(final_success=float(run.success[-1]), best_success=float(run.success.max()))
        result["final_return"] = float(run.returns[-1])
    else:  # a run of no env steps: nothing was evaluated
        result.update(final_success=math.nan, best_success=math.nan, final_return=math.nan)
    from ray import tune

    tune.report(result)
    return result


class SweepUnavailableError(RuntimeError):
    """Ray Tune is not installed, or the cluster asked for does not answer."""


def _keep_to_loopback() -> None:
    """Ray's single-machine mode, which listens on 127.0.0.1 only. Ray reads the variable when it is
    first imported, so it is set before that; a Ray imported already is told through its constant."""
    os.environ[LOCAL_ONLY_VARIABLE] = "0"
    constants = sys.modules.get("ray._private.ray_constants")
    if constants is not None:
        constants.ENABLE_RAY_CLUSTER = False


def _token_files() -> list[Path]:
    """Where Ray looks for a cluster token: RAY_AUTH_TOKEN_PATH, then ~/.ray/auth_token (Ray finds ~
    from the user database, which HOME may not match)."""
    homes = {Path.home(), Path(pwd.getpwuid(os.getuid()).pw_dir)}
    named = os.environ.get("RAY_AUTH_TOKEN_PATH")
    return ([Path(named)] if named else []) + [home / ".ray" / "auth_token" for home in homes]


def _use_cluster_token() -> None:
    """Token authentication for a cluster `ray start` made (Ray 2.60 turns it on there by default and
    writes the token file). Ray reads RAY_AUTH_MODE when it is first imported, so this comes before."""
    has_token = os.environ.get("RAY_AUTH_TOKEN") or any(f.is_file() for f in _token_files())
    if "RAY_AUTH_MODE" not in os.environ and has_token:
        os.environ["RAY_AUTH_MODE"] = "token"


def _start_ray(address: str | None, cpus: int | None):
    if address:
        _use_cluster_token()
    else:
        _keep_to_loopback()
    try:
        import ray
    except ImportError:
        raise SweepUnavailableError(INSTALL_HINT) from None
    quiet = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    if address:
        try:
            ray.init(address=address, **quiet)
        except ConnectionError as err:
            raise SweepUnavailableError(
                f"no Ray cluster answers at {address} ({err}); is it running (`ray status --address "
                f"{address}`)? A cluster with token authentication needs its token in ~/.ray/auth_token, "
                "RAY_AUTH_TOKEN_PATH or RAY_AUTH_TOKEN"
            ) from None
    else:  # a Ray of its own for this sweep (not one `ray start` left running), on 127.0.0.1 only
        ray.init(
            address="local", num_cpus=cpus or os.cpu_count(), object_store_memory=LOCAL_OBJECT_STORE, **quiet
        )
    cpus = int(ray.cluster_resources().get("CPU", 0))
    print(f"[sweep] on Ray at {ray.get_runtime_context().gcs_address} with {cpus} CPUs", flush=True)
    return ray


def run_sweep(
    trials: list[Trial],
    out: Path,
    address: str | None = None,
    cpus_per_trial: float = 1.0,
    gpus_per_trial: float = 0.0,
    local_cpus: int | None = None,
) -> list[dict]:
    """Run every trial on Ray Tune; one result row per trial (finished or failed, with its error)."""
    out = Path(out).resolve()
    ray = _start_ray(address or os.environ.get("RAY_ADDRESS"), local_cpus)
    from ray import tune

    threads = max(1, int(cpus_per_trial))  # torch threads per trial: trials do not oversubscribe
    specs = [
        {
            "name": t.name,
            "run_dir": str(out / TRIALS_DIR / t.name),
            "config": t.config.replace(torch_threads=threads).to_dict(),  # plain data through Ray
        }
        for t in trials
    ]
    try:
        tuner = tune.Tuner(
            tune.with_resources(run_trial, {"cpu": cpus_per_trial, "gpu": gpus_per_trial}),
            param_space={"spec": tune.grid_search(specs)},
            run_config=tune.RunConfig(
                name=f"ray-{os.getpid()}",
                storage_path=str(out / "ray"),
                verbose=0,
                failure_config=tune.FailureConfig(max_failures=0, fail_fast=False),
            ),
        )
        results = tuner.fit()
    finally:
        ray.shutdown()
    rows = {}
    for result in results:
        spec = result.config["spec"]
        row = {"trial": spec["name"], "status": "failed"}
        if result.error:
            row["error"] = str(result.error).strip().splitlines()[-1][:300]
        else:
            row.update({k: result.metrics[k] for k in ("timesteps", "final_success", "best_success")})
            row["status"] = OUTCOME[result.metrics["was"]]
        rows[spec["name"]] = row
    return [rows[t.name] for t in trials]


def write_tables(trials: list[Trial], rows: list[dict], out: Path) -> str:
    """sweep.csv and sweep.md: a row per trial, then per grid point the IQM over its seeds."""
    from robo2d.run.eval_log import read_run
    from robo2d.studies.report import Group, summary_table

    keys = list(trials[0].values) if trials else []
    with (Path(out) / "sweep.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, [*COLUMNS, *keys], extrasaction="ignore")
        writer.writeheader()
        for trial, row in zip(trials, rows):
            writer.writerow({**row, "seed": trial.seed, **trial.values})
    lines = ["| trial | status | env steps | final success | best success |", "|---|---|---:|---:|---:|"]
    for row in rows:
        if row["status"] == "failed":
            lines.append(f"| {row['trial']} | failed: {row['error']} | | | |")
        else:
            lines.append(
                f"| {row['trial']} | {row['status']} | {row['timesteps']:,} | "
                f"{row['final_success']:.2f} | {row['best_success']:.2f} |"
            )
    groups = {}
    for trial, row in zip(trials, rows):
        if row["status"] != "failed":
            label = ", ".join(f"{k}={v}" for k, v in trial.values.items()) or "all seeds"
            groups.setdefault(label, []).append(
                read_run(RunFolder(Path(out) / TRIALS_DIR / trial.name).evaluations)
            )
    text = "\n".join(lines) + "\n"
    if groups:
        text += "\nPer grid point, over its seeds:\n\n" + summary_table(
            [Group(k, v) for k, v in groups.items()]
        )
    (Path(out) / "sweep.md").write_text(text)
    return text
