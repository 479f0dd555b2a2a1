"""The book as one PDF: every page of the nav in reading order, printed by Chromium.

``make pdf`` builds the offline edition's site (the pages with their math typeset by the build and the figures its
runs drew), and :func:`assemble` takes each page's article in ``mkdocs.yml``'s nav order, behind a title page and a
table of contents, with a title page for each part. Each page's ids are prefixed with the page's name, so that two
pages' ``#references`` stay apart; a link to another page of the book becomes a link inside the PDF; a link to a
file the site serves (a snippet, a notebook, a download) goes to the published site. Collapsible blocks are opened
and every content tab is shown (Material's print style). The figures are the light scheme's.

:func:`print_pdf` has the Chromium the browser tests use print it (Playwright's ``page.pdf``) and joins the pieces
with pypdf. Chromium prints one page of 500 pages several times slower than the same pages as twenty documents (its
pagination grows faster than the page count), so each page of the book is printed on its own, numbered on from the
one before (CSS page-margin boxes), and the joined PDF gets its links between pieces, the page numbers in its table
of contents, and an outline of parts, chapters and sections. The print stylesheet (``docs/stylesheets/print.css``)
wraps long code lines and keeps figures and code blocks whole.

What a script draws on a page (the optimizer playground) cannot be printed: where the page says what shows without
scripts (``<noscript>``), the PDF gives the page's address instead.
"""

from __future__ import annotations

import html as htmllib
import os
import posixpath
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from bookbuild.book import Book, BuildError

