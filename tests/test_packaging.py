"""The built wheel carries every asset and works from another folder."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: what a fresh copy leaves out: the venv, git, build outputs (site/ and .cache/: the docs build), caches
SKIP_COPY = (
    ".venv",
    ".git",
    "build",
    "dist",
    "runs",
    "site",
    ".cache",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
)


#: modules that need the train extra (or are the CLI, which names it): not imported in the base install
TRAIN_EXTRA_MODULES = (
    "robo2d.training",
    "robo2d.rl",
    "robo2d.run",
    "robo2d.studies",
    "robo2d.diagnostics.training_speed",
    "robo2d.cli",
    "robo2d.__main__",
)


@pytest.mark.slow
def test_wheel_ships_assets_and_works_elsewhere(tmp_path):
    source = tmp_path / "source"  # a fresh copy: a build/ left in the checkout would hide a missing package
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*SKIP_COPY))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=600,
    )
    wheel = next(tmp_path.glob("robo2d-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for module in (ROOT / "robo2d").rglob("*.py"):  # a subpackage left out of pyproject's list
        assert str(module.relative_to(ROOT)) in names, f"{module.relative_to(ROOT)} is not in the wheel"
    for urdf in (ROOT / "urdf").glob("*.urdf"):
        assert f"robo2d/urdf/{urdf.name}" in names
    for agent in list((ROOT / "agents").glob("*.yaml")) + list((ROOT / "agents").glob("*.zip")):
        assert f"robo2d/agents/{agent.name}" in names
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        timeout=600,
    )
    code = (
        f"TRAIN_EXTRA_MODULES = {TRAIN_EXTRA_MODULES!r}\n"
        "import robo2d, gymnasium as gym\n"
        f"assert robo2d.__file__.startswith({str(target)!r}), robo2d.__file__\n"
        "for i in robo2d.ENV_IDS:\n"
        "    e = gym.make(i); e.reset(seed=0); e.step(e.action_space.sample()); e.close()\n"
        "import importlib, pkgutil\n"  # every module is in the wheel (a package left out of pyproject)
        "for m in pkgutil.walk_packages(robo2d.__path__, 'robo2d.'):\n"
        "    if not m.name.startswith(TRAIN_EXTRA_MODULES):\n"
        "        importlib.import_module(m.name)\n"
        "e = gym.make('Robo2DPusher-v0', robot='planar_arm_3link')\n"
        "gym.make('Robo2DPixelReacher-v0', robot='planar5', tip_link='ee').reset(seed=0)\n"  # ROS package
        "from robo2d.oracles import make_oracle\n"
        "o, _ = e.reset(seed=0); e.step(make_oracle(e)(o))\n"
        "import sys\n"
        "outside = [n for n, m in sys.modules.items() if n.startswith('robo2d')\n"
        f"           and not (getattr(m, '__file__', None) or {str(target)!r}).startswith({str(target)!r})]\n"
        "assert not outside, f'imported from outside the wheel: {outside}'\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert out.stdout.strip().endswith("ok"), out.stderr[-2000:]


@pytest.mark.slow
def test_base_install_without_extras_works_and_names_the_extra(tmp_path):
    """pip install robo2d (no extras) in a fresh virtualenv: list, bench and check-robot work; the training
    commands say in one line which extra to install."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*SKIP_COPY))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(source)], check=True, timeout=1200
    )
    command = str(venv / "bin" / "robo2d")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([command, *args], capture_output=True, text=True, cwd=tmp_path, timeout=600)

    assert "Robo2DReacher-v0" in run("list").stdout
    assert "Robo2DReacher-v0" in run("bench", "--steps", "100", "--repeats", "1", "Robo2DReacher-v0").stdout
    assert run("check-robot", "planar_arm").returncode == 0
    for args in (
        ["train", "Robo2DReacher-v0"],
        ["evaluate", "Robo2DReacher-v0"],
        ["plot", "x.csv"],
        ["record", "Robo2DReacher-v0"],
        ["robustness", "Robo2DReacher-v0"],
    ):
        out = run(*args)
        lines = [line for line in out.stderr.splitlines() if line and "pybullet build time" not in line]
        assert out.returncode == 2 and len(lines) == 1, out.stderr[-2000:]
        assert "pip install 'robo2d[train]'" in lines[0], lines
