"""Every chapter's downloadable notebook runs top to bottom in a Jupyter kernel and prints what the book shows.

The build writes each notebook with the outputs of this build's snippet runs
(a cell's source is the snippet file, byte for byte). Here every downloaded
notebook is executed afresh, as a reader would run it, with
``allow_errors=False``; each cell must print exactly the snippet's output
(except for snippets marked ``# downhill: output varies``, which time things)
and show one figure per SVG the snippet saved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT, snippet_files

VARIES = "# downhill: output varies"
CHAPTERS = sorted({p.parent.name for p in snippet_files()})

# Runs in its own process so each notebook gets a fresh kernel and event loop.
_EXECUTE = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False,
               resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
"""


@pytest.fixture(scope="session")
def executed_notebooks(built_site, tmp_path_factory):
    """Execute every chapter's downloaded notebook, as many at once as there are cores."""
    built_site.check()
    out = tmp_path_factory.mktemp("notebooks")
    env = dict(os.environ, DOWNHILL_DEVICE="cpu", MPLBACKEND="module://matplotlib_inline.backend_inline")

    def run(chapter):
        work = out / chapter
        work.mkdir()
        executed = work / "executed.ipynb"
        proc = subprocess.run(
            [sys.executable, "-c", _EXECUTE, str(built_site.site / "downloads" / f"{chapter}.ipynb"),
             str(executed), str(work)],
            capture_output=True, text=True, env=env, cwd=ROOT,
        )
        return chapter, (proc, executed)

    with ThreadPoolExecutor(max(1, os.cpu_count() or 1)) as pool:
        return dict(pool.map(run, CHAPTERS))


def _stdout(cell) -> str:
    return "".join("".join(o["text"]) for o in cell["outputs"] if o["output_type"] == "stream" and o["name"] == "stdout")


def _figures(cell) -> int:
    return sum(o["output_type"] == "display_data" and any(k.startswith("image/") for k in o["data"]) for o in cell["outputs"])


def _code_cells(path):
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_runs_and_prints_what_the_book_shows(chapter, executed_notebooks, built_site):
    proc, executed = executed_notebooks[chapter]
    assert proc.returncode == 0, f"downloads/{chapter}.ipynb failed to run:\n{proc.stderr[-4000:]}"
    shipped = _code_cells(built_site.site / "downloads" / f"{chapter}.ipynb")
    fresh = _code_cells(executed)
    assert len(fresh) == len(shipped) > 0
    for cell, ran in zip(shipped, fresh):
        source = "".join(cell["source"])
        name = source.splitlines()[0] if source else "(empty)"
        if VARIES not in source:
            assert _stdout(ran) == _stdout(cell), f"{chapter}: the cell {name!r} printed something else when run"
        assert _figures(ran) == _figures(cell), f"{chapter}: the cell {name!r} showed a different number of figures"


def test_shipped_notebook_carries_the_builds_output(built_site):
    """The page and the download show the output of this build's snippet run."""
    built_site.check()
    cells = _code_cells(built_site.site / "downloads" / "03_gradient_descent.ipynb")
    assert any("w_20 equals it to 12 decimals: True" in _stdout(c) for c in cells)
    assert sum(_figures(c) for c in cells) >= 3
