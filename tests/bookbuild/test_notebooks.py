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
