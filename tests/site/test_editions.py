"""The book to take away: the offline edition read from disk, the PDF, and lessonlib's wheel in a fresh environment.

Once the site is built, three background jobs (at the lower priority, filling the time the browser tests leave):

* the offline edition, built as `make offline` builds it (Material's offline plugin on) from the session build's
  caches, so no snippet runs again and no formula is typeset again; zipped, and unzipped into a folder of its own;
  Chromium then opens every page of it from ``file://``;
* the PDF, printed from that edition as `make pdf` prints it, and read back with poppler's ``pdftotext``;
* the wheel the site publishes, installed into a fresh virtual environment outside the repository, where a snippet
  copied from a page's code block runs.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from bookbuild import Book, offline, pdf
from tests.conftest import ROOT, background, background_result
from tests.site.test_browser import CHROMIUM, tool_or_skip
from tests.site.test_playground import DRAWN as PLAYGROUND_DRAWN

LOCAL = ("file", "data", "blob", "about")  # what a page read from disk may request


# --------------------------------------------------------------------------- #
# The offline edition


@dataclass
class Edition:
    site: Path  # as built
    zip: Path
    unzipped: Path  # the zip's folder, unzipped
    returncode: int
    output: str
    seconds: float

    def check(self) -> None:
        if self.returncode != 0:
            pytest.fail(f"the offline edition's build failed (exit {self.returncode}):\n{self.output[-6000:]}")


@background("offline_edition", after="built_site", yields=True)
def _offline_edition(folder: Path, built_site) -> Edition | None:
    if built_site.returncode != 0:
        return None
    start = time.perf_counter()
    env = dict(
        os.environ,
        DOWNHILL_CACHE=str(built_site.cache),  # the session build's runs and formulas: nothing runs again
        DOWNHILL_OFFLINE="true",
        SITE_URL=f"http://127.0.0.1:{built_site.port}/",  # the session build's: its notebooks are reused as they are
        NO_MKDOCS_2_WARNING="1",
    )
    site = folder / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    archive, unzipped = folder / offline.ZIP, folder / "unzipped"
    if proc.returncode == 0:
        offline.zip_site(site, archive, env["SITE_URL"])
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(unzipped)
    return Edition(
        site,
        archive,
        unzipped / "downhill",
        proc.returncode,
        proc.stdout + proc.stderr,
        time.perf_counter() - start,
    )


@pytest.fixture(scope="session")
def offline_edition(request, built_site) -> Edition:
    built_site.check()
    edition = background_result(request, "offline_edition")
    edition.check()
    return edition


def test_the_offline_build_has_no_warnings_and_keeps_its_search_and_shim(offline_edition):
    warnings = [line for line in offline_edition.output.splitlines() if re.search(r"\bWARNING\b", line)]
    assert not warnings, "\n".join(warnings)
    site = offline_edition.site
    assert (site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = {")
    shim = site / offline.SHIM
    assert shim.read_bytes() == (ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js").read_bytes()
    chapter = (site / "part-1" / "03-gradient-descent.html").read_text(encoding="utf-8")
    assert '<script src="../assets/iframe-worker/shim.js"></script>' in chapter
    assert "unpkg.com" not in chapter and "navigation.instant" not in chapter
    assert not (site / "downloads" / offline.ZIP).exists() and not (site / "downloads" / offline.PDF).exists()


def test_a_zip_is_the_same_bytes_from_the_same_files(tmp_path):
    site = tmp_path / "site"
    for name, text in [("index.html", "home"), ("b/index.html", "b"), ("a.css", "a"), ("sitemap.xml", "<urlset/>")]:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    offline.zip_site(site, tmp_path / "one.zip")
    time.sleep(0.01)
    (site / "a.css").touch()  # a later date on disk, the same bytes in the zip
    offline.zip_site(site, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as zf:
        assert zf.namelist() == ["downhill/a.css", "downhill/b/index.html", "downhill/index.html"]


def test_the_zip_holds_the_site_in_one_folder(offline_edition, built_site):
    port = built_site.port
    with zipfile.ZipFile(offline_edition.zip) as zf:
        names = zf.namelist()
        assert names == sorted(names) and all(n.startswith("downhill/") for n in names)
        assert {zf.getinfo(n).date_time for n in names} == {(1980, 1, 1, 0, 0, 0)}
        assert "downhill/index.html" in names and "downhill/sitemap.xml" not in names
        home = zf.read("downhill/index.html").decode()
    assert all(f'href="http://127.0.0.1:{port}/{p}"' in home for p in offline.PUBLISHED)  # where they are published


#: An element that loads what it names, from the network (a canonical link only names the published page).
REMOTE = re.compile(
    r'<(?:script|img|iframe|source|video|audio)\b[^>]*\ssrc="(?:https?:)?//'
    r'|<link\b(?![^>]*rel="canonical")[^>]*\shref="(?:https?:)?//'
)


def test_every_page_of_the_offline_edition_names_its_files_and_loads_nothing_remote(offline_edition):
    """From file:// a link to a folder shows a folder listing, not a page: every link and every resource names a
    file of the zip. No page loads anything from the network, and every formula arrived typeset (static checks of
    every page; the browser test below reads the pages of the nav)."""
    root = offline_edition.unzipped
    missing, checked = [], 0
    for page in sorted(root.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(root).as_posix()
        missing += [f"{where}: loads {m[0]}" for m in REMOTE.finditer(text)]
        marked = re.findall(r'<(?:span|div) class="arithmatex">(.{0,20})', text)
        missing += [f"{where}: math not typeset: {m}" for m in marked if not m.startswith('<span class="katex')]
        for url in re.findall(r'(?:href|src)="([^"]+)"', text):
            url = htmllib.unescape(url)
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("//", "#")) or not parts.path:
                continue
            checked += 1
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() and target.relative_to(root.resolve()).as_posix() not in offline.PUBLISHED:
                missing.append(f"{page.relative_to(root)}: {url}")
    assert checked > 1000
    assert not missing, "\n".join(missing[:20])


PAGE_CHECK = """() => ({
  untypeset: [...document.querySelectorAll('.arithmatex')].filter(el => !el.querySelector('.katex')).length,
  typeset: document.querySelectorAll('.katex').length,
  broken: [...document.images].filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src),
  images: document.images.length,
})"""


def _open(chromium, url: str):
    tab = chromium.new_page()
    errors: list[str] = []
    outside: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("request", lambda r: urlsplit(r.url).scheme not in LOCAL and outside.append(r.url))
    tab.goto(url, wait_until="load")
    return tab, errors, outside


def test_every_page_of_the_offline_edition_reads_from_disk(offline_edition, chromium_session):
    """Every page of the nav, opened from file://, shows its math typeset and its figures, with no error and no
    request that leaves the disk; the playground draws."""
    root = offline_edition.unzipped
    every = sorted(root.rglob("*.html"))
    notebooks = [p for p in every if p.parent.name == "notebooks"]
    # every page of the nav, and one notebook page (the others are made alike; the static test checks their files);
    # but the API reference, four seconds of docstrings in Chromium, which the static test checks too
    pages = [p for p in every if p.parent.name != "notebooks" and p.name != "api.html"] + notebooks[:1]
    assert len([p for p in pages if p.parent.name in ("part-1", "part-2")]) >= 17 and notebooks
    assert any(p.name == "playground.html" for p in pages)
    problems, typeset, images = [], 0, 0
    tab, errors, outside = _open(chromium_session, "about:blank")
    for page in pages:
        errors.clear()
        tab.goto(page.as_uri(), wait_until="load")
        where = page.relative_to(root).as_posix()
        if page.name == "playground.html":  # its script comes from the disk too, and draws
            try:
                tab.wait_for_function(PLAYGROUND_DRAWN, timeout=30_000)
            except Exception:
                problems.append(f"{where}: the playground did not draw")
        found = tab.evaluate(PAGE_CHECK)
        typeset, images = typeset + found["typeset"], images + found["images"]
        if found["untypeset"] or (page.parent.name in ("part-1", "part-2") and not found["typeset"]):
            problems.append(f"{where}: {found['untypeset']} formulas not typeset, {found['typeset']} typeset")
        if found["broken"]:
            problems.append(f"{where}: images not loaded: {found['broken']}")
        problems += [f"{where}: console: {e}" for e in errors]
    tab.close()
    problems += [f"a request left the disk: {url}" for url in outside]
    assert not problems, "\n".join(problems)
    assert typeset > 1000 and images > 50


def test_search_works_from_disk(offline_edition, chromium_session):
    """The offline plugin inlines the index as a script; iframe-worker runs the search worker from file://."""
    tab, errors, outside = _open(chromium_session, (offline_edition.unzipped / "index.html").as_uri())
    tab.locator(".md-search__input").click()
    ready = "() => document.querySelector('.md-search-result__meta')?.textContent.trim() === 'Type to start searching'"
    tab.wait_for_function(ready, timeout=60_000)
    tab.locator(".md-search__input").press_sequentially("momentum", delay=20)
    tab.locator(".md-search-result__item").first.wait_for(timeout=60_000)
    hits = tab.eval_on_selector_all(".md-search-result__item a", "els => els.map(a => a.getAttribute('href'))")
    tab.close()
    assert any("05-momentum.html" in h for h in hits), hits
    assert not errors and not outside, errors + outside


