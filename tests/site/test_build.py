"""`mkdocs build --strict` passes with zero warnings, and builds what the book promises."""

import json
import re

from tests.conftest import ROOT, snippet_files


def test_strict_build_has_no_warnings(built_site):
    built_site.check()
    warnings = [
        line for line in built_site.output.splitlines() if re.search(r"\bWARNING\b", line) and "IPKernelApp" not in line
    ]
    assert not warnings, "\n".join(warnings)


def test_every_chapter_with_snippets_has_a_notebook(built_site):
    built_site.check()
    chapters = {p.parent.name for p in snippet_files()}
    for chapter in chapters:
        assert (built_site.site / "downloads" / f"{chapter}.ipynb").is_file()
        assert (built_site.site / "notebooks" / chapter / "index.html").is_file()


def test_notebook_page_shows_the_output_and_figures(built_site):
    built_site.check()
    html = (built_site.site / "notebooks" / "03_gradient_descent" / "index.html").read_text()
    # the x² example's last line of output, and the figures inline
    assert "w_20 equals it to 12 decimals: True" in html
    assert html.count('src="../../figures/03_gradient_descent/') >= 3
    assert "cdnjs" not in html and "mathjax" not in html.lower()


def test_math_library_is_served_from_the_site(built_site):
    built_site.check()
    katex = built_site.site / "assets" / "katex"
    assert (katex / "katex.min.css").is_file() and any((katex / "fonts").glob("*.woff2"))
    html = (built_site.site / "part-1" / "03-gradient-descent" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../assets/katex/katex.min.css"' in html
    assert not list(ROOT.glob("docs/**/katex*.js")), "KaTeX must come from npm, not be committed"


def test_math_arrives_typeset_and_the_pages_load_no_math_script(built_site):
    built_site.check()
    for page in sorted(built_site.site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        where = page.relative_to(built_site.site)
        assert "katex.min.js" not in html and "auto-render" not in html and "math.js" not in html, where
        marked = re.findall(r'<(?:span|div) class="arithmatex">(.{0,40})', html)
        assert all(m.startswith(('<span class="katex', '<span class="katex-display')) for m in marked), where
        assert not re.search(r'md-ellipsis">\s*[^<]*\\\(', html), f"{where}: raw math in the table of contents"
    chapter = (built_site.site / "part-1" / "03-gradient-descent" / "index.html").read_text(encoding="utf-8")
    assert chapter.count('<span class="katex-mathml"><math') > 50  # MathML for screen readers, beside the HTML


def test_no_figure_is_committed():
    tracked = (ROOT / ".gitignore").read_text()
    assert "*.svg" in tracked


def test_search_indexes_the_chapters_and_not_the_notebook_copies(built_site):
    built_site.check()
    index = json.loads((built_site.site / "search" / "search_index.json").read_text())
    locations = [doc["location"] for doc in index["docs"]]
    for chapter in ["part-1/03-gradient-descent/", "part-2/14-evaluating-classifiers/", "appendix/api/"]:
        assert any(loc.startswith(chapter) for loc in locations), f"{chapter} is not in the search index"
    assert not [loc for loc in locations if loc.startswith("notebooks/")], "a notebook page would echo its chapter"


def test_every_chapter_shows_its_code_outputs_and_values(built_site):
    """The check the Zensical CI job runs on Zensical's site passes on MkDocs' site."""
    from bookbuild import Book
    from bookbuild.sitecheck import problems

    found = problems(Book(root=ROOT, cache=built_site.cache), built_site.manifest(), built_site.site)
    assert not found, "\n".join(found)
