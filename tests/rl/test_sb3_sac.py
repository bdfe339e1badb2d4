"""robo2d's SAC spares the critic's weight gradients in the actor's update and trains bit for bit like
SB3's own."""

from __future__ import annotations

import pytest
import torch
from stable_baselines3.common.utils import set_random_seed

from robo2d.rl.models import sac_arguments
from robo2d.run.config import RunConfig, apply_overrides, load_config
from robo2d.run.train import build_vec_env
from tests.rl import SMALL_SAC


def _updated(config: RunConfig, sac_class, steps: int = 260):
    """A model of `sac_class` trained `steps` env steps from the config's seed, and its parameters."""
    policy, kwargs = sac_arguments(config.model)
    set_random_seed(config.seed)
    env = build_vec_env(config, gui=False)
    model = sac_class(policy, env, seed=config.seed, verbose=0, **kwargs)
    model.learn(steps)
    return model, {**model.policy.state_dict(), "log_ent_coef": model.log_ent_coef.detach()}


CRITIC_GRADS_CASES = {
    "her": ("Robo2DReacher-v0", ["backend=sb3"]),  # the recipes of these two name SBX
    "shared extractor": (
        "Robo2DOneJoint-v0",
        ["backend=sb3", "sac.policy_kwargs.share_features_extractor=true"],
    ),
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
    config = apply_overrides(load_config(env_id, seed=5), [*SMALL_SAC[:2], *overrides])
    ours, our_params = _updated(config, SAC)
    sb3s, sb3_params = _updated(config, SB3SAC)
    assert ours.num_timesteps == sb3s.num_timesteps and ours._n_updates > 0
    for name, tensor in our_params.items():
        assert torch.equal(tensor, sb3_params[name]), name
    assert all(p.requires_grad for p in ours.critic.parameters())
    ours.env.close()
    sb3s.env.close()
