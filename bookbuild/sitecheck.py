"""Check a built site, whatever engine built it: every chapter shows its snippets' code and outputs.

    python -m bookbuild.sitecheck build/staged/site

For each page under ``docs/``, the built page's text must hold every line of
code it includes (a section's lines, for a section), every line of output it
shows, and every value it quotes; no directive may be left raw; every figure
it shows must be in the site, and so must KaTeX. Exit status 1, listing what
is missing. The tests run it on the MkDocs build; the Zensical CI job on that.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from bookbuild import Book, Manifest, assets
from bookbuild.directive import API_PAGE, DIRECTIVE, lessonlib_source, parse_snippet, quoted, quoted_sources, section

_TAG = re.compile(r"<[^>]+>")


def page_url(rel: str) -> str:
    """``part-1/03-gradient-descent.md`` -> ``part-1/03-gradient-descent/index.html`` (directory URLs)."""
    stem = rel.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"


def text_of(page_html: str) -> str:
    """What a reader reads: tags dropped, entities decoded, white space collapsed; figures' alt texts after it."""
    alts = re.findall(r'<img[^>]*\salt="([^"]*)"', page_html)
    return " ".join(html.unescape(_TAG.sub("", page_html) + " " + " ".join(alts)).split())


def problems(book: Book, manifest: Manifest, site: Path) -> list[str]:
    found = []
    for path in book.pages():
        rel = path.relative_to(book.docs).as_posix()
        markdown = path.read_text(encoding="utf-8")
        built = site / page_url(rel)
        if not built.exists():
            found.append(f"{rel}: no page at {built.relative_to(site)}")
            continue
        page_html = built.read_text(encoding="utf-8")
        text = text_of(page_html)
        prose_html = _TAG.sub("", re.sub(r"<code>.*?</code>", "", page_html, flags=re.S))
        if re.search(r"\{\{\s*(snippet|value|source)\(", prose_html):
            found.append(f"{rel}: a directive is left raw")
        for m in DIRECTIVE.finditer(markdown):
            snippet, options = parse_snippet(m["args"], rel)
            code = section((book.root / snippet).read_text(encoding="utf-8"), options.get("section"), rel)
            missing = [line for line in _lines(code) if line not in text]
            if missing:
                found.append(f"{rel}: {len(missing)} lines of {snippet}'s code missing, e.g. {missing[0]!r}")
            if options.get("output", True):
                missing = [line for line in _lines(manifest[snippet].stdout) if line not in text]
                if missing:
                    found.append(f"{rel}: {len(missing)} lines of {snippet}'s output missing, e.g. {missing[0]!r}")
        for name in quoted_sources(markdown, rel):
            _, code = lessonlib_source(book, name, rel)
            missing = [line for line in _lines(code) if line not in text]
            if missing:
                found.append(f"{rel}: {len(missing)} lines of {name}'s code missing, e.g. {missing[0]!r}")
            api = (site / page_url(API_PAGE)).read_text(encoding="utf-8")
            if f'id="{name}"' not in api:
                found.append(f"{rel}: source({name!r}) links to an entry the API reference does not have")
        for snippet, name, fmt in quoted(markdown, rel):
            shown = format(manifest[snippet].values[name], fmt)
            if shown not in text:
                found.append(f"{rel}: the value {name} of {snippet} ({shown}) is not on the page")
        for ref in re.findall(r'<img[^>]+src="([^"#]+\.svg)(?:#[^"]*)?"', page_html):
            if not (built.parent / ref).resolve().is_file():
                found.append(f"{rel}: figure {ref} is not in the site")
    for rel in assets.FILES:
        if not (site / assets.SITE_FOLDER / rel).is_file():
            found.append(f"KaTeX's {rel} is not in the site")
    return found


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    book = Book.from_environment()
    site = Path(argv[0])
    found = problems(book, Manifest.read(book.manifest_path), site)
    for problem in found:
        print(problem)
    pages = len(book.pages())
    print(f"{site}: {pages} pages checked, {'no problems' if not found else f'{len(found)} problems'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
