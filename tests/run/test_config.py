"""A run's config: what a recipe's demonstrations accept and refuse, and which backend it trains with."""

import importlib.util
import sys
from importlib.machinery import ModuleSpec

import pytest

from robo2d.rl.backends import JAX_HINT
from robo2d.run.config import ConfigError, load_config
from robo2d.run.config_checks import _fallback_note, with_installed_backend


def test_zero_demonstration_episodes_is_a_run_without_them():
    config = load_config("Robo2DIKPusher-v0", demonstrations={"episodes": 0, "noise": 0.1})
    assert config.demonstrations.episodes == 0


@pytest.mark.parametrize("noise", ["abc", True, -0.1])
def test_demonstration_noise_must_be_a_number_of_zero_or_more(noise):
    with pytest.raises(ConfigError, match="noise >= 0"):
        load_config("Robo2DIKPusher-v0", demonstrations={"episodes": 5, "noise": noise})


def test_a_config_for_sbx_falls_back_to_sb3_where_sbx_is_missing_with_one_note(monkeypatch, capsys):
    """Where SBX cannot be imported, a recipe naming it trains the same SAC with SB3 after one line per
    process; configs for SB3, configs needing SBX itself and all configs where SBX is there stay as given."""
    sbx = load_config("Robo2DReacher-v0", backend="sbx")
    sb3 = load_config("Robo2DReacher-v0", backend="sb3")
    flax = load_config("Robo2DReacher-v0", backend="sbx", network_init="flax")
    monkeypatch.setitem(sys.modules, "sbx", importlib.util.module_from_spec(ModuleSpec("sbx", None)))
    assert with_installed_backend(sbx) is sbx and capsys.readouterr().out == ""
    monkeypatch.setitem(sys.modules, "sbx", None)
    _fallback_note.cache_clear()
    fallen = [with_installed_backend(sbx) for _ in range(2)]
    assert all(c == sbx.replace(backend="sb3") for c in fallen)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("[backend]") and JAX_HINT in out, out
    assert with_installed_backend(sb3) is sb3 and with_installed_backend(flax) is flax
    assert capsys.readouterr().out == ""
