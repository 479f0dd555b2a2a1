"""Notebooks: made from the runs in page order, for download and as a page."""

import json

from bookbuild.notebooks import chapters, notebook, page
from bookbuild.runs import run_snippets
from tests.bookbuild.conftest import write


def test_a_notebook_is_the_chapters_snippets_in_page_order_with_their_output(book):
    write(book, "a.py", "'''First.'''\nprint('a')\n")
    write(book, "b.py", "'''Second.'''\nprint('b')\n")
    (book.docs / "part" / "p.md").write_text(
        '# The chapter\n\n{{ snippet("snippets/99_test/b.py") }}\n\n{{ snippet("snippets/99_test/a.py") }}\n'
    )
    title, snippets = chapters(book)["99_test"]
    assert title == "The chapter" and snippets == ["snippets/99_test/b.py", "snippets/99_test/a.py"]
    nb = json.loads(notebook(book, run_snippets(book), "99_test", title, snippets))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert ["".join(c["source"]) for c in code] == ["'''Second.'''\nprint('b')\n", "'''First.'''\nprint('a')\n"]
    assert ["".join(c["outputs"][0]["text"]) for c in code] == ["b\n", "a\n"]


def test_notebooks_are_made_again_only_when_their_runs_change(book):
    from bookbuild.notebooks import notebook_dir, write_notebooks

    path = write(book, "a.py", "print('a')\n")
    (book.docs / "part" / "p.md").write_text('# Ch\n\n{{ snippet("snippets/99_test/a.py") }}\n')
    write_notebooks(book, run_snippets(book))
    download = notebook_dir(book) / "downloads" / "99_test.ipynb"
    download.write_text("stale on purpose")  # made again only if its inputs changed
    write_notebooks(book, run_snippets(book))
    assert download.read_text() == "stale on purpose"
    path.write_text("print('b')\n")
    write_notebooks(book, run_snippets(book))
    assert json.loads(download.read_text())["cells"][-1]["outputs"][0]["text"] in ("b\n", ["b\n"])


def test_the_notebook_page_shows_cells_outputs_and_figures_with_the_chapters_alt_text(book):
    from bookbuild.notebooks import figure_alts

    write(
        book,
        "draw.py",
        "'''Draw a curve.'''\nimport os, pathlib\nprint('drawn')\n"
        "d = pathlib.Path(os.environ['DOWNHILL_FIGURE_DIR']); d.mkdir(parents=True)\n"
        "(d / 'curve.svg').write_text('<svg/>')\n",
    )
    (book.docs / "part" / "p.md").write_text(
        '# Curves\n\n{{ snippet("snippets/99_test/draw.py") }}\n\n'
        "![A curve that falls [steeply]](../figures/99_test/curve.svg)\n"
    )
    manifest = run_snippets(book)
    md = page(book, manifest, "99_test", "Curves", ["snippets/99_test/draw.py"], figure_alts(book, manifest))
    assert md.startswith("---\nsearch:\n  exclude: true")
    assert "# Curves: the notebook" in md and "(../downloads/99_test.ipynb)" in md
    assert "```python title=\"In [1]\"\n'''Draw a curve.'''" in md
    assert '```{ .text .no-copy title="Output" }\ndrawn\n```' in md  # no copy button on an output
    assert "![A curve that falls [steeply]](../figures/99_test/curve.svg)" in md