# --------------------------------------------------------------------------- #
# The PDF


@dataclass
class BookPdf:
    path: Path
    layout: pdf.Layout
    pages: int
    info: str  # pdfinfo
    text: str  # pdftotext
    seconds: float


@background("book_pdf", after="offline_edition", yields=True)
def _book_pdf(folder: Path, edition: Edition | None) -> BookPdf | None:
    if edition is None or edition.returncode != 0 or not Path(CHROMIUM).exists() or not shutil.which("pdftotext"):
        return None
    start = time.perf_counter()
    layout = pdf.assemble(Book(root=ROOT), edition.site, folder / "pieces", site_url="https://example.org/downhill/")
    path = folder / offline.PDF
    pages = pdf.print_pdf(layout, path, chromium=CHROMIUM, log=lambda _: None)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return BookPdf(path, layout, pages, info, text, time.perf_counter() - start)


@pytest.fixture(scope="session")
def book_pdf(request, offline_edition) -> BookPdf:
    tool_or_skip(CHROMIUM, f"Chromium ({CHROMIUM})", "apt-get install -y chromium")
    tool_or_skip(shutil.which("pdftotext"), "pdftotext", "apt-get install -y poppler-utils")
    return background_result(request, "book_pdf")


def _titles() -> list[str]:
    """Every page of the nav, by its heading, in reading order."""
    out = []
    for entry in pdf.reading_order(Book(root=ROOT)):
        if entry.page:
            heading = re.search(r"^# (.+)$", (ROOT / "docs" / entry.page).read_text(encoding="utf-8"), re.M)
            assert heading, entry.page
            out.append(heading[1].strip())
    return out


