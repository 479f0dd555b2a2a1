"""bookbuild.math: formulas typeset by KaTeX under Node at build time, remembered in the cache."""

import html
import re
import shutil
from pathlib import Path

import pytest

from bookbuild import Book, BuildError
from bookbuild.math import Typesetter, formula

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def book(tmp_path) -> Book:
    # the real KaTeX from node_modules, a cache of its own
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return Book(root=tmp_path, cache=tmp_path / "cache")


PAGE = (
    '<p>The rate <span class="arithmatex">\\(\\alpha &lt; 1\\)</span> and the update</p>\n'
    '<div class="arithmatex">\\[\n w_{t+1} = w_t - \\alpha \\nabla L(w_t)\n\\]</div>'
)


def annotations(text: str) -> list[str]:
    """The TeX that KaTeX keeps in each formula's MathML."""
    return [html.unescape(t) for t in re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>', text)]


def test_each_formula_becomes_katex_html_and_mathml_with_its_tex(book):
    with Typesetter(book) as typesetter:
        out = typesetter.page(PAGE, "part/page.md")
    assert "\\(" not in out and "\\[" not in out
    assert out.count('class="katex"') == 2 and out.count('class="katex-display"') == 1  # a display wraps a katex
    assert annotations(out) == ["\\alpha < 1", "w_{t+1} = w_t - \\alpha \\nabla L(w_t)"]
    assert out.count("<math") == 2
    assert out.startswith('<p>The rate <span class="arithmatex"><span class="katex">')


def test_formulas_are_remembered_across_builds_and_node_is_not_started_again(book, monkeypatch):
    with Typesetter(book) as typesetter:
        first = typesetter.page(PAGE, "part/page.md")
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no Node: only the cache can answer
    assert Typesetter(book).page(PAGE, "part/page.md") == first
    with pytest.raises(BuildError, match=r"^part/other\.md: Node\.js is needed to typeset the math"):
        with Typesetter(book) as typesetter:
            typesetter.page('<span class="arithmatex">\\(\\beta\\)</span>', "part/other.md")


def test_a_formula_katex_cannot_parse_fails_the_build_naming_page_and_formula(book):
    with pytest.raises(BuildError, match=r"^part/page\.md: KaTeX cannot typeset '.+frac\{1\}': KaTeX parse error"):
        with Typesetter(book) as typesetter:
            typesetter.page('<span class="arithmatex">\\(\\frac{1}\\)</span>', "part/page.md")


def test_one_node_serves_every_page_of_a_build(book):
    typesetter = Typesetter(book)
    typesetter.page('<span class="arithmatex">\\(a\\)</span>', "one.md")
    node = typesetter.node
    typesetter.page('<span class="arithmatex">\\(b\\)</span>', "two.md")
    assert typesetter.node is node and node.poll() is None
    typesetter.save()
    assert node.poll() == 0 and typesetter.node is None


def test_a_page_without_math_is_left_as_it_is(book):
    text = "<p>No math, only $5 and a \\( in code.</p>"
    with Typesetter(book) as typesetter:
        assert typesetter.page(text, "part/page.md") == text


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ("\\(x^2\\)", ("x^2", False)),
        ("\\[\n  a &amp; b\n\\]", ("a & b", True)),
    ],
)
def test_formula_reads_arithmatex_markup(marked, expected):
    assert formula(marked) == expected


def test_formula_without_delimiters_is_an_error():
    with pytest.raises(BuildError, match="without its delimiters"):
        formula("$x$")


class Entry:
    def __init__(self, title, children=()):
        self.title, self.children = title, list(children)


def test_a_table_of_contents_gets_its_headings_math_typeset(book):
    inner = Entry("The limit \\(\\alpha &lt; 2/L\\)")
    plain = Entry("No math here")
    with Typesetter(book) as typesetter:
        typesetter.toc([Entry("Top", [inner]), plain], "part/page.md")
    assert not hasattr(plain, "typeset")
    title = inner.typeset["title"]
    assert title.startswith('The limit <span class="arithmatex"><span class="katex">')
    assert annotations(title) == ["\\alpha < 2/L"]
