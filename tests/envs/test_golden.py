"""The seven ids' contract: the recorded actions replay to the recorded steps, bit for bit.

tests/envs/golden/trajectories.json was recorded before the envs were recomposed from declared parts
(`python -m tests.envs.golden.record`); observations, rewards, flags and infos must stay identical.
"""

import json

import pytest

from tests.envs.golden.record import GOLDEN_FILE, cases, replay

GOLDEN = json.loads(GOLDEN_FILE.read_text())


def test_every_case_is_recorded():
    assert sorted(label for label, _ in cases()) == sorted(GOLDEN)


@pytest.mark.parametrize("label", sorted(GOLDEN))
def test_golden_trajectory(label):
    case = GOLDEN[label]
    digests = replay(label.split("/")[0], case["kwargs"], case["actions"])
    first_bad = next((i for i, (a, b) in enumerate(zip(digests, case["digests"])) if a != b), None)
    assert first_bad is None, f"{label}: step {first_bad} differs from the recording"
    assert len(digests) == len(case["digests"])