def test_the_pdf_is_the_whole_book_in_reading_order(book_pdf):
    """Every page of the nav, chapters and appendices, starts a page of its own, in order, headed by its title."""
    pages = int(re.search(r"^Pages:\s+(\d+)", book_pdf.info, re.M)[1])
    assert pages == book_pdf.pages >= 150
    text = book_pdf.text.split("\f")
    layout = book_pdf.layout
    starts = [layout.starts[p.file] for p in layout.pieces if p.file.startswith("p-")]
    assert starts == sorted(starts)
    for title, start in zip(_titles(), starts, strict=True):
        assert " ".join(title.split()) in " ".join(text[start - 1].split()), f"page {start} is not {title!r}"


def test_the_pdf_has_no_raw_tex(book_pdf):
    """A backslash command or a $$ in the PDF's text is in code (a snippet's matplotlib label, say) or it is math the
    build did not typeset."""
    code = set()
    for html in book_pdf.layout.folder.glob("*.html"):
        for block in re.findall(r"<code[^>]*>(.*?)</code>", html.read_text(encoding="utf-8"), re.S):
            code.update(htmllib.unescape(re.sub(r"<[^>]+>", "", block)).split())
    raw = [
        word for word in book_pdf.text.split() if re.search(r"\\[A-Za-z]+|\\[()\[\]]|\$\$", word) and word not in code
    ]
    assert not raw, raw[:20]


def test_the_pdf_links_into_itself_and_has_an_outline(book_pdf):
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject

    reader = PdfReader(book_pdf.path)
    internal = external = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if isinstance(annot.get("/Dest"), ArrayObject):
                internal += 1
            elif "/A" in annot:
                uri = str(annot["/A"].get("/URI", ""))
                assert not uri.startswith("file:"), f"a link to a file of the build: {uri}"
                external += 1
    assert internal > 300 and external > 100
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    parts = [e.title for e in pdf.reading_order(Book(root=ROOT)) if e.page is None]
    assert all(p in top for p in parts), top
    contents = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(book_pdf.path), "-"], capture_output=True, text=True
    ).stdout
    chapter3 = book_pdf.layout.starts["p-part-1-03-gradient-descent"]
    assert re.search(rf"^\s*3\. Gradient descent\s+{chapter3}$", contents, re.M), contents  # its page number


def test_make_pdf_and_make_offline_are_there():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^offline: ", makefile, re.M) and re.search(r"^pdf: ", makefile, re.M)
    assert "make offline" in (ROOT / "README.md").read_text(encoding="utf-8")
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert all(f'href="{p}"' in home for p in offline.PUBLISHED)
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert "make offline pdf" in workflow


