"""The results pages' tables are the ones computed from the stored result files, not numbers typed in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from robo2d.run.eval_log import Run
from tools.result_tables import TABLES, evaluate_results, first_at
from tools.results_pages import OUT_DIR, all_tables, used_tables

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = "\n".join(path.read_text() for path in sorted((DOCS / OUT_DIR).glob("*.md")))


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_results_pages_have_every_row_of_the_stored_results(name):
    rows = TABLES[name]().splitlines()
    assert rows, f"{name}: no stored results"
    for row in rows:
        assert row in PAGES, f"docs/{OUT_DIR} lacks {name}'s row {row} (python -m tools.docs_pages)"


def test_every_table_is_on_a_page():
    assert used_tables() == set(all_tables())


def test_first_evaluation_at_a_rate():
    run = Run("r", np.array([1000, 2000, 3000]), np.array([0.5, 0.95, 1.0]), np.zeros(3))
    assert first_at(run, 0.95) == "2k" and first_at(run, 0.9) == "2k"
    assert first_at(run, 1.01) == "not reached"


def test_evaluate_lines_are_read_by_label_or_id(tmp_path):
    line = (
        "Robo2DReacher-v0: success rate 0.980 (95% Wilson interval 0.930-0.994), mean return -1.883 over 100"
        " deterministic episodes, reset seeds 1005000-1005099"
    )
    (tmp_path / "a.txt").write_text(f"# header\nseed 3: {line}\n{line}\n")
    found = evaluate_results(tmp_path / "a.txt")
    assert found["seed 3"]["rate"] == "0.980" and found["Robo2DReacher-v0"]["low"] == "0.930"
    assert found["seed 3"]["n"] == "100" and found["seed 3"]["ret"] == "-1.883"
