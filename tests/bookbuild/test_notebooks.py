"""Notebooks: made from the runs in page order; nbconvert's CDN scripts removed from their pages."""

import json

import pytest

from bookbuild import BuildError
from bookbuild.notebooks import chapters, notebook, strip_cdn_scripts
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


def test_cdn_scripts_are_removed_and_a_changed_template_is_an_error():
    html = (
        '<!-- Load mathjax -->\n<script src="https://cdn/mathjax.js"> </script>\n<!-- MathJax configuration -->'
        "<script>cfg</script>\n<!-- End of mathjax configuration -->"
        '<script type="module">\ndocument.addEventListener("DOMContentLoaded", async () => {\n'
        'const diagrams = document.querySelectorAll(".jp-Mermaid"); })</script><p>kept</p>'
    )
    assert strip_cdn_scripts(html, "notebooks/x.ipynb") == "<p>kept</p>"
    with pytest.raises(BuildError, match=r"notebooks/x\.ipynb: nbconvert's template changed"):
        strip_cdn_scripts("<p>no scripts</p>", "notebooks/x.ipynb")


def test_notebooks_are_made_again_only_when_their_runs_change(book):
    from bookbuild.notebooks import notebook_dir, write_notebooks

    path = write(book, "a.py", "print('a')\n")
    (book.docs / "part" / "p.md").write_text('# Ch\n\n{{ snippet("snippets/99_test/a.py") }}\n')
    write_notebooks(book, run_snippets(book), "../../")
    download = notebook_dir(book) / "downloads" / "99_test.ipynb"
    download.write_text("stale on purpose")  # made again only if its inputs changed
    write_notebooks(book, run_snippets(book), "../../")
    assert download.read_text() == "stale on purpose"
    path.write_text("print('b')\n")
    write_notebooks(book, run_snippets(book), "../../")
    assert json.loads(download.read_text())["cells"][-1]["outputs"][0]["text"] in ("b\n", ["b\n"])
