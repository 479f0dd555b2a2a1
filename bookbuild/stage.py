"""The docs with every directive expanded: a folder any Markdown site engine can publish as it is.

``python -m bookbuild stage`` writes ``<out>/docs`` (each page expanded from
this build's runs, the figures, the snippet files, KaTeX, the notebooks for
download and their pages, lessonlib's wheel) and ``<out>/mkdocs.yml``, which
inherits the book's configuration and points at that folder. ``make zensical``
builds it with Zensical, which reads ``mkdocs.yml`` but has no plugin API.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bookbuild import assets, notebooks, pages, wheel
from bookbuild.book import ROOT, Book
from bookbuild.runs import Manifest, write_if_changed

DEFAULT = ROOT / "build" / "staged"
# Zensical's `--clean` deletes the `.cache/` folder next to its config: the run cache must live elsewhere, and does.
CONFIG = """\
# Written by `python -m bookbuild stage`: the book's configuration, with every page already expanded.
INHERIT: {inherit}
docs_dir: docs
site_dir: site
theme:
  variant: classic
"""


def stage(book: Book, manifest: Manifest, out: Path) -> int:
    """Write the expanded docs and their config under ``out``; return the number of files written."""
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    count = 0
    for path in sorted(book.docs.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(book.docs).as_posix()
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            target.write_text(pages.render(book, manifest, path.read_text(encoding="utf-8"), rel), encoding="utf-8")
        else:
            shutil.copyfile(path, target)
        count += 1
    for run in manifest.values():
        count += _copy(book.root / run.snippet, docs / run.snippet)
        for fig in run.figures:
            count += _copy(run.figure(fig), docs / fig)
    katex = assets.katex_dir(book)
    for rel in assets.katex_files(book):
        count += _copy(katex / rel, docs / assets.SITE_FOLDER / rel)
    folder = notebooks.notebook_dir(book)
    for chapter in notebooks.write_notebooks(book, manifest):
        count += _copy(folder / "downloads" / f"{chapter}.ipynb", docs / "downloads" / f"{chapter}.ipynb")
        count += _copy(folder / "notebooks" / f"{chapter}.md", docs / "notebooks" / f"{chapter}.md")
    if wheel.buildable(book):
        count += _copy(wheel.build(book), docs / wheel.site_path(book))
    inherit = Path("..") / ".." / "mkdocs.yml" if out.resolve() == DEFAULT else (book.root / "mkdocs.yml").resolve()
    write_if_changed(out / "mkdocs.yml", CONFIG.format(inherit=inherit.as_posix()))
    return count + 1


def _copy(source: Path, target: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return 1
