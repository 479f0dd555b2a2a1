"""A page's Markdown, expanded: the guard, then quoted values, then snippets, then a check of its figures."""

from __future__ import annotations

import os
import re
from pathlib import Path

from bookbuild.book import Book, BuildError
from bookbuild.directive import expand_snippets, expand_values, included, quoted, quoted_sources
from bookbuild.guard import page_typed_copies
from bookbuild.runs import Manifest, changed

FIGURE_REF = re.compile(r"\(((?:\.\./)*figures/[\w-]+/[\w-]+\.svg)\)")
#: A figure in Markdown, ![alt](../figures/<chapter>/<name>.svg): the alt text may hold one level of brackets.
FIGURE_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<src>(?:\.\./)*figures/[\w-]+/[\w-]+)\.svg\)")
SLOWEST = re.compile(r"^\{\{\s*slowest_snippets\((?P<n>\d+)\)\s*\}\}[ \t]*$", re.M)
#: The start tags of what scrolls sideways when it is wider than the page: a code block (Material scrolls its
#: ``pre > code``) and a displayed formula (``.katex-display``, downhill.css); those not yet focusable.
SCROLLER = re.compile(r'(<pre\b[^>]*>(?:<span></span>)?<code\b|<span class="katex-display")(?![^>]*\btabindex=)')


def render(book: Book, manifest: Manifest, markdown: str, page: str) -> str:
    """``page`` (its path under ``docs/``) with every directive expanded from this build's runs."""
    copies = page_typed_copies(book, manifest, markdown, page)
    if copies:
        raise BuildError(
            f"{page}: the prose types {', '.join(copies)}, which a run of this page's snippets prints; "
            "quote the run with {{ value(...) }} (lessonlib.book.publish), or, if the number is a fact of the text, "
            f"list it for this page in {book.typed_numbers.name} with the reason"
        )
    markdown = expand_values(manifest, markdown, page)
    markdown = expand_snippets(book, manifest, markdown, page)
    markdown = SLOWEST.sub(lambda m: slowest_table(manifest, int(m["n"])), markdown)
    produced = manifest.figures()
    here = Path(page).parent
    for ref in FIGURE_REF.findall(markdown):
        target = os.path.normpath(here / ref).replace(os.sep, "/")
        for drawn in (target, dark(target)):
            if drawn not in produced:
                raise BuildError(
                    f"{page}: figure {drawn} is not drawn by any snippet (a snippet in "
                    f"snippets/{Path(target).parent.name}/ must call savefig(fig, '{Path(target).stem}'))"
                )
    return FIGURE_IMAGE.sub(_both_schemes, markdown)


def dark(figure: str) -> str:
    """The dark scheme's twin of a figure: ``figures/c/name.svg`` -> ``figures/c/name.dark.svg``."""
    return figure.removesuffix(".svg") + ".dark.svg"


def _both_schemes(m: re.Match) -> str:
    """A figure shown in the light scheme, and its dark twin in the dark one (Material's #only-light, #only-dark)."""
    return f"![{m['alt']}]({m['src']}.svg#only-light)![{m['alt']}]({m['src']}.dark.svg#only-dark)"


def affected(book: Book, manifest: Manifest, before: Manifest | None, sources: list[str]) -> list[str]:
    """The pages (paths under ``docs/``, of ``sources``) whose expansion changed since the ``before`` build, though
    their own text may not have: they include or quote a snippet whose run changed, or, when lessonlib changed,
    show lessonlib's code. A rebuild that renders only edited pages (``mkdocs serve --dirty``) must render these
    too."""
    ran = changed(manifest, before)
    if not ran:
        return []
    # lessonlib is part of every run's key: a change to it reruns every snippet, and one snippet's edit reruns one
    lessonlib_changed = ran == set(manifest)
    out = []
    for page in sources:
        path = book.docs / page
        if page.endswith(".md") and path.is_file():
            text = path.read_text(encoding="utf-8")
            shown = set(included(text, page)) | {s for s, _, _ in quoted(text, page)}
            if ran & shown or (lessonlib_changed and quoted_sources(text, page)):
                out.append(page)
    return out


def slowest_table(manifest: Manifest, n: int = 10) -> str:
    """The ``n`` slowest snippets of this build, with the seconds each run took, as a Markdown table."""
    rows = ["| snippet | seconds |", "| --- | ---: |"]
    rows += [f"| `{run.snippet}` | {run.seconds:.1f} |" for run in manifest.slowest(n)]
    return "\n".join(rows)


def focusable_scrollers(html: str) -> str:
    """``html`` with every block that may scroll sideways (a code block, a displayed formula) reachable from the
    keyboard, ``tabindex="0"``: a reader without a mouse reaches what is past its edge by focusing it and using
    the arrow keys (WCAG 2.1.1, axe-core's rule scrollable-region-focusable). In the browser, Material's script
    and the book's ``javascripts/scrollable.js`` take the mark off the blocks that fit; without a script, every
    block keeps it."""
    return SCROLLER.sub(r'\1 tabindex="0"', html)
