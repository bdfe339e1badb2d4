"""Periodic evaluation in a second process, beside training: the learner does not wait for it.

A run's evaluations take a share of its wall-clock time (the reacher's 100 episodes every 1,000 steps
are five times as many env steps as training); with ``background_evaluation: true``, on a machine with
a second core, they run there. (Off by default: measured on the shipped reacher recipe on 2 cores, it
reached its target no sooner, docs/results/speed/time_to_target/Robo2DReacher-v0-background.)
At each evaluation point the learner saves its agent as it is (the files ``robo2d evaluate`` reads) and
goes on; the worker loads it, evaluates it on its own envs and sends the result back. The numbers are
those of the same evaluation in-process (the same weights, seeds and batching): only when they arrive
changes. Training is untouched: the worker has its own envs and random streams.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from robo2d.run.config import RunConfig
from robo2d.run.evaluation import EVALUATION_ENVS, EvalResult, evaluate_policy
from robo2d.run.seeds import PERIODIC_EVALUATION

POLL_SECONDS = 1.0  # how often a wait checks that the worker is still alive
STOP_SECONDS = 30.0  # how long closing waits for the worker to exit before ending it


@dataclass
class Evaluated:
    """One finished evaluation: of the agent saved in `folder` at `timesteps` env steps."""

    timesteps: int
    folder: Path
    result: EvalResult
    cpu_seconds: float  # the worker's CPU time for it


def background_available() -> bool:
    """True where a second core can take the evaluations (else they run in the learner's process)."""
    return (os.cpu_count() or 1) > 1


class BackgroundEvaluation:
    """The learner's side: hand over saved agents, collect the results in the order handed over."""

    def __init__(self, config: RunConfig) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no forked torch/JAX state
        self.inbox, self.outbox = context.Queue(), context.Queue()
        self.process = context.Process(
            target=_serve, args=(config.to_dict(), self.inbox, self.outbox), daemon=True
        )
        self.process.start()
        self.scratch = Path(tempfile.mkdtemp(prefix="robo2d-evaluation-"))
        self.pending = 0

    def folder(self, timesteps: int) -> Path:
        """Where to save the agent evaluated at `timesteps` (outside the run folder)."""
        return self.scratch / str(timesteps)

    def submit(self, timesteps: int, folder: Path) -> None:
        self.inbox.put((timesteps, str(folder)))
        self.pending += 1

    def finished(self, wait: bool = False) -> list[Evaluated]:
        """The evaluations done so far; with `wait`, all of those handed over."""
        done = []
        while self.pending:
            message = self._next(wait)
            if message is None:
                break
            self.pending -= 1
            timesteps, folder, result, cpu, error = message
            if error is not None:
                raise RuntimeError(f"evaluation at {timesteps} env steps failed: {error}")
            done.append(Evaluated(timesteps, Path(folder), result, cpu))
        return done

    def _next(self, wait: bool) -> tuple | None:
        """The next result; None if none is ready (and not `wait`). Waiting, the worker must be alive."""
        while True:
            try:
                return self.outbox.get(block=wait, timeout=POLL_SECONDS if wait else None)
            except queue.Empty:
                if not wait:
                    return None
            if not self.process.is_alive():
                raise RuntimeError("the evaluation process ended without finishing its evaluations")

    def close(self) -> None:
        """Stop the worker and remove the agents saved for it."""
        if self.process.is_alive():
            self.inbox.put(None)
            self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.terminate()
        shutil.rmtree(self.scratch, ignore_errors=True)


def _jobs(inbox):
    """The jobs handed over, until told to stop or the learner is gone (killed, it cannot say so)."""
    learner = multiprocessing.parent_process()
    while True:
        try:
            job = inbox.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if learner is not None and not learner.is_alive():
                return
            continue
        if job is None:
            return
        yield job


def _serve(config_data: dict, inbox, outbox) -> None:
    """The worker: evaluate each saved agent handed over, on envs made once, until told to stop."""
    import torch

    from robo2d.run.environment import make_env
    from robo2d.run.loading import load_agent

    config = RunConfig.from_dict(config_data)
    torch.set_num_threads(config.torch_threads)
    envs = [make_env(config) for _ in range(min(EVALUATION_ENVS, config.eval_episodes))]
    try:
        for timesteps, folder in _jobs(inbox):
            started = time.process_time()
            try:
                agent, _ = load_agent(folder, trust=True)  # written by this run a moment ago
                result = evaluate_policy(
                    agent, envs, config.eval_episodes, config.run_seed, PERIODIC_EVALUATION
                )
                outbox.put((timesteps, folder, result, time.process_time() - started, None))
            except Exception as err:  # the learner raises it with the evaluation's step
                outbox.put((timesteps, folder, None, 0.0, f"{type(err).__name__}: {err}"))
    finally:
        for env in envs:
            env.close()
