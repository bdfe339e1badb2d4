"""The docs site's generated pages and the README's generated tables are what the generators print now.

Regenerate with ``python -m tools.docs_pages``; ``make docs`` builds the site from them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tools import docs_pages, env_pages, results_pages, tutorial_pages

ROOT = Path(__file__).resolve().parents[1]
PAGES = docs_pages.pages()
README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_generated_page_is_what_its_generator_prints(name):
    committed = docs_pages.DOCS / name
    assert committed.exists(), f"docs/{name} is missing (python -m tools.docs_pages)"
    assert committed.read_text() == PAGES[name], f"docs/{name} is out of date (python -m tools.docs_pages)"


def test_the_readme_tables_are_what_their_generators_print():
    assert docs_pages.with_blocks(README, docs_pages.readme_blocks()) == README, (
        "README.md's generated tables are out of date (python -m tools.docs_pages)"
    )


@pytest.mark.parametrize("folder", [env_pages.ENV_DIR, results_pages.OUT_DIR])
def test_a_generated_folder_holds_only_generated_pages(folder):
    found = {
        str(p.relative_to(docs_pages.DOCS)) for p in (docs_pages.DOCS / folder).rglob("*") if p.is_file()
    }
    assert found == {name for name in PAGES if name.startswith(folder + "/")}


def _nav_pages(nav) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    items = nav.values() if isinstance(nav, dict) else nav
    return [page for item in items for page in _nav_pages(item)]


def test_the_nav_lists_every_generated_page_and_notebook():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    listed = set(_nav_pages(config["nav"]))
    notebooks = {f"notebooks/{stem}.ipynb" for _, _, stem in tutorial_pages.notebooks()}
    assert set(PAGES) | notebooks <= listed, sorted(set(PAGES) | notebooks - listed)
    assert all((docs_pages.DOCS / page).exists() or page in notebooks for page in listed)


def test_the_readme_is_a_front_door():
    lines = README.splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines"
    assert "make test" in README  # the command CI runs
    for _, _, stem in tutorial_pages.notebooks():
        assert tutorial_pages.colab_url(stem) in README, f"no Colab badge for {stem}"


def test_the_tutorials_are_stored_with_the_outputs_of_their_small_budget_run():
    """Every code cell but the install cell (a no-op where robo2d is installed) shows what it printed, no
    cell an error, and the notebook says how it was run."""
    for path in tutorial_pages.NOTEBOOKS.glob("*.ipynb"):
        notebook = json.loads(path.read_text())
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"][1:]
        assert all(c["execution_count"] for c in code), f"{path.name}: a cell was not run"
        assert any(c["outputs"] for c in code), path.name
        outputs = [o for c in code for o in c["outputs"]]
        assert not [o for o in outputs if o["output_type"] == "error"], path.name
        assert notebook["metadata"]["robo2d"]["executed_with"] == "ROBO2D_SMALL_BUDGET=1"
        stored = json.dumps(outputs)
        assert not any(p in stored for p in ("/tmp/", "/home/", "/root/", "site-packages")), path.name


def test_every_env_page_shows_its_declared_tables():
    for name, text in PAGES.items():
        if name.startswith(env_pages.ENV_DIR + "/Robo2D"):
            for section in ("## Declaration", "## Arguments", "## Domain randomization", "## Physics"):
                assert section in text, f"{name} lacks {section}"
            assert "{arguments table}" not in text and "{randomization table}" not in text
