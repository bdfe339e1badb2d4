"""Every trained agent shipped in robo2d's agents/ still solves its task (seeds no stored result uses)."""

import pytest

from robo2d.run.config import agents_dir, recipes
from robo2d.run.environment import make_env
from robo2d.run.evaluation import evaluate_policy
from robo2d.run.loading import load_agent

SHIPPED = [name for name in recipes() if (agents_dir() / f"{name}.zip").is_file()]  # ids, ID.VARIANTs
EPISODES = 20
MIN_SUCCESS = 0.85  # the stored 200-episode held-out figures (docs/results) are higher


def test_some_agents_are_shipped():
    assert {"Robo2DReacher-v0", "Robo2DKukaSuctionPickPlace-v0"} <= set(SHIPPED)


@pytest.mark.parametrize("env_id", SHIPPED)
def test_shipped_agent_succeeds(env_id, no_unpickling):
    agent, config = load_agent(env_id)  # nothing in the shipped files is unpickled
    env = make_env(config)
    result = evaluate_policy(agent, env, EPISODES, seed=10_000)
    env.close()
    assert result.success_rate >= MIN_SUCCESS, f"{env_id}: {result.success_rate:.2f} over {EPISODES}"
