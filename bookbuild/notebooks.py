"""One notebook per chapter, made from its snippets in page order, with this build's outputs.

The build does not execute notebooks a second time: a cell's source is the
snippet file byte for byte, so its output is the snippet run's stdout and
figures. The tests run every chapter's snippets as its notebook does (in order,
in one namespace) and one notebook in a real Jupyter kernel.

The download carries its figures inline, so it stands alone. The site shows
each notebook as a page too, written here as Markdown from the same runs (the
cells' code, output and figures, with the chapter's alt texts): no converter,
no second rendering of the outputs, and the same page under any engine.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path

from bookbuild import directive
from bookbuild.book import Book
from bookbuild.directive import DIRECTIVE, expand_values, fence, output_fence, parse_snippet
from bookbuild.runs import Manifest, source_hash, write_if_changed
from bookbuild.wheel import install_command, wheel_url

#: The first code cell of every notebook: lessonlib from the book's site, where the reader's environment lacks it.
INSTALL = """\
# lessonlib, the book's library: installed from the book's site where this environment lacks it
try:
    import lessonlib
except ImportError:
    import importlib
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "pip", "install", "{url}"], check=True)
    importlib.invalidate_caches()
"""
INSTALL_TAG = "install-lessonlib"


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
    versions: str = "",
) -> str:
    """The chapter's notebook as JSON: one code cell per snippet, with the output and figures (inline) this build's
    run of it produced, after a cell that installs lessonlib from the book's site where it is missing."""
    import nbformat

    url = wheel_url(book)
    needs = (
        f"the first code cell installs it from the book's site (`pip install {url}`) where it is missing"
        if url
        else "from a clone of the repository, `pip install -e .` installs it"
    )
    intro = (
        f"# {title}: the chapter's code\n\n"
        f"Every code cell below{' after the first' if url else ''} is one file of `snippets/{chapter}/` in the "
        "book's repository, "
        f"in the order the chapter shows them. They need `lessonlib`, the book's library: {needs}. "
        "Figures appear under the cell that draws them."
    )
    cells = [nbformat.v4.new_markdown_cell(intro)]
    if url:
        cells.append(nbformat.v4.new_code_cell(INSTALL.format(url=url), metadata={"tags": [INSTALL_TAG]}))
    for count, snippet in enumerate(snippets, start=1):
        source, heading, summary = _cell_text(book, snippet)
        cells.append(nbformat.v4.new_markdown_cell(f"## {heading}\n\n{summary} (`{snippet}`)"))
        run = manifest[snippet]
        outputs = []
        if run.stdout:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=run.stdout))
        for fig in run.light_figures:
            svg = run.figure(fig).read_text(encoding="utf-8")
            data = {"image/svg+xml": svg[svg.index("<svg") :]}  # inline in HTML: no XML prolog or DOCTYPE
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


def _cell_text(book: Book, snippet: str) -> tuple[str, str, str]:
    """A snippet's source, the heading of its cell and the first line of its docstring."""
    source = (book.root / snippet).read_text(encoding="utf-8").rstrip() + "\n"
    doc = ast.get_docstring(ast.parse(source)) or ""
    summary = doc.strip().splitlines()[0] if doc.strip() else ""
    return source, Path(snippet).stem.replace("_", " ").capitalize(), summary


def page(book: Book, manifest: Manifest, chapter: str, title: str, snippets: list[str], alts: dict[str, str]) -> str:
    """The chapter's notebook as a Markdown page at ``notebooks/<chapter>.md``: its cells, their outputs and figures.

    ``alts`` maps a figure ("figures/<chapter>/<name>.svg") to the alt text its chapter gives it.
    """
    command = install_command(book)
    parts = [
        "---\nsearch:\n  exclude: true  # it repeats its chapter's code: every hit would come twice\n---",
        f"# {title}: the notebook",
        f"The chapter's code as one notebook: every cell below is one file of `snippets/{chapter}/`, in the order the "
        "chapter shows them, with the output and figures this build's run of it produced. "
        f"[Download the notebook](../downloads/{chapter}.ipynb) to run it in Jupyter; it needs `lessonlib`, the "
        "book's library: "
        + (
            f"its first code cell installs it where it is missing (`{command}`)."
            if command
            else "`pip install -e .` in a clone of the repository installs it."
        ),
    ]
    for count, snippet in enumerate(snippets, start=1):
        source, heading, summary = _cell_text(book, snippet)
        run = manifest[snippet]
        parts += [f"## {heading}", f"{summary} (`{snippet}`)", fence(source, "python", f"In [{count}]", "")]
        if run.stdout:
            parts.append(output_fence(run.stdout, ""))
        for fig in run.light_figures:
            alt = alts.get(fig, f"Figure {Path(fig).stem}")  # brackets in it are balanced, as in the chapter
            parts.append(f"![{alt}](../{fig})")
    return "\n\n".join(parts) + "\n"


def figure_alts(book: Book, manifest: Manifest) -> dict[str, str]:
    """Each figure the chapters show, with the alt text they give it (quoted values expanded)."""
    alts = {}
    for path in book.pages():
        rel = path.relative_to(book.docs).as_posix()
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(
            r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<src>(?:\.\./)*figures/[\w-]+/[\w-]+\.svg)\)", text
        ):
            alts[m["src"].lstrip("./")] = " ".join(expand_values(manifest, m["alt"], rel).split())
    return alts


def write_notebooks(book: Book, manifest: Manifest) -> list[str]:
    """Write ``downloads/<chapter>.ipynb`` and its page ``notebooks/<chapter>.md`` under ``<cache>/notebooks``;
    return the chapters.

    A chapter whose snippets, runs, order and title are those of the notebooks already written is left as it is:
    making all of them takes over a second, which a rebuild after an edit should not pay.
    """
    versions = source_hash(book)
    folder = notebook_dir(book)
    alts = figure_alts(book, manifest)
    # the code that writes them: a change to it (how an output block is marked, say) writes them again
    writer = hashlib.sha256(Path(__file__).read_bytes() + Path(directive.__file__).read_bytes()).hexdigest()
    done = []
    for chapter, (title, snippets) in chapters(book).items():
        figures = {f: alts.get(f, "") for s in snippets for f in manifest[s].figures}
        inputs = json.dumps([title, figures, [(s, manifest[s].key) for s in snippets], wheel_url(book), writer])
        stamp = folder / "inputs" / f"{chapter}.json"
        shown, download = folder / "notebooks" / f"{chapter}.md", folder / "downloads" / f"{chapter}.ipynb"
        written = shown.exists() and download.exists() and stamp.exists()
        if not (written and stamp.read_text(encoding="utf-8") == inputs):
            write_if_changed(shown, page(book, manifest, chapter, title, snippets, alts))
            write_if_changed(download, notebook(book, manifest, chapter, title, snippets, versions))
            write_if_changed(stamp, inputs)
        done.append(chapter)
    return done


def notebook_dir(book: Book) -> Path:
    return book.cache / "notebooks"
