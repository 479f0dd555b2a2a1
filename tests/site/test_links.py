"""No broken internal link or anchor anywhere in the built site."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from bookbuild.offline import PUBLISHED


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.links.append((tag, attrs[key]))


def _parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8", errors="replace"))
    return c


def _target(site: Path, page: Path, url: str) -> Path:
    base = page.parent
    path = unquote(urlsplit(url).path)
    target = (site / path.lstrip("/")) if path.startswith("/") else (base / path)
    target = target.resolve()
    return target / "index.html" if target.is_dir() else target


def test_internal_links_and_anchors(built_site):
    built_site.check()
    site = built_site.site.resolve()
    pages = sorted(site.rglob("*.html"))
    parsed = {p: _parse(p) for p in pages}
    broken = []
    checked = 0
    for page, c in parsed.items():
        for tag, url in c.links:
            if urlsplit(url).scheme or url.startswith("//"):
                continue  # external: not checked (the book must not *load* them; the browser test checks that)
            path, fragment = urldefrag(url)
            target = _target(site, page, path) if path else page
            checked += 1
            if not target.exists() and target.relative_to(site).as_posix() in PUBLISHED:
                continue  # the PDF and the zip, made by `make offline pdf` and published by the Pages workflow
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: <{tag}> {url} -> missing {target}")
                continue
            if fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {url} -> no #{fragment} in {target.relative_to(site)}")
    assert checked > 100, f"only {checked} links checked: the collector is broken"
    assert not broken, "\n".join(broken)


def test_checker_catches_a_broken_link(tmp_path):
    (tmp_path / "index.html").write_text('<a href="missing/">x</a><a href="#nowhere">y</a><p id="here"></p>')
    c = _parse(tmp_path / "index.html")
    assert [u for _, u in c.links] == ["missing/", "#nowhere"] and c.ids == {"here"}
    assert not _target(tmp_path, tmp_path / "index.html", "missing/").exists()
