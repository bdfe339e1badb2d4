"""Reset-seed streams: which seeds each kind of episode starts from, so that none shares a start state.

For run seed ``s`` and episode ``i`` of a stream:

====================================  ================================  ====================================
stream                                reset seeds                       used by
====================================  ================================  ====================================
training                              ``s + k`` for env k's first       SB3's ``make_vec_env``; later
                                      episode                           episodes draw from the env's own
                                                                        generator, not from an integer seed
held-out evaluation                   ``1,000,000 + seed + i``          ``robo2d evaluate``, ``record``,
                                                                        ``robustness`` (their ``--seed``)
demonstrations                        ``2,000,000 + s + i``             oracle episodes in the replay buffer
periodic evaluation                   ``3,000,000 + s + i``             ``evaluations.csv`` and ``best/``
training after a mid-episode resume   ``5,000,000 + (s + 1) * 7,919     the resumed envs' first episodes
                                      + steps``
====================================  ================================  ====================================

The streams are disjoint while ``s + i < 1,000,000`` (`STREAM_WIDTH`); `check_seeds` refuses a config
beyond that. Runs before this layout used ``1,000,000 + s + i`` for both demonstrations and periodic
evaluation, so their evaluations started from demonstrated states.
"""

from __future__ import annotations

STREAM_WIDTH = 1_000_000
HELD_OUT = 1_000_000
DEMONSTRATION = 2_000_000
PERIODIC_EVALUATION = 3_000_000
RESUMED_TRAINING = 5_000_000
RESUME_STRIDE = 7_919  # a prime: resumes of nearby runs and steps do not share seeds


def stream_seeds(stream: int, seed: int, episodes: int) -> range:
    """The reset seeds of `episodes` episodes of one stream for run (or evaluation) seed `seed`."""
    return range(stream + seed, stream + seed + episodes)


def resume_seed(seed: int, timesteps: int) -> int:
    """Seed of the training envs' new episodes after a mid-episode resume: not the run seed's episodes."""
    return RESUMED_TRAINING + (seed + 1) * RESUME_STRIDE + timesteps


def check_seeds(seed: int, episodes: int, what: str) -> None:
    """ValueError unless `episodes` episodes from `seed` stay inside their stream."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"the seed must be a whole number >= 0, got {seed!r}")
    if seed + episodes > STREAM_WIDTH:
        raise ValueError(
            f"seed {seed} + {episodes} {what} episodes reaches past {STREAM_WIDTH:,}, where the next seed "
            f"stream begins (robo2d.run.seeds); use a seed of at most {STREAM_WIDTH - episodes:,}"
        )
