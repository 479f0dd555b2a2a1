"""One notebook per chapter, made from its snippets in page order, with this build's outputs.

The build does not execute notebooks a second time: a cell's source is the
snippet file byte for byte, so its output is the snippet run's stdout and
figures. The tests run every chapter's snippets as its notebook does (in order,
in one namespace) and one notebook in a real Jupyter kernel.

The download carries its figures inline, so it stands alone. The copy the site
renders as a page links them: nbconvert sanitises inline SVG slowly, seconds
per chapter.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from bookbuild.book import Book, BuildError
from bookbuild.directive import DIRECTIVE, parse_snippet
from bookbuild.runs import Manifest, source_hash, write_if_changed


def chapters(book: Book) -> dict[str, tuple[str, list[str]]]:
    """chapter folder -> (the chapter's title, its snippets in the order the pages include them)."""
    order: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for page in book.pages():
        text = page.read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", text, re.M)
        for m in DIRECTIVE.finditer(text):
            snippet, _ = parse_snippet(m["args"], book.rel(page))
            chapter = Path(snippet).parent.name
            if snippet not in order.setdefault(chapter, []):
                order[chapter].append(snippet)
            if title:
                titles.setdefault(chapter, title[1].strip())
    return {chapter: (titles.get(chapter, chapter), order[chapter]) for chapter in sorted(order)}


def notebook(
    book: Book,
    manifest: Manifest,
    chapter: str,
    title: str,
    snippets: list[str],
    figure_url: str | None = None,
    versions: str = "",
) -> str:
    """The chapter's notebook as JSON: one code cell per snippet, with the output this build's run of it printed.

    ``figure_url`` is the way from the notebook's page to the site root, for a
    copy that links its figures; ``None`` puts them inline.
    """
    import nbformat

    intro = (
        f"# {title}: the chapter's code\n\n"
        f"Every code cell below is one file of `snippets/{chapter}/` in the book's repository, "
        "in the order the chapter shows them. They need `lessonlib`, the book's library: from a clone "
        "of the repository, `pip install -e .` installs it. Figures appear under the cell that draws them."
    )
    cells = [nbformat.v4.new_markdown_cell(intro)]
    for count, snippet in enumerate(snippets, start=1):
        source = (book.root / snippet).read_text(encoding="utf-8").rstrip() + "\n"
        doc = ast.get_docstring(ast.parse(source)) or ""
        summary = doc.strip().splitlines()[0] if doc.strip() else ""
        heading = Path(snippet).stem.replace("_", " ").capitalize()
        cells.append(nbformat.v4.new_markdown_cell(f"## {heading}\n\n{summary} (`{snippet}`)"))
        run = manifest[snippet]
        outputs = []
        if run.stdout:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=run.stdout))
        for fig in run.figures:
            if figure_url is None:
                svg = run.figure(fig).read_text(encoding="utf-8")
                data = {"image/svg+xml": svg[svg.index("<svg") :]}  # inline in HTML: no XML prolog or DOCTYPE
            else:
                data = {"text/html": f'<img src="{figure_url}{fig}" alt="Figure {Path(fig).stem}">'}
            data["text/plain"] = f"<Figure {Path(fig).stem}>"
            outputs.append(nbformat.v4.new_output("display_data", data=data))
        cells.append(nbformat.v4.new_code_cell(source, outputs=outputs, execution_count=count))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["downhill"] = {"chapter": chapter, "lessonlib_and_versions": versions}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{chapter[:40]}-{i}"
    return nbformat.writes(nb)


def write_notebooks(book: Book, manifest: Manifest, figure_url: str) -> list[str]:
    """Write ``notebooks/<chapter>.ipynb`` (figures linked through ``figure_url``) and ``downloads/<chapter>.ipynb``
    (figures inline) under ``<cache>/notebooks``; return the chapters.

    A chapter whose snippets, runs, order, title and figure address are those of the notebooks already written is
    left as it is: making all of them takes over a second, which a rebuild after an edit should not pay.
    """
    versions = source_hash(book)
    folder = notebook_dir(book)
    done = []
    for chapter, (title, snippets) in chapters(book).items():
        inputs = json.dumps([title, figure_url, [(s, manifest[s].key) for s in snippets]])
        stamp = folder / "inputs" / f"{chapter}.json"
        linked, download = folder / "notebooks" / f"{chapter}.ipynb", folder / "downloads" / f"{chapter}.ipynb"
        if not (
            stamp.exists() and stamp.read_text(encoding="utf-8") == inputs and linked.exists() and download.exists()
        ):
            write_if_changed(linked, notebook(book, manifest, chapter, title, snippets, figure_url, versions))
            write_if_changed(download, notebook(book, manifest, chapter, title, snippets, None, versions))
            write_if_changed(stamp, inputs)
        done.append(chapter)
    return done


def notebook_dir(book: Book) -> Path:
    return book.cache / "notebooks"


_CDN_SCRIPTS = [
    re.compile(
        r'<!-- Load mathjax -->\s*<script src="[^"]*"> </script>\s*<!-- MathJax configuration -->.*?</script>\s*'
        r"<!-- End of mathjax configuration -->",
        re.S,
    ),
    re.compile(
        r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded", async \(\) => \{\s*'
        r'const diagrams = document\.querySelectorAll\("\.jp-Mermaid.*?</script>',
        re.S,
    ),
]


def strip_cdn_scripts(html: str, page: str) -> str:
    """nbconvert's template loads MathJax and, for diagrams, Mermaid from a CDN: remove both.

    The book typesets notebook pages with its own KaTeX like every other page,
    and its notebooks hold no diagrams.
    """
    for pattern in _CDN_SCRIPTS:
        html, count = pattern.subn("", html)
        if count != 1:
            raise BuildError(f"{page}: nbconvert's template changed; update _CDN_SCRIPTS in {__file__}")
    return html


def as_markdown(path: Path) -> str:
    """A notebook as a Markdown page (nbconvert's Markdown exporter), for an engine that cannot render notebooks."""
    import nbformat
    from nbconvert import MarkdownExporter

    body, _ = MarkdownExporter().from_notebook_node(nbformat.read(path, as_version=4))
    return body
