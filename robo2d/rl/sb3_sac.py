"""SB3's SAC with the actor's update spared the critic's weight gradients (same training, bit for bit).

SB3's ``SAC.train`` backpropagates the actor loss through the critic (its Q-values of the actor's
actions) with the critic's parameters still requiring gradients, so every actor step also computes the
critic's weight gradients, which the critic's next ``zero_grad`` then throws away. For an image config
that is the backward pass of its encoder's convolutions as well. Here the critic's parameters stop
requiring gradients after each critic optimiser step and require them again after the actor's step:
the actor's gradients, and so every parameter, come out the same (`tests/diagnostics/test_training_speed.py`),
with less arithmetic. SB3's training loop itself is unchanged; only optimiser step hooks are added.
"""

from __future__ import annotations

from stable_baselines3 import SAC as SB3SAC


class SAC(SB3SAC):
    """SB3's SAC whose actor loss backpropagates through the critic without its weight gradients."""

    def _setup_model(self) -> None:
        super()._setup_model()  # also what load() calls, so a loaded model gets the hooks too
        self.critic.optimizer.register_step_post_hook(lambda *_: self._critic_needs_grad(False))
        self.actor.optimizer.register_step_post_hook(lambda *_: self._critic_needs_grad(True))

    def _critic_needs_grad(self, needed: bool) -> None:
        """Only the critic's own parameters: one it shares with the actor (SB3's
        share_features_extractor) is trained by the actor loss."""
        actor = {id(p) for p in self.actor.parameters()}
        for parameter in self.critic.parameters():
            if id(parameter) not in actor:
                parameter.requires_grad_(needed)

    def train(self, gradient_steps: int, batch_size: int = 64) -> None:
        try:
            super().train(gradient_steps, batch_size)
        finally:  # an update stopped between the two steps leaves the critic trainable
            self._critic_needs_grad(True)
