"""`robo2d report`: groups found on disk, scored at their budget, summarised and compared."""

import pytest

from robo2d.cli import main
from robo2d.studies.report import find_runs, load_group


def _run(folder, rows):
    folder.mkdir(parents=True)
    lines = ["timesteps,success_rate,mean_return,wall_seconds"]
    lines += [f"{t},{s},{r},1.0" for t, s, r in rows]
    (folder / "evaluations.csv").write_text("\n".join(lines) + "\n")


@pytest.fixture
def sweep(tmp_path):
    """Two groups: A, four seeds (one stopped early); B, three seeds, worse."""
    for seed, final in enumerate([1.0, 0.9, 0.8, 0.2]):
        rows = [(100, 0.1, -5.0), (200, final, -1.0 - seed)]
        _run(tmp_path / "A" / f"seed{seed}", rows if seed < 3 else rows + [(300, 0.0, -9.0)])
    (tmp_path / "A" / "seed0" / "best").mkdir()
    (tmp_path / "A" / "seed0" / "best" / "evaluations.csv").write_text("not a run")
    for seed, final in enumerate([0.5, 0.4, 0.3]):
        _run(tmp_path / "B" / "trials" / f"seed{seed}", [(100, 0.0, -6.0), (200, final, -3.0)])
    return tmp_path


def test_groups_are_found_two_levels_deep_without_best(sweep):
    assert [p.parent.name for p in find_runs(str(sweep / "A"))] == ["seed0", "seed1", "seed2", "seed3"]
    assert len(find_runs(str(sweep / "B"))) == 3
    assert len(find_runs(str(sweep / "A" / "seed*" / "evaluations.csv"))) == 4
    with pytest.raises(FileNotFoundError, match="no evaluations.csv"):
        find_runs(str(sweep / "nothing"))


def test_runs_are_scored_at_the_last_step_all_reached(sweep):
    group = load_group(str(sweep / "A"))
    assert group.budget == 200  # seed3 went on to 300, the others stopped at 200
    assert list(group.at(group.budget)) == [1.0, 0.9, 0.8, 0.2]


def test_report_tables_and_curves(sweep, capsys):
    out = sweep / "report"
    main(
        ["report", str(sweep / "A"), str(sweep / "B"), "--label", "new", "--label", "old", "--out", str(out)]
    )
    text = (out / "report.md").read_text()
    # IQM of 1.0, 0.9, 0.8, 0.2: the middle two, 0.9 and 0.8; of 0.5, 0.4, 0.3 (cut 0 of 3): 0.4
    assert "| new | 4 | 200 | 85 [" in text and "| old | 3 | 200 | 40 [" in text
    # P(new > old): 3 of the 4 new runs beat all 3 old ones, 0.2 beats none: 9/12
    assert "| new | old | 200 | 0.75 [" in text
    assert (out / "curves.png").stat().st_size > 0 and "curves.png" in capsys.readouterr().out


def test_time_to_target_counts_runs_that_reached_it_and_their_first_evaluation_at_it(tmp_path, capsys):
    curves = {
        "seed0": [(100, 0.5, 10), (200, 0.96, 20), (300, 1.0, 30)],
        "seed1": [(100, 0.97, 12), (200, 1.0, 25), (300, 0.9, 40)],
        "seed2": [(100, 0.1, 9), (200, 0.5, 19), (300, 0.94, 31)],  # never reaches 0.95
    }
    for name, rows in curves.items():
        folder = tmp_path / "C" / name
        folder.mkdir(parents=True)
        lines = [
            "timesteps,success_rate,mean_return,wall_seconds",
            *(f"{t},{s},-1.0,{w}" for t, s, w in rows),
        ]
        (folder / "evaluations.csv").write_text("\n".join(lines) + "\n")
    main(["report", str(tmp_path / "C"), "--target", "0.95", "--out", str(tmp_path / "out")])
    # reached by 2 of 3; steps to it 200 and 100 (median 150); seconds 20 and 12 (16); whole runs 30, 40, 31
    # no cpu_seconds column (runs from before it): no CPU time to target
    assert "| C | 2/3 | 150 | 16.0 | - | 31.0 |" in (tmp_path / "out" / "report.md").read_text()
    with pytest.raises(SystemExit):
        main(["report", str(tmp_path / "C"), "--target", "95"])
    assert "success rate in (0, 1]" in capsys.readouterr().err


def test_report_refuses_what_it_cannot_read(sweep, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["report", str(sweep / "nothing")])
    assert stop.value.code == 2 and "no evaluations.csv" in capsys.readouterr().err


def test_time_to_target_in_cpu_seconds_where_every_run_records_them(tmp_path):
    curves = {
        "seed0": [(100, 0.5, 10, 8), (200, 0.96, 20, 15)],
        "seed1": [(100, 0.97, 12, 11), (200, 1.0, 25, 20)],
    }
    for name, rows in curves.items():
        folder = tmp_path / "C" / name
        folder.mkdir(parents=True)
        lines = [
            "timesteps,success_rate,mean_return,wall_seconds,cpu_seconds",
            *(f"{t},{s},-1.0,{w},{c}" for t, s, w, c in rows),
        ]
        (folder / "evaluations.csv").write_text("\n".join(lines) + "\n")
    main(["report", str(tmp_path / "C"), "--target", "0.95", "--out", str(tmp_path / "out")])
    # first at target: seed0 at 200 (20 s, 15 CPU s), seed1 at 100 (12 s, 11 CPU s)
    assert "| C | 2/2 | 150 | 16.0 | 13.0 | 22.5 |" in (tmp_path / "out" / "report.md").read_text()
