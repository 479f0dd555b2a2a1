"""A page, expanded: figures it shows must be drawn by a snippet."""

import pytest

from bookbuild import BuildError
from bookbuild.pages import affected, render
from bookbuild.runs import run_snippets
from tests.bookbuild.conftest import write

DRAW = (
    "import os, pathlib\nd = pathlib.Path(os.environ['DOWNHILL_FIGURE_DIR']); d.mkdir(parents=True)\n"
    "(d / 'curve.svg').write_text('<svg/>')\n"
)


def test_a_figure_no_snippet_draws_is_an_error(book):
    with pytest.raises(
        BuildError, match=r"part/page\.md: figure figures/99_test/ghost\.svg is not drawn by any snippet"
    ):
        render(book, run_snippets(book), "![a ghost](../figures/99_test/ghost.svg)", "part/page.md")


def test_a_figure_a_snippet_draws_is_fine(book):
    write(book, "draw.py", DRAW)
    md = "![a curve](../figures/99_test/curve.svg)"
    assert render(book, run_snippets(book), md, "part/page.md") == md


def test_pages_whose_snippets_ran_again_are_affected(book):
    write(book, "a.py", "from lessonlib.book.publish import publish\nprint(1)\npublish(x=1)\n")
    write(book, "b.py", "print(2)\n")
    (book.docs / "part" / "shows.md").write_text('{{ snippet("snippets/99_test/a.py") }}\n')
    (book.docs / "part" / "quotes.md").write_text('It is {{ value("99_test/a", "x") }}.\n')
    (book.docs / "part" / "other.md").write_text('{{ snippet("snippets/99_test/b.py") }}\n')
    sources = ["part/shows.md", "part/quotes.md", "part/other.md"]
    before = run_snippets(book)
    assert affected(book, run_snippets(book), before, sources) == []
    write(book, "a.py", "from lessonlib.book.publish import publish\nprint(1)\npublish(x=2)\n")
    assert affected(book, run_snippets(book), before, sources) == ["part/shows.md", "part/quotes.md"]
    assert affected(book, before, None, sources) == sources  # no earlier build: every page


def test_the_slowest_snippets_are_listed_from_the_manifest(book):
    write(book, "slow.py", "import time\ntime.sleep(0.3)\nprint('done')\n")
    write(book, "fast.py", "print('done')\n")
    md = render(book, run_snippets(book), "Slowest:\n\n{{ slowest_snippets(1) }}\n", "part/page.md")
    (row,) = [line for line in md.splitlines() if line.startswith("| `")]
    assert row.startswith("| `snippets/99_test/slow.py` | 0.") or row.startswith("| `snippets/99_test/slow.py` | 1.")
