"""A page, expanded: figures it shows must be drawn by a snippet."""

import pytest

from bookbuild import BuildError
from bookbuild.pages import render
from bookbuild.runs import run_snippets
from tests.bookbuild.conftest import write

DRAW = ("import os, pathlib\nd = pathlib.Path(os.environ['DOWNHILL_FIGURE_DIR']); d.mkdir(parents=True)\n"
        "(d / 'curve.svg').write_text('<svg/>')\n")


def test_a_figure_no_snippet_draws_is_an_error(book):
    with pytest.raises(BuildError, match=r"part/page\.md: figure figures/99_test/ghost\.svg is not drawn by any snippet"):
        render(book, run_snippets(book), "![a ghost](../figures/99_test/ghost.svg)", "part/page.md")


def test_a_figure_a_snippet_draws_is_fine(book):
    write(book, "draw.py", DRAW)
    md = "![a curve](../figures/99_test/curve.svg)"
    assert render(book, run_snippets(book), md, "part/page.md") == md
