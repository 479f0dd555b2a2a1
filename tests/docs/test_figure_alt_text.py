"""Every figure has alt text that says what it shows (WCAG 1.1.1): a reader who cannot see it, through a screen
reader or with images off, gets the figure from its words, and so does the notebook page, which repeats them.

axe-core, in the browser tests, accepts an empty ``alt=""`` (it marks an image as decoration); a figure is never
decoration, so these checks ask for more: words enough to say what is drawn, and different words for each figure.
"""

import re

from tests.conftest import DOCS

#: A figure as a page shows it (CONTRIBUTING.md): ``![Alt text that describes the figure](../figures/<ch>/<name>.svg)``;
#: the alt text may hold balanced brackets, as bookbuild.notebooks reads it.
FIGURE = re.compile(r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<src>[^()\s]*figures/[\w-]+/[\w-]+\.svg)\)")
#: Fewer words than this name a figure ("Loss curves", the notebook page's stand-in "Figure <name>") without saying
#: what it shows.
MIN_WORDS = 6


def _figures() -> list[tuple[str, str, str]]:
    """(page, alt text, figure) of every figure the docs show."""
    return [
        (page.relative_to(DOCS).as_posix(), " ".join(m["alt"].split()), m["src"])
        for page in sorted(DOCS.rglob("*.md"))
        for m in FIGURE.finditer(page.read_text(encoding="utf-8"))
    ]


def _alt_problem(alt: str) -> str | None:
    words = len(alt.split())
    return None if words >= MIN_WORDS else f"{words} words (at least {MIN_WORDS}: say what it shows, not only its name)"


def test_every_image_in_the_docs_is_a_figure_with_alt_text():
    """No image is shown another way (an HTML ``<img>``, a reference-style link) that the checks below would miss."""
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(DOCS).as_posix()
        assert text.count("![") == len(FIGURE.findall(text)), f"{rel}: an image not written ![alt](../figures/...svg)"
        assert not re.search(r"<img\b", text), f"{rel}: an <img> tag; show a figure as ![alt](../figures/...svg)"


def test_every_figure_has_alt_text_that_says_what_it_shows():
    figures = _figures()
    assert len(figures) > 50  # the book's figures were found
    bad = [f"{page}: {src}: {problem}: {alt!r}" for page, alt, src in figures if (problem := _alt_problem(alt))]
    assert not bad, "\n".join(bad)


def test_no_two_figures_share_their_alt_text():
    seen: dict[str, str] = {}
    for page, alt, src in _figures():
        assert seen.setdefault(alt, src) == src, f"{page}: {src} and {seen[alt]} have the same alt text {alt!r}"


def test_every_figure_in_the_built_site_has_its_alt_text(built_site):
    """The built pages, the notebook pages included (each figure with its chapter's words, not the stand-in
    "Figure <name>" they fall back on for a figure no chapter shows)."""
    built_site.check()
    bad = []
    for html in sorted(built_site.site.rglob("index.html")):
        for img in re.findall(r"<img\b[^>]*>", html.read_text(encoding="utf-8")):
            src = re.search(r'\ssrc="([^"]*)"', img)
            if not src or "/figures/" not in src[1]:
                continue
            alt = re.search(r'\salt="([^"]*)"', img)
            problem = "no alt attribute" if alt is None else _alt_problem(alt[1])
            if problem:
                bad.append(f"{html.parent.relative_to(built_site.site)}: {src[1]}: {problem}")
    assert not bad, "\n".join(bad)
