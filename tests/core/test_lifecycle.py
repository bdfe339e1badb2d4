"""close() is idempotent and frees the PyBullet client: no growth over many make/close cycles."""

import resource

import pybullet as pb
import pytest

LEAK_MB_PER_CYCLE = 0.04  # what a soak tolerates: allocator noise, never a client or a body


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


@pytest.mark.slow  # a soak: 220 make/close cycles per id, 120 per other arm
def test_many_make_close_cycles_do_not_leak(case):
    """At most 40 kB a cycle (8 MB over 200): a leak of a client, a body or a file's shapes shows in
    tens of cycles; another arm takes the same path with other files, so it soaks half as long."""
    cycles = 100 if case.robot else 200
    for _ in range(20):  # warm up allocators and caches
        case.make().close()
    before = _rss_mb()
    for _ in range(cycles):
        env = case.make()
        env.reset(seed=0)
        env.step(env.action_space.sample())
        env.close()
    grown = _rss_mb() - before
    assert grown < LEAK_MB_PER_CYCLE * cycles, f"memory grew by {grown:.1f} MB over {cycles} cycles"
