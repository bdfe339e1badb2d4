"""A model built without a TensorBoard folder (`robo2d bench --training`, scripts) writes no files."""

from __future__ import annotations

import tempfile

import pytest

from robo2d.rl.models import new_model
from robo2d.run.config import apply_overrides, load_config
from robo2d.run.train import build_vec_env


@pytest.mark.parametrize("backend", ["sb3", "sbx"])
def test_training_without_a_tensorboard_folder_makes_no_temp_folder(backend, tmp_path, monkeypatch):
    if backend == "sbx":
        pytest.importorskip("sbx")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where SB3's default logger makes its folder
    overrides = [f"backend={backend}", "sac.learning_starts=210", "sac.policy_kwargs.net_arch=[16,16]"]
    config = apply_overrides(load_config("Robo2DOneJoint-v0"), overrides)
    env = build_vec_env(config, gui=False)
    model = new_model(config.model, env)
    model.learn(220)
    env.close()
    assert model.num_timesteps == 220
    assert [p.name for p in tmp_path.glob("SB3-*")] == []  # SB3's default logger's folder
