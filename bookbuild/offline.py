"""The offline edition: the site built for reading from disk, opened from ``file://``, and zipped.

``make offline`` builds the site with Material's offline plugin on (``DOWNHILL_OFFLINE=true``): links name their
``.html`` files instead of folders, and the search index is inlined as a script. Search runs in a web worker, which a
browser will not start from ``file://``; ``iframe-worker`` (npm, pinned in ``package.json``) stands in for it. The
plugin would load that shim from a CDN; the site serves it itself, from ``node_modules/``, as it serves KaTeX. Instant
navigation, which needs a server, is turned off. Then :func:`zip_site` writes ``dist/downhill-offline.zip``, the
same bytes from the same site: entries sorted, every date the zip format's earliest.

Two downloads are published beside the site, not inside it: the PDF and the zip itself. In the zip, their links (on
the home page) point at the published site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bookbuild.book import ROOT, Book, BuildError
from bookbuild.wheel import write_zip

#: Where ``make offline`` and ``make pdf`` put what they make.
DIST = ROOT / "dist"
ZIP = "downhill-offline.zip"
PDF = "downhill.pdf"
#: The files published beside the site, in ``downloads/``, that the build of the site does not make.
PUBLISHED = (f"downloads/{PDF}", f"downloads/{ZIP}")
#: Where the site serves iframe-worker's shim, the one polyfill the offline edition lists.
SHIM = "assets/iframe-worker/shim.js"
#: Left out of the zip: a sitemap lists the published site's addresses, with the day of the build; the page a server
#: answers for a missing address names its files from the server's root, which a disk does not have.
LEFT_OUT = {"sitemap.xml", "sitemap.xml.gz", "404.html"}


def shim_source(book: Book) -> Path:
    """iframe-worker's shim as npm installed it."""
    path = book.root / "node_modules" / "iframe-worker" / "shim" / "index.js"
    if not path.is_file():
        raise BuildError(
            f"iframe-worker is not installed ({book.rel(path)} is missing): run `npm ci` "
            "(the README's set-up does); the offline edition's search needs it."
        )
    return path


def configure(config: Any) -> bool:
    """Whether MkDocs builds the offline edition (Material's offline plugin on); if it does, its settings: iframe-worker
    served by the site, instant navigation off. ``config`` is MkDocs' configuration (bookbuild does not import it)."""
    plugin = config.plugins.get("material/offline")
    if not (plugin and plugin.config.enabled):
        return False
    config.extra["polyfills"] = polyfills(config.extra.get("polyfills", []))
    config.theme["features"] = [f for f in config.theme["features"] if f != "navigation.instant"]
    return True


def polyfills(listed: list) -> list[str]:
    """The theme's polyfills with iframe-worker served by the site: any other address of it (the offline plugin
    adds a CDN's) replaced by :data:`SHIM`."""
    return [str(p) for p in listed if "iframe-worker" not in str(p)] + [SHIM]


def published_links(html: str, site_url: str | None) -> str:
    """A page of the offline edition with its links to :data:`PUBLISHED` pointing at the published site: the zip
    does not hold them (the PDF is printed from the offline edition, and the zip is itself)."""
    if not site_url:
        return html
    names = "|".join(re.escape(p) for p in PUBLISHED)
    return re.sub(rf'href="(?:\.\./)*({names})"', lambda m: f'href="{site_url.rstrip("/")}/{m[1]}"', html)


def zip_site(site: Path, out: Path, site_url: str | None = None, folder: str = "downhill") -> int:
    """Zip the built ``site`` into ``out``, under one ``folder``; return the number of files.

    The bytes depend only on the files: entries are sorted, dated 1980-01-01 and readable by all. The links to the
    PDF and to the zip itself point at the site published at ``site_url``, where they are."""
    if not (site / "index.html").is_file():
        raise BuildError(f"{site} holds no built site (no index.html): build it first (make offline does)")
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix() not in LEFT_OUT)
    entries = {
        f"{folder}/{p.relative_to(site).as_posix()}": (
            published_links(p.read_text(encoding="utf-8"), site_url).encode() if p.suffix == ".html" else p.read_bytes()
        )
        for p in files
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    write_zip(partial, entries)
    partial.replace(out)
    return len(entries)
