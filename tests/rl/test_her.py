"""robo2d's HER buffer: infos stored read-only and sampleable transitions kept between batches, with the
same samples and the same trained weights as SB3's HerReplayBuffer."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch
from stable_baselines3 import HerReplayBuffer
from stable_baselines3.common.utils import set_random_seed

from robo2d.rl.her import InfoTable, ReadOnlyInfo, ReadOnlyInfoHerReplayBuffer
from robo2d.rl.models import new_model
from robo2d.run.config import apply_overrides, load_config
from robo2d.run.train import build_vec_env
from tests.rl import SMALL_SAC


def _trained(env_id: str, buffer_class, steps: int = 300, overrides: tuple[str, ...] = ()):
    config = apply_overrides(load_config(env_id, seed=3), [*SMALL_SAC, *overrides])
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


def test_read_only_info_is_its_own_deep_copy_and_still_a_dict():
    info = ReadOnlyInfo({"is_success": True, "reward_grasp": 0.5})
    assert copy.deepcopy(info) is info
    assert info.get("TimeLimit.truncated", False) is False and info["reward_grasp"] == 0.5


def test_info_table_copies_shallowly_and_old_pickles_load_into_one():
    table = np.array([[ReadOnlyInfo(a=1.0)], [ReadOnlyInfo(a=2.0)]]).view(InfoTable)
    batch = table[np.array([1, 1]), np.array([0, 0])]
    copied = copy.deepcopy(batch)
    assert type(copied) is np.ndarray and copied[0] is table[1, 0] and copied is not batch
    buffer = ReadOnlyInfoHerReplayBuffer.__new__(ReadOnlyInfoHerReplayBuffer)
    state = {"infos": np.asarray(table).copy()}  # as a buffer pickled before the table
    buffer.__setstate__(pickle.loads(pickle.dumps(state)))
    assert isinstance(buffer.infos, InfoTable) and buffer.infos[1, 0]["a"] == 2.0


def test_updates_before_a_finished_episode_say_what_to_change():
    """The one-joint's episodes last 50 steps: updating from step 20 finds no finished episode to relabel,
    and the error says so and what to set, not NumPy's empty-choice error."""
    config = apply_overrides(
        load_config("Robo2DOneJoint-v0", seed=0), ["backend=sb3", "sac.learning_starts=20"]
    )
    model = new_model(config.model, build_vec_env(config, gui=False))
    with pytest.raises(
        RuntimeError, match=r"no finished episode; set learning_starts above the env's episode"
    ):
        model.learn(40)
