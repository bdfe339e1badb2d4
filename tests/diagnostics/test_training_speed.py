"""Training speed tools: the training profile's parts and floor are what they claim."""

from __future__ import annotations

import pytest
from gymnasium.spaces import flatdim

from robo2d.diagnostics.training_speed import (
    PARTS,
    UPDATE_PARTS,
    bench_training,
    format_profile,
    update_gflop,
)
from robo2d.rl.models import new_model
from robo2d.run.config import apply_overrides, load_config
from robo2d.run.train import build_vec_env
from tests.rl import SMALL_SAC


def _mlp_gflop(batch: int, sizes: list[int]) -> float:
    return 2 * batch * sum(a * b for a, b in zip(sizes, sizes[1:], strict=False)) / 1e9


def test_update_flops_are_every_matrix_product_of_a_sac_update():
    """Actor forward twice (current, next observations), six Q forwards (two target, two current, two on
    the policy's actions), backward twice a forward (weights and inputs) for the two Q nets of the critic
    loss and the actor, input gradients only for the two Q nets of the actor loss (robo2d's SAC spares
    the critic's weight gradients there); the first layers' input gradients are not needed when only
    observations enter them."""
    config = apply_overrides(load_config("Robo2DReacher-v0", seed=0), SMALL_SAC)
    model = new_model(config.model, build_vec_env(config, gui=False))
    model.learn(151)
    obs, act = flatdim(model.observation_space), flatdim(model.action_space)
    actor = _mlp_gflop(64, [obs, 32, 32, 2 * act])
    q = _mlp_gflop(64, [obs + act, 32, 32, 1])
    first_actor, first_q = _mlp_gflop(64, [obs, 32]), _mlp_gflop(64, [obs + act, 32])
    # critic loss: 2 Q backward without first-layer input grads; actor loss: 2 Q backward of input grads
    # only, the first layer's included (the action enters there), and the actor backward without its
    # first-layer input grad
    expected = 2 * actor + 6 * q + 2 * (2 * q - first_q) + 2 * q + (2 * actor - first_actor)
    assert update_gflop(model, config) == pytest.approx(expected, rel=1e-6)
    model.env.close()


@pytest.mark.parametrize("backend", ["sb3", "sbx"])
def test_training_profile_parts_add_up_and_the_table_names_them(backend):
    if backend == "sbx":
        pytest.importorskip("sbx")
    every = {"sb3": 2, "sbx": 1}[backend]  # one update per 2 env steps: an update is twice a step's share
    overrides = [*SMALL_SAC, f"backend={backend}", f"sac.train_freq={every}"]
    profile = bench_training("Robo2DKukaJawPickPlace-v0", 60, overrides)
    assert set(profile.ms) == set(PARTS) and profile.backend == backend
    assert profile.updates_per_step == 1 / every
    fused = {"optimiser"} if backend == "sbx" else set()  # SBX's optimiser runs inside the compiled update
    assert all(profile.ms[part] > 0 for part in PARTS if part not in {"rollout bookkeeping", *fused})
    assert profile.step_ms == pytest.approx(sum(profile.ms.values()))
    assert profile.update_ms == pytest.approx(every * sum(profile.ms[p] for p in UPDATE_PARTS))
    assert 0 < profile.floor_ms < profile.update_ms  # no update beats its own arithmetic
    table = format_profile(profile)
    for part in PARTS:
        assert f"| {part} |" in table
    assert "update / floor" in table
    # a one-thread config is benched on one CPU, and the process's CPU time is reported beside wall-clock
    assert profile.core is not None and f"held to CPU {profile.core}" in table
    assert profile.cpu_ms > 0 and profile.wall_ms > 0


def test_the_bench_gives_back_the_cpus_it_was_allowed():
    import os

    from robo2d.diagnostics.training_speed import _one_core

    allowed = os.sched_getaffinity(0)
    with _one_core(1) as core:
        assert os.sched_getaffinity(0) == {core}
    assert os.sched_getaffinity(0) == allowed
    with _one_core(2) as core:
        assert core is None and os.sched_getaffinity(0) == allowed


def test_timers_put_back_what_they_replaced():
    from robo2d.diagnostics.training_speed import _Timers

    class Thing:
        def run(self):
            return 1

    thing = Thing()
    thing.own = lambda: 2  # an attribute of the instance itself
    timers = _Timers()
    timers.time(thing, "run", "run")
    timers.time(thing, "own", "own")
    assert thing.run() == 1 and thing.own() == 2 and set(timers.seconds) == {"run", "own"}
    timers.restore()
    assert "run" not in vars(thing) and thing.own() == 2 and thing.run() == 1
