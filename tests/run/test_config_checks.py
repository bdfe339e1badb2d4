"""A config SAC, HER or the seed streams would refuse is refused before a run folder exists, in one
line that names the entry, whose argument it is not, and the closest valid name."""

import pytest
import yaml

from robo2d.run.config import (
    ConfigError,
    RunConfig,
    apply_overrides,
    load_config,
    read_config,
    recipe_env_id,
    save_config,
)
from robo2d.run.config_checks import check_arguments
from robo2d.run.seeds import STREAM_WIDTH, check_seeds


def _check(*overrides: str, env_id: str = "Robo2DReacher-v0", seed: int = 0) -> None:
    check_arguments(apply_overrides(load_config(env_id, seed=seed), list(overrides)))


@pytest.mark.parametrize("seed", [True, 1.5, -1, "3"], ids=repr)
def test_a_seed_that_is_not_a_whole_number_from_0_is_refused(seed):
    with pytest.raises(ValueError, match=r"the seed must be a whole number >= 0, got "):
        check_seeds(seed, 10, "evaluation")


def test_episodes_may_reach_the_last_seed_of_their_stream_and_not_past_it():
    """Episode i of seed s uses seed s + i of the stream: 100 episodes from 999,900 end at 999,999."""
    check_seeds(STREAM_WIDTH - 100, 100, "evaluation")
    message = (
        r"seed 999901 \+ 100 evaluation episodes reaches past 1,000,000, where the next seed stream begins "
        r"\(robo2d.run.seeds\); use a seed of at most 999,900"
    )
    with pytest.raises(ValueError, match=message):
        check_seeds(STREAM_WIDTH - 99, 100, "evaluation")


def test_a_run_seed_whose_evaluations_or_demonstrations_leave_their_stream_is_refused():
    """The reacher evaluates 100 episodes a time; 1,000 demonstrations from 999,000 end at the stream's
    last seed, from 999,001 one past it."""
    seed = STREAM_WIDTH - 1000
    _check(seed=seed)
    _check("demonstrations={'episodes': 1000}", seed=seed)
    with pytest.raises(ConfigError, match=r"\+ 1001 demonstration episodes reaches past"):
        _check("demonstrations={'episodes': 1001}", seed=seed + 1)
    with pytest.raises(ConfigError, match=r"\+ 100 periodic evaluation episodes reaches past"):
        _check(seed=STREAM_WIDTH - 99)


@pytest.mark.parametrize("key", ["self", "policy", "env"])
def test_sacs_own_positional_arguments_are_not_config_entries(key):
    """The policy and env come from the config's policy and env_id, so `sac.policy` is a mistake."""
    with pytest.raises(ConfigError, match=rf"^sac\.{key} is not an argument of SB3's SAC\."):
        _check("backend=sb3", f"sac.{key}=1")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "sac.learnin_rate=1",
            r"^sac\.learnin_rate is not an argument of SB3's SAC\. Did you mean sac\.learning_rate\?$",
        ),
        ("sac.zzzzzz=1", r"^sac\.zzzzzz is not an argument of SB3's SAC\.$"),
        (
            "her.n_sampled_goals=2",
            r"^her\.n_sampled_goals is not an argument of SB3's HerReplayBuffer\. "
            r"Did you mean her\.n_sampled_goal\?$",
        ),
    ],
    ids=["close", "nothing-close", "her"],
)
def test_an_unknown_entry_names_its_owner_and_the_closest_name_if_any(entry, message):
    with pytest.raises(ConfigError, match=message):
        _check("backend=sb3", entry)


def test_sbx_refuses_stacked_frames():
    pytest.importorskip("sbx")
    with pytest.raises(ConfigError, match="with frame_stack: use backend: sb3"):
        _check("backend=sbx", "frame_stack=2")


def test_oracle_demonstrations_ask_for_one_env():
    with pytest.raises(ConfigError, match=r"^demonstrations are added for one env: set n_envs: 1$"):
        _check("demonstrations={'episodes': 2}", "n_envs=2")


def test_a_runs_config_file_keeps_the_configs_order(tmp_path):
    """config.yaml reads as the recipe does (env id first, then the budget), not sorted by name."""
    config = load_config("Robo2DReacher-v0", seed=0)
    save_config(config, tmp_path / "config.yaml")
    saved = list(yaml.safe_load((tmp_path / "config.yaml").read_text()))
    assert saved == list(config.to_dict()) and saved[0] == "env_id"
    assert read_config(tmp_path / "config.yaml") == config


def test_a_saved_config_states_its_seed_and_her_even_when_unset():
    """Other unset entries are left out of config.yaml; `seed` and `her` are written as null, so a run
    without HER says so, and the dict is the config's own copy."""
    config = apply_overrides(load_config("Robo2DReacher-v0"), ["her=null"])
    data = config.to_dict()
    assert data["seed"] is None and data["her"] is None
    assert [k for k, v in data.items() if v is None] == ["seed", "her"]
    data["sac"]["gamma"] = 0.5
    assert config.sac["gamma"] != 0.5


def test_an_override_value_may_hold_an_equals_sign():
    config = apply_overrides(load_config("Robo2DReacher-v0"), ["env_kwargs={'robot': 'arms/a=b.urdf'}"])
    assert config.env_kwargs["robot"] == "arms/a=b.urdf"


@pytest.mark.parametrize("minutes", [0.5, 1, 90, None], ids=repr)
def test_a_wall_clock_limit_may_be_any_positive_number_of_minutes_or_none(minutes):
    assert load_config("Robo2DReacher-v0", max_wall_minutes=minutes).max_wall_minutes == minutes


@pytest.mark.parametrize("minutes", [0, -1, "ten", True], ids=repr)
def test_a_wall_clock_limit_of_no_time_or_not_a_number_is_refused(minutes):
    message = rf"^max_wall_minutes must be a positive number of minutes or null, got {minutes!r}$"
    with pytest.raises(ConfigError, match=message):
        load_config("Robo2DReacher-v0", max_wall_minutes=minutes)


@pytest.mark.parametrize("seed", [-1, -(2**40), 1.0, "7"], ids=repr)
def test_a_configs_seed_below_zero_or_not_whole_is_refused_as_it_is_read(seed):
    with pytest.raises(ConfigError, match=rf"^seed must be a whole number >= 0 or null, got {seed!r}$"):
        load_config("Robo2DReacher-v0", seed=seed)


def test_one_frame_is_a_frame_stack_and_none_is_refused():
    assert load_config("Robo2DPixelReacher-v0", frame_stack=1).frame_stack == 1
    with pytest.raises(ConfigError, match=r"^frame_stack must be a whole number >= 1 or null, got 0$"):
        load_config("Robo2DPixelReacher-v0", frame_stack=0)


def test_a_recipe_trains_the_env_named_up_to_its_first_dot():
    assert recipe_env_id("Robo2DReacher-v0.fast.lr3") == "Robo2DReacher-v0"
    assert recipe_env_id("Robo2DReacher-v0") == "Robo2DReacher-v0"


def test_a_config_made_from_data_shares_no_entry_with_it():
    """Changing a config's SAC or HER arguments leaves the data it was made from as it was."""
    data = {"env_id": "Robo2DReacher-v0", "sac": {"learning_rate": 0.001}, "her": {"n_sampled_goal": 4}}
    config = RunConfig.from_dict(data)
    config.sac["learning_rate"], config.her["n_sampled_goal"] = 0.1, 8
    assert data["sac"] == {"learning_rate": 0.001} and data["her"] == {"n_sampled_goal": 4}
