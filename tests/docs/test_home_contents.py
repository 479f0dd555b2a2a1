"""The home page's contents list every part, chapter and appendix of the navigation, in its order."""

import re

from tests.conftest import DOCS, ROOT


def _nav_pages() -> list[str]:
    nav = ROOT.joinpath("mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1].split("\n\n", 1)[0]
    return re.findall(r":\s+([\w/.-]+\.md)\s*$", nav, re.M)


def test_the_contents_link_every_page_of_the_navigation_in_order():
    home = DOCS.joinpath("index.md").read_text(encoding="utf-8")
    contents = home.split("## Contents", 1)[1].split("\n## ", 1)[0]
    linked = re.findall(r"\]\(([\w/.-]+\.md)\)", contents)
    pages = [p for p in _nav_pages() if p != "index.md"]
    assert len(pages) >= 20, pages  # sixteen chapters and four appendices at least
    assert linked == pages


def test_the_contents_name_each_part_as_the_navigation_does():
    home = DOCS.joinpath("index.md").read_text(encoding="utf-8")
    nav = ROOT.joinpath("mkdocs.yml").read_text(encoding="utf-8")
    for part in re.findall(r'^  - "(Part [IVX]+: [^"]+)":', nav, re.M):
        assert f"**{part}**" in home, part
