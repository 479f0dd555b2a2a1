"""A page's Markdown, expanded: the guard, then quoted values, then snippets, then a check of its figures."""

from __future__ import annotations

import os
import re
from pathlib import Path

from bookbuild.book import Book, BuildError
from bookbuild.directive import expand_snippets, expand_values
from bookbuild.guard import page_typed_copies
from bookbuild.runs import Manifest

FIGURE_REF = re.compile(r"\(((?:\.\./)*figures/[\w-]+/[\w-]+\.svg)\)")


def render(book: Book, manifest: Manifest, markdown: str, page: str) -> str:
    """``page`` (its path under ``docs/``) with every directive expanded from this build's runs."""
    copies = page_typed_copies(book, manifest, markdown, page)
    if copies:
        raise BuildError(
            f"{page}: the prose types {', '.join(copies)}, which a run of this page's snippets prints; "
            "quote the run with {{ value(...) }} (lessonlib.publish), or, if the number is a fact of the text, "
            f"list it for this page in {book.typed_numbers.name} with the reason"
        )
    markdown = expand_values(manifest, markdown, page)
    markdown = expand_snippets(book, manifest, markdown, page)
    produced = manifest.figures()
    here = Path(page).parent
    for ref in FIGURE_REF.findall(markdown):
        target = os.path.normpath(here / ref).replace(os.sep, "/")
        if target not in produced:
            raise BuildError(
                f"{page}: figure {target} is not drawn by any snippet "
                f"(a snippet in snippets/{Path(target).parent.name}/ must call savefig(fig, '{Path(target).stem}'))"
            )
    return markdown