# --------------------------------------------------------------------------- #
# lessonlib's wheel


@background("wheel_run", after="built_site", yields=True)
def _wheel_run(folder: Path, built_site):
    """A fresh virtual environment outside the repository, the site's wheel installed in it (torch, NumPy and
    matplotlib lent by this one through PYTHONPATH, which adds no .pth files: not the repository's editable
    lessonlib), and the first snippet of chapter 3 run there as a reader copies it from the page."""
    if built_site.returncode != 0:
        return None
    outside = Path(tempfile.mkdtemp(prefix="downhill-wheel-"))  # the system's temporary folder, not the repository
    try:
        (wheel,) = sorted((built_site.site / "downloads").glob("lessonlib-*-py3-none-any.whl"))
        venv = outside / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        python = venv / "bin" / "python"
        install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index"]
        subprocess.run([*install, "--quiet", "--disable-pip-version-check", str(wheel)], check=True)
        page = (built_site.site / "part-1" / "03-gradient-descent" / "index.html").read_text(encoding="utf-8")
        shown = r'<span class="filename">x_squared\.py</span>\s*<pre[^>]*>.*?<code[^>]*>(.*?)</code>'
        block = re.search(shown, page, re.S)
        code = htmllib.unescape(re.sub(r"<[^>]+>", "", block[1]))
        (outside / "copied.py").write_text(code, encoding="utf-8")
        env = {
            "PATH": os.environ["PATH"],
            "PYTHONPATH": sysconfig.get_paths()["purelib"],
            "DOWNHILL_DEVICE": "cpu",
            "MPLBACKEND": "Agg",
            "HOME": str(outside),
        }
        where = [str(python), "-c", "import lessonlib; print(lessonlib.__file__)"]
        located = subprocess.run(where, cwd=outside, env=env, capture_output=True, text=True)
        ran = subprocess.run([str(python), "copied.py"], cwd=outside, env=env, capture_output=True, text=True)
        return wheel, venv, code, located, ran
    finally:
        shutil.rmtree(outside, ignore_errors=True)


@pytest.fixture(scope="session")
def wheel_run(request, built_site):
    built_site.check()
    return background_result(request, "wheel_run")


def test_the_published_wheel_runs_a_snippet_copied_from_a_page(wheel_run, built_site):
    wheel, venv, code, located, ran = wheel_run
    assert located.returncode == 0, located.stderr
    assert Path(located.stdout.strip()).is_relative_to(venv), f"lessonlib came from {located.stdout.strip()}"
    assert not Path(located.stdout.strip()).is_relative_to(ROOT)
    assert "from lessonlib" in code and ran.returncode == 0, ran.stderr[-3000:]
    assert ran.stdout == built_site.run("03_gradient_descent/x_squared.py").stdout


def test_the_wheel_is_named_by_the_version_and_installs_lessonlib_whole(built_site):
    import lessonlib
    from bookbuild import wheel

    (path,) = sorted((built_site.site / "downloads").glob("lessonlib-*.whl"))
    assert path.name == f"lessonlib-{lessonlib.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        record = zf.read(f"lessonlib-{lessonlib.__version__}.dist-info/RECORD").decode()
        metadata = zf.read(f"lessonlib-{lessonlib.__version__}.dist-info/METADATA").decode()
    sources = {p.relative_to(ROOT).as_posix() for p in wheel.package_files(Book(root=ROOT))}
    assert sources and sources <= names
    assert all(f"{n}," in record for n in names)
    assert "Requires-Dist: torch" in metadata and "Requires-Dist: numpy" in metadata


def test_the_wheel_is_the_same_bytes_when_built_again(tmp_path):
    from bookbuild import wheel

    first = wheel.build(Book(root=ROOT, cache=tmp_path / "a")).read_bytes()
    assert wheel.build(Book(root=ROOT, cache=tmp_path / "b")).read_bytes() == first


def test_snippets_and_notebooks_say_how_to_install_the_wheel(built_site):
    from bookbuild.notebooks import INSTALL_TAG

    url = f"http://127.0.0.1:{built_site.port}/downloads/lessonlib-"
    page = (built_site.site / "part-1" / "03-gradient-descent" / "index.html").read_text(encoding="utf-8")
    assert f"pip install {url}" in page
    nb = json.loads((built_site.site / "downloads" / "03_gradient_descent.ipynb").read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert first["metadata"]["tags"] == [INSTALL_TAG]
    source = "".join(first["source"])
    assert "import lessonlib\nexcept ImportError:" in source and url in source
