"""The success rate's interval every evaluation reports, against published values."""

import pytest

from robo2d.run.evaluation import wilson_interval


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [  # Wilson score intervals (95%) as tabulated by Newcombe (1998), Table I, and common calculators
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_wilson_interval_matches_published_values(successes, trials, low, high):
    got = wilson_interval(successes, trials)
    assert got == pytest.approx((low, high), abs=1e-4)


def test_wilson_interval_refuses_impossible_counts():
    with pytest.raises(ValueError, match="at least one trial"):
        wilson_interval(0, 0)
    with pytest.raises(ValueError, match="within 0-10"):
        wilson_interval(11, 10)


def test_wilson_interval_contains_the_rate_at_the_ends():
    for trials in (1, 7, 100, 263):
        assert wilson_interval(trials, trials)[1] == 1.0 and wilson_interval(0, trials)[0] == 0.0
