"""KaTeX, installed from npm at the version package.json pins, served from the site's own ``assets/katex/``."""

from __future__ import annotations

from pathlib import Path

from bookbuild.book import Book, BuildError

FILES = {"katex.min.js", "katex.min.css", "contrib/auto-render.min.js"}
SITE_FOLDER = "assets/katex"
#: The scripts that typeset math in the reader's browser (mkdocs.yml lists them for an engine that does not run
#: ``bookbuild.math``); a build that typesets the math itself leaves them off its pages.
CLIENT_MATH = {f"{SITE_FOLDER}/katex.min.js", f"{SITE_FOLDER}/contrib/auto-render.min.js", "javascripts/math.js"}


def katex_dir(book: Book) -> Path:
    return book.root / "node_modules" / "katex" / "dist"


def check(book: Book) -> None:
    if not (katex_dir(book) / "katex.min.js").exists():
        raise BuildError(
            f"KaTeX is not installed ({book.rel(katex_dir(book))} is missing): run `npm ci` "
            "(the README's set-up does) to install the pinned math library."
        )


def katex_files(book: Book) -> list[str]:
    """The KaTeX files the site serves, relative to :func:`katex_dir`: the script, the style, auto-render, fonts."""
    root = katex_dir(book)
    return [
        rel
        for rel in (p.relative_to(root).as_posix() for p in sorted(root.rglob("*")) if p.is_file())
        if rel.startswith("fonts/") or rel in FILES
    ]
