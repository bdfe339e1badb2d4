"""Training and evaluating under randomisation, and the robustness report."""

import csv

from robo2d.cli import main
from robo2d.run.config import read_config
from robo2d.studies.robustness import evaluate_conditions, sweep_conditions, write_results
from tests.run.test_training import _cli_fails, _curve, _weights, robo2d

SMALL = ["--timesteps", "600", "--set", "eval_freq=600", "--set", "eval_episodes=2", "--no-progress"]
SMALL += ["--set", "sac.learning_starts=300"]


def test_a_config_trains_under_randomization_reproducibly(tmp_path):
    """env_kwargs.randomize reaches the training envs (a different run than nominal), bit for bit by seed."""
    randomized = [*SMALL, "--set", "env_kwargs.randomize=true", "--seed", "0"]
    for name in ("a", "b"):
        main(["train", "Robo2DReacher-v0", *randomized, "--run-dir", str(tmp_path / name)])
    main(["train", "Robo2DReacher-v0", *SMALL, "--seed", "0", "--run-dir", str(tmp_path / "nominal")])
    assert read_config(tmp_path / "a" / "config.yaml").env_kwargs == {"randomize": True}
    assert _weights(tmp_path / "a") == _weights(tmp_path / "b") and _curve(tmp_path / "a") == _curve(
        tmp_path / "b"
    )
    assert _weights(tmp_path / "a") != _weights(tmp_path / "nominal")


def test_robustness_rows_table_and_plot(tmp_path):
    conditions = {"nominal": {"randomize": False}, **sweep_conditions("action_delay", [0, 3])}
    rows = evaluate_conditions({"shipped": "Robo2DReacher-v0"}, conditions, episodes=4, seed=5000)
    by_condition = {r.condition: r for r in rows}
    # a fixed delay of 0 with everything else as modelled is the nominal env: the same episodes
    assert by_condition["action_delay=0"].success_rate == by_condition["nominal"].success_rate
    assert all(r.low <= r.success_rate <= r.high and r.first_seed == 1_005_000 for r in rows)
    write_results(rows, tmp_path, "Robo2DReacher-v0")
    table = (tmp_path / "table.md").read_text()
    assert "| shipped |" in table and "action_delay=3" in table and "1005000-1005003" in table
    assert len(list(csv.DictReader((tmp_path / "rows.csv").open()))) == 3
    assert (tmp_path / "sensitivity.png").stat().st_size > 0


def test_robustness_command(tmp_path):
    out = robo2d(
        "robustness",
        "Robo2DOneJoint-v0",
        "--episodes",
        "2",
        "--sweep",
        "motor_force=0.5,1",
        "--out",
        str(tmp_path),
    )
    assert "randomized" in out and (tmp_path / "sensitivity.png").is_file()
    _cli_fails(["robustness", "Robo2DOneJoint-v0", "--agent", "nolabel"], "LABEL=")
    _cli_fails(["robustness", "Robo2DOneJoint-v0", "--sweep", "motor_force"], "NAME=v1,v2")
    _cli_fails(
        ["robustness", "Robo2DOneJoint-v0", "--sweep", "bogus=1,2", "--episodes", "1"], "bogus", "Valid"
    )
