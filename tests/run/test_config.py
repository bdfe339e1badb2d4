"""A run's config: what a recipe's demonstrations accept and refuse."""

import pytest

from robo2d.run.config import ConfigError, load_config


def test_zero_demonstration_episodes_is_a_run_without_them():
    config = load_config("Robo2DIKPusher-v0", demonstrations={"episodes": 0, "noise": 0.1})
    assert config.demonstrations.episodes == 0


@pytest.mark.parametrize("noise", ["abc", True, -0.1])
def test_demonstration_noise_must_be_a_number_of_zero_or_more(noise):
    with pytest.raises(ConfigError, match="noise >= 0"):
        load_config("Robo2DIKPusher-v0", demonstrations={"episodes": 5, "noise": noise})
