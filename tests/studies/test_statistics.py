"""Reported intervals against published values."""

import numpy as np
import pytest

from robo2d.studies.statistics import (
    _resampled,
    bootstrap_interval,
    improvement_interval,
    interquartile_mean,
    probability_of_improvement,
)


def test_interquartile_mean_is_scipys_trim_mean_of_a_quarter():
    """rliable's IQM is scipy.stats.trim_mean(scores, 0.25) over all runs and tasks: int(n / 4) cut
    from each end of the sorted scores (values worked out by hand)."""
    assert interquartile_mean(range(1, 9)) == 4.5  # mean of 3, 4, 5, 6
    assert interquartile_mean(range(100)) == 49.5  # mean of 25..74
    assert interquartile_mean([[0.0, 1.0], [0.5, 0.9], [0.2, 0.3]]) == pytest.approx(0.475)  # 0.2-0.9
    assert interquartile_mean([3.0, 0.0, 1.0, 100.0, 2.0]) == 2.0  # cut 1 each end: mean of 1, 2, 3
    assert interquartile_mean([0.7]) == 0.7
    with pytest.raises(ValueError):
        interquartile_mean([])


def test_probability_of_improvement_counts_pairs_and_half_ties():
    assert probability_of_improvement([1, 2], [2, 3]) == 0.125  # pairs: 0, 0, 1/2, 0
    assert probability_of_improvement([1, 2, 3], [0, 0, 0]) == 1.0
    assert probability_of_improvement([0.5, 0.5], [0.5, 0.5]) == 0.5
    # two tasks (columns): averaged per task
    assert probability_of_improvement([[1, 0], [1, 0]], [[0, 1], [0, 1]]) == 0.5


def test_bootstrap_intervals_are_stratified_reproducible_and_contain_the_estimate():
    constant = bootstrap_interval([0.8] * 5)
    assert constant == pytest.approx((0.8, 0.8, 0.8))
    scores = [0.2, 0.5, 0.9, 0.95, 1.0, 0.6]
    point, low, high = bootstrap_interval(scores)
    assert low <= point <= high and 0.2 <= low < high <= 1.0
    assert bootstrap_interval(scores) == (point, low, high)  # seeded
    mean = lambda sample: float(np.mean(sample))  # noqa: E731
    # stratified: runs are resampled within each task (column), not pooled across tasks ...
    assert bootstrap_interval([[0.0, 1.0], [0.0, 1.0]], statistic=mean) == (0.5, 0.5, 0.5)
    # ... and independently per task, not as whole rows (which would only give means 0, 1/2, 1)
    means = _resampled(np.array([[0.0, 0.0], [1.0, 1.0]]), np.random.default_rng(0), 2000).mean(axis=(1, 2))
    assert set(np.unique(means)) == {0.0, 0.25, 0.5, 0.75, 1.0}
    p, lo, hi = improvement_interval([0.9, 0.95, 1.0], [0.1, 0.2, 0.3])
    assert (p, lo, hi) == (1.0, 1.0, 1.0)
