"""A page, expanded: figures it shows must be drawn by a snippet."""

import pytest

from bookbuild import BuildError
from bookbuild.pages import affected, focusable_scrollers, render
from bookbuild.runs import run_snippets
from tests.bookbuild.conftest import write

DRAW = (
    "import os, pathlib\nd = pathlib.Path(os.environ['DOWNHILL_FIGURE_DIR']); d.mkdir(parents=True)\n"
    "(d / 'curve.svg').write_text('<svg/>')\n"
    "(d / 'curve.dark.svg').write_text('<svg><g/></svg>')\n"  # its twin for the dark scheme, as savefig writes it
)


def test_a_figure_no_snippet_draws_is_an_error(book):
    with pytest.raises(
        BuildError, match=r"part/page\.md: figure figures/99_test/ghost\.svg is not drawn by any snippet"
    ):
        render(book, run_snippets(book), "![a ghost](../figures/99_test/ghost.svg)", "part/page.md")


def test_a_figure_a_snippet_draws_is_shown_in_each_scheme(book):
    write(book, "draw.py", DRAW)
    md = "![a curve](../figures/99_test/curve.svg)"
    assert render(book, run_snippets(book), md, "part/page.md") == (
        "![a curve](../figures/99_test/curve.svg#only-light)![a curve](../figures/99_test/curve.dark.svg#only-dark)"
    )


def test_a_figure_without_its_dark_twin_is_an_error(book):
    write(book, "draw.py", DRAW.replace("(d / 'curve.dark.svg')", "(d / 'other.dark.svg')"))
    with pytest.raises(BuildError, match=r"part/page\.md: figure figures/99_test/curve\.dark\.svg is not drawn"):
        render(book, run_snippets(book), "![a curve](../figures/99_test/curve.svg)", "part/page.md")


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


def test_pages_showing_lessonlibs_code_are_affected_when_lessonlib_changes_not_when_a_snippet_does(book):
    write(book, "a.py", "print(1)\n")
    write(book, "b.py", "print(2)\n")
    (book.docs / "part" / "code.md").write_text('{{ source("lessonlib.optim.step_update") }}\n')
    (book.docs / "part" / "other.md").write_text('{{ snippet("snippets/99_test/b.py") }}\n')
    sources = ["part/code.md", "part/other.md"]
    before = run_snippets(book)
    write(book, "a.py", "print(3)\n")  # one snippet edited: one run again
    assert affected(book, run_snippets(book), before, sources) == []
    before = run_snippets(book)
    (book.lessonlib / "step.py").write_text("def step_update(param, grad, *, lr):\n    pass\n")
    assert affected(book, run_snippets(book), before, sources) == ["part/code.md", "part/other.md"]


def test_the_slowest_snippets_are_listed_from_the_manifest(book):
    write(book, "slow.py", "import time\ntime.sleep(0.3)\nprint('done')\n")
    write(book, "fast.py", "print('done')\n")
    md = render(book, run_snippets(book), "Slowest:\n\n{{ slowest_snippets(1) }}\n", "part/page.md")
    (row,) = [line for line in md.splitlines() if line.startswith("| `")]
    assert row.startswith("| `snippets/99_test/slow.py` | 0.") or row.startswith("| `snippets/99_test/slow.py` | 1.")


def test_code_blocks_and_displayed_formulas_are_reachable_from_the_keyboard():
    """What may scroll sideways takes the focus (axe-core's scrollable-region-focusable), once; nothing else does."""
    html = (
        '<div class="highlight"><pre data-search-exclude><span></span><code>x = 1</code></pre></div>'
        '<p>Inline <code>x</code>, <span class="katex">x</span>, '
        '<span class="katex-display"><span>y</span></span></p>'
        '<pre><code class="language-text">plain</code></pre>'
    )
    out = focusable_scrollers(html)
    assert '<pre data-search-exclude><span></span><code tabindex="0">x = 1' in out
    assert '<span class="katex-display" tabindex="0"><span>y' in out
    assert '<code tabindex="0" class="language-text">plain' in out
    assert out.count("tabindex") == 3  # inline code and inline math stay out of the tab order
    assert focusable_scrollers(out) == out
