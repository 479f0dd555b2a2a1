"""Every chapter's downloadable notebook is its snippets in page order, with the outputs the book shows, and runs.

The build writes each notebook from this build's snippet runs (a cell's source
is the snippet file, byte for byte). That every notebook runs top to bottom is
checked by ``tests/snippets/test_snippets.py``, which runs each chapter's
snippets as its notebook does (in order, in one namespace) and compares every
cell with the page. Here one notebook also runs in a real Jupyter kernel, as a
reader runs it, with ``allow_errors=False``: a guard that the runner's notebook
runs are what a kernel does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bookbuild.notebooks import INSTALL_TAG, chapters
from bookbuild.runs import varies
from tests.conftest import BOOK, ROOT, background, background_result, snippet_files

CHAPTERS = sorted({p.parent.name for p in snippet_files()})
KERNEL_CHAPTER = "03_gradient_descent"  # twelve cells, six figures, under three seconds of snippets

# Runs in its own process so the kernel gets a fresh event loop.
_EXECUTE = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False,
               resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
"""


def _stdout(cell) -> str:
    return "".join(
        "".join(o["text"]) for o in cell["outputs"] if o["output_type"] == "stream" and o["name"] == "stdout"
    )


def _figures(cell) -> int:
    return sum(
        o["output_type"] == "display_data" and any(k.startswith("image/") for k in o["data"]) for o in cell["outputs"]
    )


def _code_cells(path):
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_is_the_chapters_snippets_with_the_books_output(chapter, built_site):
    install, *cells = _code_cells(built_site.site / "downloads" / f"{chapter}.ipynb")
    assert install["metadata"]["tags"] == [INSTALL_TAG]  # lessonlib from the book's site, where it is missing
    _, snippets = chapters(BOOK)[chapter]
    assert len(cells) == len(snippets) > 0
    for cell, snippet in zip(cells, snippets):
        run = built_site.run(snippet)
        assert "".join(cell["source"]) == (ROOT / snippet).read_text(encoding="utf-8").rstrip() + "\n"
        assert _stdout(cell) == run.stdout, f"{chapter}: the cell of {snippet} shows other output than the page"
        assert _figures(cell) == len(run.light_figures)


@background("kernel_run", after="built_site")
def _run_in_a_kernel(folder, built_site):
    """Chapter 3's downloaded notebook, executed in a Jupyter kernel in the background once the site is built."""
    if built_site.returncode != 0:
        return None
    env = dict(os.environ, DOWNHILL_DEVICE="cpu", MPLBACKEND="module://matplotlib_inline.backend_inline")
    executed = folder / "executed.ipynb"
    shipped = built_site.site / "downloads" / f"{KERNEL_CHAPTER}.ipynb"
    command = [sys.executable, "-c", _EXECUTE, str(shipped), str(executed), str(folder)]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT), executed


@pytest.fixture(scope="session")
def kernel_run(request, built_site):
    built_site.check()
    return background_result(request, "kernel_run")


def test_a_notebook_runs_in_a_jupyter_kernel_and_prints_what_the_book_shows(built_site, kernel_run):
    proc, executed = kernel_run
    shipped = built_site.site / "downloads" / f"{KERNEL_CHAPTER}.ipynb"
    assert proc.returncode == 0, f"downloads/{KERNEL_CHAPTER}.ipynb failed to run:\n{proc.stderr[-4000:]}"
    fresh = _code_cells(executed)
    assert len(fresh) == len(_code_cells(shipped)) > 0
    for cell, ran in zip(_code_cells(shipped), fresh):
        source = "".join(cell["source"])
        name = source.splitlines()[0] if source else "(empty)"
        assert _stdout(ran) == _stdout(cell), f"{KERNEL_CHAPTER}: the cell {name!r} printed something else when run"
        assert _figures(ran) == _figures(cell), (
            f"{KERNEL_CHAPTER}: the cell {name!r} showed a different number of figures"
        )


def test_the_kernel_chapter_has_figures_and_no_timing():
    _, snippets = chapters(BOOK)[KERNEL_CHAPTER]
    assert not any(varies(ROOT / s) for s in snippets)
    assert sum("savefig(" in (ROOT / s).read_text(encoding="utf-8") for s in snippets) >= 3


def test_shipped_notebook_carries_the_builds_output(built_site):
    """The page and the download show the output of this build's snippet run."""
    cells = _code_cells(built_site.site / "downloads" / "03_gradient_descent.ipynb")
    assert any("w_20 equals it to 12 decimals: True" in _stdout(c) for c in cells)
    assert sum(_figures(c) for c in cells) >= 3
