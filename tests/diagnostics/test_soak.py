"""The soak benchmark's short version: long random runs stay finite, in bounds, flat in memory, and
every PyBullet client is accounted for (the 1M-step figures are in docs/results/soak.md)."""

import pytest

from robo2d.diagnostics.soak import make_and_close, many_alive, soak_env

STEPS = 50_000
MAX_GROWTH_MB = 4.0  # measured here over 50k steps: 0.0-0.3 MB


@pytest.mark.slow
@pytest.mark.parametrize("env_id", ["Robo2DReacher-v0", "Robo2DKukaSuctionPickPlace-v0"])
def test_a_long_random_run_stays_finite_in_bounds_and_flat(env_id):
    run = soak_env(env_id, STEPS, seed=7)
    assert run.problems == []
    assert run.episodes == STEPS // 50 or run.episodes > 0
    assert run.clients[1] == run.clients[0] + 1 and run.clients[2] == run.clients[0]
    assert run.growth_mb < MAX_GROWTH_MB, f"resident memory grew {run.growth_mb:.1f} MB"


def test_envs_made_and_closed_leave_no_client():
    result = make_and_close(["Robo2DReacher-v0", "Robo2DKukaJawPickPlace-v0"], cycles=40)
    assert result["clients"][0] == result["clients"][1]
    assert result["growth_mb"] < MAX_GROWTH_MB


def test_many_envs_alive_at_once_each_have_their_client_and_give_it_back():
    result = many_alive(["Robo2DReacher-v0", "Robo2DPixelReacher-v0"], count=12, steps=3)
    for before, alive, after in result["clients"]:
        assert alive == before + 12 and after == before
    first, second = result["after_trim_mb"]
    assert second - first < MAX_GROWTH_MB, "memory lost on every round of envs"
