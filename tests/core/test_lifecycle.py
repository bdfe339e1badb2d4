"""close() is idempotent and frees the PyBullet client: no growth over many make/close cycles."""

import resource

import pybullet as pb
import pytest


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def test_close_is_idempotent(case):
    env = case.make()
    env.reset(seed=0)
    client = env.unwrapped.sim.client
    env.close()
    env.close()
    assert not pb.isConnected(physicsClientId=client)


@pytest.mark.slow  # a soak: 220 make/close cycles per case
def test_many_make_close_cycles_do_not_leak(case):
    for _ in range(20):  # warm up allocators and caches
        case.make().close()
    before = _rss_mb()
    for _ in range(200):
        env = case.make()
        env.reset(seed=0)
        env.step(env.action_space.sample())
        env.close()
    assert _rss_mb() - before < 8, f"memory grew by {_rss_mb() - before:.1f} MB over 200 cycles"
