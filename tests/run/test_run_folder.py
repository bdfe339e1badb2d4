"""RunFolder is the one owner of a run folder's file names: a real run's files are all ones it names,
and no other module spells them."""

import re
from pathlib import Path

from robo2d.cli import main
from robo2d.run import folder as run_folder
from robo2d.run.folder import RunFolder

PACKAGE = Path(run_folder.__file__).resolve().parents[1]
NAMES = [v for k, v in vars(run_folder).items() if k.endswith(("_FILE", "_DIR")) and isinstance(v, str)]


def test_a_run_holds_only_files_run_folder_names(tmp_path: Path):
    small = ["--timesteps", "200", "--set", "eval_freq=100", "--set", "eval_episodes=1"]
    small += ["--set", "checkpoint_freq=100", "--set", "sac.learning_starts=50", "--no-progress"]
    main(["train", "Robo2DOneJoint-v0", *small, "--run-dir", str(tmp_path)])
    run = RunFolder(tmp_path)
    named = [run.model, run.config, run.evaluations, run.curve, run.best.model, run.best.config]
    named += [run.checkpoint.model, run.checkpoint.replay_buffer, run.checkpoint.best.model]
    assert all(path.is_file() for path in named)
    top = {p.name for p in tmp_path.iterdir()}
    assert top <= set(NAMES), f"files RunFolder does not name: {top - set(NAMES)}"
    assert run.is_finished() and RunFolder.of_evaluations(run.evaluations)


def test_no_other_module_spells_the_file_names():
    spellings = [name for name in NAMES if name != run_folder.TENSORBOARD_DIR]  # also a module's name
    pattern = re.compile("|".join(rf'"{re.escape(name)}"' for name in spellings))
    spelled = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "folder.py" and pattern.search(path.read_text())
    ]
    assert not spelled, f"run-folder file names written outside robo2d/run/folder.py: {spelled}"
