"""Aggregates over training runs and their confidence intervals, for reports and studies."""

from __future__ import annotations

import numpy as np

# Aggregates over runs, as the rliable library defines them (Agarwal et al., 2021, "Deep Reinforcement
# Learning at the Edge of the Statistical Precipice"): scores are (runs, tasks) arrays; here a task is an
# env id and a run one training seed.
BOOTSTRAP_REPS = 10_000
BOOTSTRAP_SEED = 0  # the intervals are reproducible


def interquartile_mean(scores) -> float:
    """Mean of the middle half of all scores (int(n/4) cut from each end, as scipy's trim_mean(0.25)):
    robust to one lucky or failed run, unlike the mean, yet using half the runs, unlike the median."""
    values = np.sort(np.ravel(np.asarray(scores, dtype=float)))
    if values.size == 0:
        raise ValueError("an interquartile mean needs at least one score")
    cut = int(0.25 * values.size)
    return float(values[cut : values.size - cut].mean())


def _resampled(scores: np.ndarray, rng: np.random.Generator, reps: int) -> np.ndarray:
    """`reps` stratified bootstrap samples of a (runs, tasks) array: runs drawn with replacement within
    each task. Shape (reps, runs, tasks)."""
    runs, tasks = scores.shape
    picks = rng.integers(0, runs, size=(reps, runs, tasks))
    return np.take_along_axis(np.broadcast_to(scores, (reps, runs, tasks)), picks, axis=1)


def bootstrap_interval(
    scores, statistic=interquartile_mean, reps: int = BOOTSTRAP_REPS, seed: int = BOOTSTRAP_SEED
) -> tuple[float, float, float]:
    """(point estimate, low, high): the statistic and its 95% stratified-bootstrap percentile interval."""
    scores = np.asarray(scores, dtype=float).reshape(len(scores), -1)
    samples = _resampled(scores, np.random.default_rng(seed), reps)
    values = np.array([statistic(sample) for sample in samples])
    low, high = np.percentile(values, [2.5, 97.5])
    return statistic(scores), float(low), float(high)


def probability_of_improvement(x, y) -> float:
    """P(X > Y): the chance that a run of X scores above a run of Y on the same task (ties count half),
    averaged over tasks; the Mann-Whitney U statistic over n * m."""
    x = np.asarray(x, dtype=float).reshape(len(x), -1)
    y = np.asarray(y, dtype=float).reshape(len(y), -1)
    above = (x[:, None, :] > y[None, :, :]) + 0.5 * (x[:, None, :] == y[None, :, :])
    return float(above.mean(axis=(0, 1)).mean())


def improvement_interval(
    x, y, reps: int = BOOTSTRAP_REPS, seed: int = BOOTSTRAP_SEED
) -> tuple[float, float, float]:
    """(P(X > Y), low, high): both groups resampled independently (stratified by task)."""
    x = np.asarray(x, dtype=float).reshape(len(x), -1)
    y = np.asarray(y, dtype=float).reshape(len(y), -1)
    rng = np.random.default_rng(seed)
    xs, ys = _resampled(x, rng, reps), _resampled(y, rng, reps)
    values = np.array([probability_of_improvement(a, b) for a, b in zip(xs, ys)])
    low, high = np.percentile(values, [2.5, 97.5])
    return probability_of_improvement(x, y), float(low), float(high)
