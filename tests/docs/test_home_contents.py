"""The home page's contents list every part, chapter and appendix of the navigation, in its order."""

import re

from bookbuild.pdf import reading_order
from tests.conftest import BOOK, DOCS


def _nav_pages() -> list[str]:
    return [entry.page for entry in reading_order(BOOK) if entry.page]


def test_the_contents_link_every_page_of_the_navigation_in_order():
    home = DOCS.joinpath("index.md").read_text(encoding="utf-8")
    contents = home.split("## Contents", 1)[1].split("\n## ", 1)[0]
    linked = re.findall(r"\]\(([\w/.-]+\.md)\)", contents)
    pages = [p for p in _nav_pages() if p != "index.md"]
    assert len(pages) >= 20, pages  # sixteen chapters and four appendices at least
    assert linked == pages


def test_the_contents_name_each_part_as_the_navigation_does():
    home = DOCS.joinpath("index.md").read_text(encoding="utf-8")
    parts = [entry.title for entry in reading_order(BOOK) if entry.page is None and entry.title.startswith("Part ")]
    assert len(parts) >= 2, parts
    for part in parts:
        assert f"**{part}**" in home, part
