"""Write the docs site's generated pages and the README's generated blocks, or check they are current.

python -m tools.docs_pages          # (re)write docs/envs, docs/measured, docs/tutorials/index.md, README
python -m tools.docs_pages --check  # exit 1 if a committed page or README block differs

The env pages come from the envs' declarations (``tools.env_pages``), the results pages from the
stored files in docs/results (``tools.results_pages``), the tutorial index from the notebooks
(``tools.tutorial_pages``). The README holds blocks between ``<!-- begin: NAME -->`` and
``<!-- end: NAME -->`` lines that are generated the same way; the prose around them is written.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tools import env_pages, results_pages, tutorial_pages

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- begin: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end: (?P=name) -->)", re.DOTALL)


def pages() -> dict[str, str]:
    """Every generated page's text, by its path under docs/."""
    return {**env_pages.pages(), **results_pages.pages(), **tutorial_pages.pages()}


def readme_blocks() -> dict[str, str]:
    """The README's generated blocks: the env table (linking the env pages) and the tutorial table."""
    return {
        "envs": "\n".join(env_pages.env_table("docs/envs/{}.md")),
        "tutorials": "\n".join(tutorial_pages.readme_table()),
    }


def with_blocks(text: str, blocks: dict[str, str]) -> str:
    """`text` with each named block's body replaced; a block the text lacks is an error."""
    missing = set(blocks) - {m["name"] for m in BLOCK.finditer(text)}
    if missing:
        raise ValueError(f"README lacks the generated blocks {sorted(missing)}")
    return BLOCK.sub(lambda m: m[1] + blocks.get(m["name"], m["body"].rstrip("\n")) + "\n" + m[4], text)


def stale() -> list[str]:
    """The generated files that differ from what the generators print now."""
    wanted = {DOCS / name: text for name, text in pages().items()}
    wanted[README] = with_blocks(README.read_text(), readme_blocks())
    return [str(p.relative_to(ROOT)) for p, text in wanted.items() if not p.exists() or p.read_text() != text]


def write() -> None:
    """Write every generated page and the README's blocks."""
    for name, text in pages().items():
        path = DOCS / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    README.write_text(with_blocks(README.read_text(), readme_blocks()))


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = stale()
        if found:
            print("out of date (run python -m tools.docs_pages):", ", ".join(found))
        return 1 if found else 0
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