CHROMIUM = os.environ.get("DOWNHILL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ARTICLE = '<article class="md-content__inner md-typeset">'
#: The attributes that name an element of a page, or point at one.
ATTRIBUTE = re.compile(r'(?<=\s)(id|for|name|aria-labelledby|aria-controls|aria-describedby|href|src)="([^"]*)"')
HREF = re.compile(r'href="#([^"]+)"')
START_TAG = re.compile(r"<([A-Za-z][\w-]*)(\s[^>]*)>")
#: The elements whose address names a part of the page, not a place to go.
LOADS = {"img", "link", "script", "source", "iframe", "video", "audio", "object", "embed"}

#: The PDF's own layout: A4, the book's name and the page number in the bottom margin, the title page, the
#: contents (with page numbers, filled in once the pages are printed), a part's title page, a page of the book.
STYLE = """
@page {
  size: A4;
  margin: 16mm 15mm 18mm 15mm;
  @bottom-left { content: "%(title)s"; font: 8pt sans-serif; color: #666; }
  @bottom-right { content: counter(page); font: 8pt sans-serif; color: #666; }
}
@page :first { @bottom-left { content: none; } }
html, body { background: #fff; }
.dh-print { max-width: none; margin: 0; padding: 0; }
.dh-title-page { text-align: center; padding-top: 80mm; }
.dh-title-page h1 { font-size: 3em; margin-bottom: .4em; color: var(--md-default-fg-color); }
.dh-title-page + .dh-toc { break-before: page; }
.dh-part { text-align: center; padding-top: 100mm; }
.dh-part h1 { font-size: 2.4em; color: var(--md-default-fg-color); }
.dh-print .dh-toc ol, .dh-print .dh-toc ol ol, .dh-print .dh-toc ol ol ol { list-style: none; }
.dh-print .dh-toc li { margin-left: 0; }
.dh-toc > ol > li { margin-top: .8em; font-weight: 700; }
.dh-toc ol ol { font-weight: 400; margin-top: .2em; }
.dh-toc ol ol ol { font-size: .9em; color: var(--md-default-fg-color--light); }
.dh-toc ol ol ol li { margin: 0; }
.md-typeset.dh-print .dh-toc a { color: inherit; text-decoration: none; display: block; }
.dh-toc .dh-pageno { float: right; min-width: 3em; text-align: right; }
"""


@dataclass(frozen=True)
class Entry:
    """One item of the nav: a part (``page`` None) or a page (its Markdown path under ``docs/``)."""

    title: str
    page: str | None


@dataclass
class Heading:
    """An entry of the table of contents and the outline: a part, a page, or a section of a page."""

    anchor: str  # the id it links to, unique in the book
    title: str  # HTML
    children: list[Heading] = field(default_factory=list)
    part: bool = False

    def html(self) -> str:
        inner = "".join(c.html() for c in self.children)
        number = f'<span class="dh-pageno" data-for="{self.anchor}"></span>'
        inner = f"<ol>{inner}</ol>" if inner else ""
        return f'<li><a href="#{self.anchor}">{number}{self.title}</a>{inner}</li>'

    def walk(self) -> Iterator[Heading]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Piece:
    """A part of the book printed as a document of its own: the front matter, a part's title page, a page."""

    file: str
    body: str


@dataclass
class Layout:
    """The book, ready to print: its pieces (written as HTML files in ``folder``) and its contents."""

    folder: Path
    title: str
    pieces: list[Piece]
    contents: list[Heading]
    starts: dict[str, int] = field(default_factory=dict)  # piece -> its first page in the PDF (from 1), once printed


class _Loader(yaml.SafeLoader):
    """mkdocs.yml as data: ``!ENV [NAME, default]`` read from the environment, Python names left out."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> str | None:
    if isinstance(node, yaml.SequenceNode):
        name, *default = loader.construct_sequence(node)
        return os.environ.get(name, default[0] if default else None)
    return os.environ.get(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def config(book: Book) -> dict:
    """``mkdocs.yml``, read as data."""
    return yaml.load((book.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


def reading_order(book: Book) -> list[Entry]:
    """The nav of ``mkdocs.yml``, flattened: each section (a part) followed by its pages."""
    out: list[Entry] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, str):
                out.append(Entry(item, item))
                continue
            for title, value in item.items():
                if isinstance(value, list):
                    out.append(Entry(title, None))
                    walk(value)
                elif not urlsplit(value).scheme:  # an external link in the nav is no page of the book
                    out.append(Entry(title, value))

    walk(config(book)["nav"])
    return out


def _built(site: Path, page: str) -> str:
    """Where the site holds the page ``page`` (a Markdown path): ``x.html`` or ``x/index.html``."""
    stem = page[: -len(".md")]
    for rel in [f"{stem}.html"] + ([] if stem == "index" or stem.endswith("/index") else [f"{stem}/index.html"]):
        if (site / rel).is_file():
            return rel
    raise BuildError(f"{site} has no built page for {page}: build the site first (make pdf does)")


def _slug(rel: str) -> str:
    stem = rel[: -len(".html")]
    stem = stem[: -len("/index")] if stem.endswith("/index") else stem
    return "p-" + re.sub(r"[^A-Za-z0-9_]+", "-", stem)


def _online(site_url: str, rel: str) -> str:
    """The address on the published site (folder URLs) of the file ``rel`` of a built site."""
    if rel.endswith("index.html"):
        rel = rel[: -len("index.html")]
    elif rel.endswith(".html"):
        rel = rel[: -len(".html")] + "/"
    return f"{site_url.rstrip('/')}/{rel}" if site_url else rel


def assemble(book: Book, site: Path, folder: Path, site_url: str | None = None) -> Layout:
    """Lay the built ``site`` out for printing: write its pieces as HTML files in ``folder``."""
    conf = config(book)
    site_url = site_url or book.site_url or conf.get("site_url") or ""
    site, folder = site.resolve(), folder.resolve()
    order = reading_order(book)
    built = {e.page: _built(site, e.page) for e in order if e.page}
    slugs = {rel: _slug(rel) for rel in built.values()}
    aliases = dict(slugs)
    for rel, slug in slugs.items():  # a link may name the page's folder, with or without a slash
        if rel.endswith("index.html"):
            aliases[rel[: -len("index.html")]] = slug
            aliases[rel[: -len("/index.html")]] = slug

    def own(rel: str, article: str) -> str:
        """The article of the page ``rel`` with its ids its own and its links pointing into the book or online."""
        base, slug = posixpath.dirname(rel), slugs[rel]

        def tag(m: re.Match) -> str:
            loads = m[1].lower() in LOADS  # what it names is part of the page (a figure, a stylesheet)
            return f"<{m[1]}{ATTRIBUTE.sub(lambda a: attribute(a, loads), m[2])}>"

        def attribute(m: re.Match, loads: bool) -> str:
            name, value = m[1], htmllib.unescape(m[2])
            if name in ("href", "src"):
                value = link(value, loads or name == "src")
            else:
                value = " ".join(f"{slug}--{v}" for v in value.split())
            return f'{name}="{htmllib.escape(value, quote=True)}"'

        def link(url: str, loads: bool) -> str:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                return url
            fragment = unquote(parts.fragment)
            if not parts.path:
                return f"#{slug}--{fragment}" if fragment else f"#{slug}"
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
            if loads:
                return Path(os.path.relpath(site / target, folder)).as_posix()
            if target in aliases:
                return f"#{aliases[target]}--{fragment}" if fragment else f"#{aliases[target]}"
            online = _online(site_url, target)
            return f"{online}#{parts.fragment}" if parts.fragment else online

        return START_TAG.sub(tag, article)

    pieces: list[Piece] = []
    contents: list[Heading] = []
    for n, entry in enumerate(order):
        if entry.page is None:
            anchor = f"part-{n}"
            title = htmllib.escape(entry.title)
            pieces.append(Piece(anchor, f'<section class="dh-part" id="{anchor}"><h1>{title}</h1></section>'))
            contents.append(Heading(anchor, title, part=True))
            continue
        rel = built[entry.page]
        text = (site / rel).read_text(encoding="utf-8")
        if ARTICLE not in text:
            raise BuildError(f"{site / rel}: no <article> of Material's to print")
        article = text[text.index(ARTICLE) + len(ARTICLE) : text.rindex("</article>")]
        address = _online(site_url, rel)
        interactive = (
            '<div class="admonition note"><p class="admonition-title">Interactive</p><p>This part of the page runs '
            f'in a browser: it is at <a href="{address}">{htmllib.escape(address)}</a>.</p></div>'
        )
        if "<script" in article:  # it runs only in a browser
            h1 = re.search(r"<h1[^>]*>.*?</h1>", article, re.S)
            article = (h1[0] if h1 else f"<h1>{htmllib.escape(entry.title)}</h1>") + interactive
        article = re.sub(r"<noscript>.*?</noscript>", interactive, article, flags=re.S)  # what a script would draw
        article = re.sub(r'<img [^>]*src="[^"]*#only-dark"[^>]*>', "", article)  # paper is light
        article = re.sub(r"<details(?![^>]*\sopen)", "<details open", article)
        article = own(rel, re.sub(r'<a class="headerlink"[^>]*>[^<]*</a>', "", article))  # ¶, for the screen
        slug = slugs[rel]
        pieces.append(Piece(slug, f'<section class="dh-page" id="{slug}">{article}</section>'))
        sections = [Heading(m[1], m[2]) for m in re.finditer(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', article, re.S)]
        heading = Heading(slug, htmllib.escape(entry.title), sections)
        (contents[-1].children if contents and contents[-1].part else contents).append(heading)

    title = htmllib.escape(conf.get("site_name", "Book"))
    description = htmllib.escape(conf.get("site_description") or "")
    front = (
        f'<section class="dh-title-page" id="title"><h1>{title}</h1><p>{description}</p>'
        + (f'<p><a href="{site_url}">{htmllib.escape(site_url)}</a></p>' if site_url else "")
        + f"<p>{htmllib.escape(conf.get('copyright') or '')}</p></section>"
        + '<section class="dh-toc"><h1 id="contents">Contents</h1><ol>'
        + "".join(h.html() for h in contents)
        + "</ol></section>"
    )
    pieces.insert(0, Piece("front", front))
    _write(site, folder, conf, pieces)
    return Layout(folder, conf.get("site_name", "Book"), pieces, contents)


def _write(site: Path, folder: Path, conf: dict, pieces: list[Piece]) -> None:
    """Each piece as an HTML page of its own, with the site's stylesheets; a link to another piece names its file,
    and each piece carries a hidden link to every element of it that another links to, for Chromium to mark it."""
    first = (site / "index.html").read_text(encoding="utf-8")
    head = "\n".join(
        f'<link rel="stylesheet" href="{Path(os.path.relpath(site / h, folder)).as_posix()}">'
        for h in re.findall(r'<link rel="stylesheet" href="([^"]+)"', first)
        if not urlsplit(h).scheme
    )
    body = re.search(r"<body([^>]*)>", first)
    attrs = re.sub(r'data-md-color-scheme="[^"]*"', 'data-md-color-scheme="default"', body[1] if body else "")
    owner = {anchor: piece.file for piece in pieces for anchor in re.findall(r'\sid="([^"]+)"', piece.body)}
    targets = {t for piece in pieces for t in HREF.findall(piece.body)}
    style = STYLE % {"title": conf.get("site_name", "Book").replace('"', "")}
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.html"):
        old.unlink()
    for piece in pieces:

        def where(m: re.Match, here: str = piece.file) -> str:
            there = owner.get(m[1])
            return m[0] if there in (None, here) else f'href="{there}.html#{m[1]}"'

        marks = "".join(f'<a href="#{t}"></a>' for t in sorted(targets) if owner.get(t) == piece.file)
        document = (
            f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{piece.file}</title>\n{head}\n'
            f"<style>{style}</style></head>\n<body{attrs}>\n"
            f'<article class="md-typeset dh-print">{HREF.sub(where, piece.body)}</article>\n'
            f"<div hidden>{marks}</div>\n</body></html>\n"
        )
        (folder / f"{piece.file}.html").write_text(document, encoding="utf-8")


def print_pdf(layout: Layout, pdf: Path, chromium: str = CHROMIUM, log: Callable[[str], object] = print) -> int:
    """Print the ``layout`` to ``pdf`` with Chromium; return its number of pages."""
    if not Path(chromium).exists():
        raise BuildError(
            f"Chromium not found at {chromium}: the PDF is printed by Debian's Chromium "
            "(`sudo apt-get install -y chromium`, or set DOWNHILL_CHROMIUM)"
        )
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    start = time.perf_counter()
    printed: dict[str, PdfReader] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.emulate_media(media="print", color_scheme="light")

            def render(piece: Piece, first_page: int, numbers: dict[str, int] | None = None) -> PdfReader:
                tab.goto((layout.folder / f"{piece.file}.html").as_uri(), wait_until="load", timeout=300_000)
                tab.add_style_tag(content=f"html {{ counter-reset: page {first_page - 1}; }}")
                if numbers:
                    tab.evaluate(
                        "n => document.querySelectorAll('.dh-pageno').forEach(e => e.textContent = n[e.dataset.for])",
                        {k: str(v) for k, v in numbers.items()},
                    )
                tab.evaluate("document.fonts.ready.then(() => true)")
                target = layout.folder / f"{piece.file}.pdf"
                tab.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
                return PdfReader(target)

            page = 1
            for piece in layout.pieces:
                printed[piece.file] = render(piece, page)
                layout.starts[piece.file] = page
                page += len(printed[piece.file].pages)
            where = _destinations(layout, printed)
            numbers = {h.anchor: where[h.anchor][0] + 1 for top in layout.contents for h in top.walk()}
            front = render(layout.pieces[0], 1, numbers)
            if len(front.pages) == len(printed["front"].pages):  # the numbers took no more room than the blanks
                printed["front"] = front
        finally:
            browser.close()
    log(f"printed {len(layout.pieces)} pieces in {time.perf_counter() - start:.1f} s")
    return _join(layout, printed, pdf)


def _destinations(layout: Layout, printed: dict) -> dict[str, tuple[int, float, float]]:
    """Every element a link points at: its page in the book (from 0), and its left and top on that page."""
    out, offset = {}, 0
    for piece in layout.pieces:
        reader = printed[piece.file]
        for name, dest in reader.named_destinations.items():
            out[name.lstrip("/")] = (offset + reader.get_destination_page_number(dest), dest.left, dest.top)
        offset += len(reader.pages)
    return out


def _join(layout: Layout, printed: dict, pdf: Path) -> int:
    """The pieces as one PDF, its links pointing into it, with an outline of parts, chapters and sections."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, Fit, FloatObject, IndirectObject, NameObject, NullObject

    where = _destinations(layout, printed)
    writer = PdfWriter()
    for piece in layout.pieces:
        for page in printed[piece.file].pages:
            writer.add_page(page)
    prefix = layout.folder.as_uri() + "/"
    broken = []
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            if isinstance(annot.get("/Dest"), ArrayObject):
                continue  # a place on a page already
            if "/Dest" in annot:
                anchor = str(annot["/Dest"]).lstrip("/")
            elif str(annot.get("/A", {}).get("/URI", "")).startswith(prefix):
                anchor = unquote(urlsplit(str(annot["/A"]["/URI"])).fragment)
                del annot["/A"]
            else:
                continue
            if anchor not in where:
                broken.append(anchor)
                annot[NameObject("/Dest")] = ArrayObject([page.indirect_reference, NameObject("/Fit")])
                continue
            number, left, top = where[anchor]
            annot[NameObject("/Dest")] = ArrayObject(
                [
                    writer.pages[number].indirect_reference,
                    NameObject("/XYZ"),
                    FloatObject(left or 0),
                    FloatObject(top) if top is not None else NullObject(),
                    FloatObject(0),
                ]
            )
    if broken:
        raise BuildError(f"the PDF has {len(broken)} links to nowhere, such as #{', #'.join(sorted(set(broken))[:5])}")

    def outline(heading: Heading, parent: IndirectObject | None = None) -> None:
        number, left, top = where[heading.anchor]
        title = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", _without_mathml(heading.title)))).strip()
        item = writer.add_outline_item(
            title=title, page_number=number, parent=parent, fit=Fit.xyz(left, top, 0), is_open=heading.part
        )
        for child in heading.children:
            outline(child, item)

    for heading in layout.contents:
        outline(heading)
    writer.add_metadata({"/Title": layout.title, "/Creator": "bookbuild, printed by Chromium"})
    writer.page_mode = "/UseOutlines"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    partial = pdf.with_name(pdf.name + ".partial")
    with partial.open("wb") as f:
        writer.write(f)
    partial.replace(pdf)
    return len(writer.pages)


def _without_mathml(html: str) -> str:
    """A heading's HTML without KaTeX's MathML copy, so that its text says each formula once."""
    return re.sub(r'<span class="katex-mathml">.*?</math></span>', "", html, flags=re.S)
