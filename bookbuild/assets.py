"""What the site serves besides its pages and runs: KaTeX, installed from npm at the version package.json pins, in
the site's own ``assets/katex/``; lessonlib's wheel; and, in the offline edition, iframe-worker, or else the PDF and
the offline zip where ``make pdf`` and ``make offline`` have made them."""

from __future__ import annotations

from pathlib import Path

from bookbuild import offline, wheel
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


def served(book: Book, edition: bool = False) -> list[tuple[str, Path]]:
    """(where the site serves it, the file) for KaTeX, lessonlib's wheel, and iframe-worker in the offline
    ``edition``, or else the PDF and the offline zip, where they have been made."""
    out = [(f"{SITE_FOLDER}/{rel}", katex_dir(book) / rel) for rel in katex_files(book)]
    if wheel.buildable(book):
        out.append((wheel.site_path(book), wheel.build(book)))
    if edition:
        out.append((offline.SHIM, offline.shim_source(book)))
    else:
        made = [(dest, book.root / "dist" / Path(dest).name) for dest in offline.PUBLISHED]
        out += [(dest, path) for dest, path in made if path.is_file()]
    return out
