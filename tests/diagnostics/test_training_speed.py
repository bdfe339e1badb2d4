"""Training speed tools: the HER buffer without info copies trains bit for bit like SB3's; the training
profile's parts and floor are what they claim."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from gymnasium.spaces import flatdim
from stable_baselines3 import HerReplayBuffer
from stable_baselines3.common.utils import set_random_seed

from robo2d.diagnostics.training_speed import (
    PARTS,
    UPDATE_PARTS,
    bench_training,
    format_profile,
    update_gflop,
)
from robo2d.rl.her import InfoTable, ReadOnlyInfo, ReadOnlyInfoHerReplayBuffer
from robo2d.rl.models import new_model, sac_arguments
from robo2d.run.config import RunConfig, apply_overrides, load_config
from robo2d.run.train import build_vec_env

SMALL = ["sac.learning_starts=150", "sac.batch_size=64", "sac.policy_kwargs.net_arch=[32,32]"]


def _trained(env_id: str, buffer_class, steps: int = 300, overrides: tuple[str, ...] = ()):
    config = apply_overrides(load_config(env_id, seed=3), [*SMALL, *overrides])
    set_random_seed(3)
    model = new_model(config.model, build_vec_env(config, gui=False), replay_buffer_class=buffer_class)
    model.learn(steps)
    set_random_seed(11)
    batch = model.replay_buffer.sample(64, model.get_vec_normalize_env())
    return model, batch


BUFFER_CASES = {
    "jaw": ("Robo2DKukaJawPickPlace-v0", 300, ()),
    "ik pusher": ("Robo2DIKPusher-v0", 300, ()),
    # 500 steps through a 230-transition buffer: old episodes are overwritten and dropped while sampling
    "wrapping buffer": ("Robo2DKukaJawPickPlace-v0", 500, ("sac.buffer_size=230",)),
}


@pytest.mark.parametrize("case", BUFFER_CASES)
def test_read_only_info_buffer_trains_bit_for_bit_like_sb3s(case):
    """Dense staged rewards read info terms, and the sampleable transitions are kept between batches:
    the relabelled rewards and the trained weights are equal to those with SB3's buffer."""
    env_id, steps, overrides = BUFFER_CASES[case]
    ours, our_batch = _trained(env_id, ReadOnlyInfoHerReplayBuffer, steps, overrides)
    sb3s, sb3_batch = _trained(env_id, HerReplayBuffer, steps, overrides)
    assert ours.replay_buffer.full == (case == "wrapping buffer")
    assert np.array_equal(ours.replay_buffer.ep_length, sb3s.replay_buffer.ep_length)
    assert isinstance(ours.replay_buffer.infos[0, 0], ReadOnlyInfo)
    assert isinstance(ours.replay_buffer.infos, InfoTable)
    assert np.array_equal(our_batch.rewards.numpy(), sb3_batch.rewards.numpy())
    theirs = sb3s.policy.state_dict()
    for name, tensor in ours.policy.state_dict().items():
        assert torch.equal(tensor, theirs[name]), name
    ours.env.close()
    sb3s.env.close()


def _updated(config: RunConfig, sac_class, steps: int = 260):
    """A model of `sac_class` trained `steps` env steps from the config's seed, and its parameters."""
    policy, kwargs = sac_arguments(config.model)
    set_random_seed(config.seed)
    env = build_vec_env(config, gui=False)
    model = sac_class(policy, env, seed=config.seed, verbose=0, **kwargs)
    model.learn(steps)
    return model, {**model.policy.state_dict(), "log_ent_coef": model.log_ent_coef.detach()}


CRITIC_GRADS_CASES = {
    "her": ("Robo2DReacher-v0", []),
    "shared extractor": ("Robo2DOneJoint-v0", ["sac.policy_kwargs.share_features_extractor=true"]),
    "drq images": (
        "Robo2DPixelReacher-v0",
        ["demonstrations=null", "sac.buffer_size=1000", "env_kwargs={'image_size': 40}", "sac.batch_size=16"],
    ),
}


@pytest.mark.parametrize("case", CRITIC_GRADS_CASES, ids=str)
def test_sparing_the_critics_weight_gradients_trains_bit_for_bit_like_sb3s_sac(case):
    """robo2d's SAC (critic frozen during the actor's backward pass) and SB3's own, from one seed: every
    parameter equal, and the critic trainable again after each update."""
    from stable_baselines3 import SAC as SB3SAC

    from robo2d.rl.sb3_sac import SAC

    env_id, overrides = CRITIC_GRADS_CASES[case]
    config = apply_overrides(load_config(env_id, seed=5), [*SMALL[:2], *overrides])
    ours, our_params = _updated(config, SAC)
    sb3s, sb3_params = _updated(config, SB3SAC)
    assert ours.num_timesteps == sb3s.num_timesteps and ours._n_updates > 0
    for name, tensor in our_params.items():
        assert torch.equal(tensor, sb3_params[name]), name
    assert all(p.requires_grad for p in ours.critic.parameters())
    ours.env.close()
    sb3s.env.close()


def test_read_only_info_is_its_own_deep_copy_and_still_a_dict():
    import copy

    info = ReadOnlyInfo({"is_success": True, "reward_grasp": 0.5})
    assert copy.deepcopy(info) is info
    assert info.get("TimeLimit.truncated", False) is False and info["reward_grasp"] == 0.5


def test_info_table_copies_shallowly_and_old_pickles_load_into_one():
    import copy
    import pickle

    table = np.array([[ReadOnlyInfo(a=1.0)], [ReadOnlyInfo(a=2.0)]]).view(InfoTable)
    batch = table[np.array([1, 1]), np.array([0, 0])]
    copied = copy.deepcopy(batch)
    assert type(copied) is np.ndarray and copied[0] is table[1, 0] and copied is not batch
    buffer = ReadOnlyInfoHerReplayBuffer.__new__(ReadOnlyInfoHerReplayBuffer)
    state = {"infos": np.asarray(table).copy()}  # as a buffer pickled before the table
    buffer.__setstate__(pickle.loads(pickle.dumps(state)))
    assert isinstance(buffer.infos, InfoTable) and buffer.infos[1, 0]["a"] == 2.0


def _mlp_gflop(batch: int, sizes: list[int]) -> float:
    return 2 * batch * sum(a * b for a, b in zip(sizes, sizes[1:], strict=False)) / 1e9


def test_update_flops_are_every_matrix_product_of_a_sac_update():
    """Actor forward twice (current, next observations), six Q forwards (two target, two current, two on
    the policy's actions), backward twice a forward (weights and inputs) for the two Q nets of the critic
    loss and the actor, input gradients only for the two Q nets of the actor loss (robo2d's SAC spares
    the critic's weight gradients there); the first layers' input gradients are not needed when only
    observations enter them."""
    config = apply_overrides(load_config("Robo2DReacher-v0", seed=0), SMALL)
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
    overrides = [*SMALL, f"backend={backend}", f"sac.train_freq={every}"]
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
