"""SBX's SAC networks, started from PyTorch's initialisation instead of Flax's (``network_init: pytorch``).

Flax's dense layers start with LeCun-normal weights and zero biases; PyTorch's ``nn.Linear``, which SB3's
networks use, with weights and biases uniform in ±1/sqrt(fan_in): a third of the weight variance and
biases that are not zero. A recipe tuned on SB3 therefore starts from a different initial policy and
critic under SBX. These modules are SBX's own actor and critic (same layers, same parameter names, so
parameters saved from either load into the other) with PyTorch's initial distribution.
"""

from __future__ import annotations

import flax.linen as nn
import jax
import jax.numpy as jnp
from sbx.common.policies import ContinuousCritic as SBXContinuousCritic
from sbx.common.policies import Flatten, SquashedGaussianActor, TanhTransformedDistribution, VectorCritic
from tensorflow_probability.substrates.jax import distributions as tfd

TORCH_KERNEL_INIT = jax.nn.initializers.variance_scaling(1 / 3, "fan_in", "uniform")  # U(±1/sqrt(fan_in))


def torch_dense(features: int, fan_in: int) -> nn.Dense:
    """A dense layer initialised as PyTorch's nn.Linear(fan_in, features)."""
    bound = 1.0 / fan_in**0.5

    def bias_init(key, shape, dtype=jnp.float32):
        return jax.random.uniform(key, shape, dtype, -bound, bound)

    return nn.Dense(features, kernel_init=TORCH_KERNEL_INIT, bias_init=bias_init)


class TorchInitActor(SquashedGaussianActor):
    """SBX's squashed Gaussian actor (mean and log-std heads on an MLP) with PyTorch's initialisation."""

    @nn.compact
    def __call__(self, x: jnp.ndarray) -> tfd.Distribution:
        x = Flatten()(x)
        for n_units in self.net_arch:
            x = self.activation_fn(torch_dense(n_units, x.shape[-1])(x))
        mean = torch_dense(self.action_dim, x.shape[-1])(x)
        log_std = jnp.clip(torch_dense(self.action_dim, x.shape[-1])(x), self.log_std_min, self.log_std_max)
        return TanhTransformedDistribution(tfd.MultivariateNormalDiag(loc=mean, scale_diag=jnp.exp(log_std)))


class ContinuousCritic(SBXContinuousCritic):
    """SBX's Q network with PyTorch's initialisation (named as SBX's: the vmapped parameters keep their
    names, so parameters load across both)."""

    @nn.compact
    def __call__(self, x: jnp.ndarray, action: jnp.ndarray) -> jnp.ndarray:
        x = jnp.concatenate([Flatten()(x), action], -1)
        for n_units in self.net_arch:
            x = torch_dense(n_units, x.shape[-1])(x)
            if self.dropout_rate is not None and self.dropout_rate > 0:
                x = nn.Dropout(rate=self.dropout_rate)(x, deterministic=False)
            if self.use_layer_norm:
                x = nn.LayerNorm()(x)
            x = self.activation_fn(x)
        return torch_dense(self.output_dim, x.shape[-1])(x)


class TorchInitVectorCritic(VectorCritic):
    """SBX's ensemble of independent critics (vmapped), each initialised as PyTorch's."""

    @nn.compact
    def __call__(self, obs: jnp.ndarray, action: jnp.ndarray) -> jnp.ndarray:
        critics = nn.vmap(
            ContinuousCritic,
            variable_axes={"params": 0},
            split_rngs={"params": True, "dropout": True},
            in_axes=None,
            out_axes=0,
            axis_size=self.n_critics,
        )
        return critics(
            use_layer_norm=self.use_layer_norm,
            dropout_rate=self.dropout_rate,
            net_arch=self.net_arch,
            activation_fn=self.activation_fn,
            output_dim=self.output_dim,
        )(obs, action)
