"""The built site in a real browser: Playwright driving Debian's Chromium.

The site is served from 127.0.0.1. Every page must load with no console error
and no request leaving 127.0.0.1; every math element must be typeset by KaTeX
(no raw \\( \\[ or $ left, no error nodes); every image must load; and math must
still be typeset after one of Material's instant navigations; a code block has a
copy button and an output block none. And axe-core, the accessibility engine
(from npm, at the version package.json pins), must find no serious or critical
violation of WCAG 2.1 A and AA, in the light scheme or the dark, on a page of
each kind (on every page with DOWNHILL_AXE=all: see AXE_PAGES).

Chromium comes from Debian (`apt-get install chromium`; `make test` installs it
where it can). Where it is missing the tests fail under CI and are skipped,
loudly, elsewhere; Playwright never downloads a browser of its own.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bookbuild.pdf import CHROMIUM  # Debian's, or $DOWNHILL_CHROMIUM: the one that prints the PDF
from tests.conftest import ROOT, background, background_result

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def _pages(site: Path) -> list[str]:
    return sorted(
        p.parent.relative_to(site).as_posix() + "/" if p.parent != site else ""
        for p in site.rglob("index.html")
        if "assets" not in p.parts and "search" not in p.parts
    )


def tool_or_skip(path: str | None, what: str, install: str) -> None:
    """Fail under CI, and skip loudly elsewhere, where a tool the tests need (Chromium, pdftotext) is missing."""
    if path and Path(path).exists():
        return
    message = f"{what} not found: install it with `{install}` (make test does, as root)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run these tests")
    pytest.skip("NOT RUN: " + message)


def _chromium_or_skip() -> None:
    tool_or_skip(CHROMIUM, f"Chromium ({CHROMIUM}), for the browser tests", "apt-get install -y chromium")


@pytest.fixture(scope="session")
def browser(built_site, chromium_session):
    return chromium_session, built_site.serve()


def _open(browser, url, **context):
    chromium, base = browser
    page = chromium.new_page(**context)
    errors, outside = [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.on("request", lambda request: _outside(request.url) and outside.append(request.url))
    page.goto(base + url, wait_until="networkidle")
    return page, errors, outside


def _outside(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in ("data", "blob", "about") and parts.hostname != "127.0.0.1"


# How long a page may take to typeset its math or answer a search: a wait, not a speed test (the API page is long,
# CI machines are busy).
WAIT_MS = 60_000

MATH_TYPESET = """() => {
  const marked = [...document.querySelectorAll('.arithmatex')];
  return marked.every(el => el.querySelector('.katex'));
}"""

RAW_MATH_LEFT = """() => {
  const root = document.querySelector('.md-content').cloneNode(true);
  root.querySelectorAll('pre, code, .katex, script, style').forEach(el => el.remove());
  const text = root.textContent;
  return ['\\\\(', '\\\\)', '\\\\[', '\\\\]', '$'].filter(s => text.includes(s));  // '$' covers '$$'
}"""

SEARCH_READY = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  return meta !== null && meta.textContent.trim() === 'Type to start searching';
}"""

IMAGES_BROKEN = """() => [...document.images]
  .filter(img => !(img.complete && img.naturalWidth > 0))
  .map(img => img.getAttribute('src'))"""

#: The copy button copies code, never output: Material's button on every titled code block (a snippet, lessonlib's
#: code, a notebook cell), none on an "Output" block (the build marks those no-copy).
COPY_BUTTONS_WRONG = """() => [...document.querySelectorAll('.md-content .highlight')].flatMap(block => {
  const title = block.querySelector(':scope > .filename')?.textContent;
  const copies = block.querySelector('[data-md-type="copy"]') !== null;
  if (title === 'Output') return copies ? ['an Output block has a copy button'] : [];
  return title && !copies ? [`${title} has no copy button`] : [];
})"""


#: axe-core's script; ``npm ci`` (the set-up) installs it.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: Material's two colour schemes, light and dark: what the palette toggle sets on the body.
SCHEMES = ("default", "slate")
#: The rules whose verdict can change with the colours; the other rules read the page's structure, the same in both.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
#: Material eases colours over 0.25 s when the scheme changes: a check mid-way would measure a blend of the two.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"
#: axe-core checks what a reader sees: the collapsed blocks (the exercises' solutions) are opened first.
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"

#: axe-core's violations of WCAG 2.0 and 2.1, levels A and AA, that it rates serious or critical, in ``scheme``:
#: every rule in the first scheme checked, the colour rules in the second. One line each: the rule, how many
#: elements, one of them, and what the rule asks.
AXE_VIOLATIONS = """async ([scheme, rules]) => {
  document.body.setAttribute("data-md-color-scheme", scheme);
  const wcag21aa = {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]};
  const runOnly = rules ? {type: "rule", values: rules} : wcag21aa;
  const {violations} = await axe.run(document, {runOnly, resultTypes: ["violations"]});
  return violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v =>
    `${v.id} (${v.impact}) on ${v.nodes.length} elements, e.g. ${v.nodes[0].target.join(" ")}: ${v.help}`);
}"""


def _expected_pages() -> list[str]:
    """Every page of the book, from the sources: docs/**/*.md and one notebook per chapter."""
    from tests.conftest import DOCS, snippet_files

    urls = []
    for md in sorted(DOCS.rglob("*.md")):
        rel = md.relative_to(DOCS).with_suffix("").as_posix()
        urls.append("" if rel == "index" else (rel[: -len("index")] if rel.endswith("/index") else rel + "/"))
    urls += sorted({f"notebooks/{p.parent.name}/" for p in snippet_files()})
    return urls


PAGES = _expected_pages()

#: The pages axe-core audits: one of each kind (the home page, a chapter with every kind of block the chapters use,
#: a notebook page, the appendix of tables, the API reference, the playground), the API reference cut to a module of
#: each kind of entry (the others repeat their components). Auditing every page costs far more than the rest of the
#: page checks: over 200 s of CPU on the development machine, 40 s of it for the API reference's 66,000 elements,
#: most of them KaTeX's, against some 14 s for these. ``DOWNHILL_AXE=all`` audits every page, whole: CI's
#: accessibility job does, on every push.
AXE_ALL = os.environ.get("DOWNHILL_AXE") == "all"
AXE_PAGES = (
    PAGES
    if AXE_ALL
    else [
        "",
        "part-2/15-hyperparameters/",
        "notebooks/10_losses/",
        "appendix/how-this-book-is-built/",
        "appendix/api/",
        "playground/",
    ]
)
#: The API reference cut to the modules that each add a kind of entry (function, class, method, attribute).
CUT_API = """() => {
  const kinds = new Set();
  for (const module of document.querySelectorAll('.md-content__inner > .doc-module')) {
    const own = [...module.querySelectorAll('.doc-object')].map(entry => entry.classList[2]);
    if (own.some(kind => !kinds.has(kind))) own.forEach(kind => kinds.add(kind));
    else module.remove();
  }
  return [...document.querySelectorAll('.md-content__inner > .doc-module > .doc-heading')].map(h => h.id);
}"""


def test_the_page_list_matches_the_site(built_site):
    built_site.check()
    assert sorted(PAGES) == _pages(built_site.site)


#: Tabs loading pages at once: a page spends most of its load waiting (for the network to go idle). Each tab loads
#: page after page: a fresh tab costs a new renderer process, about a second of CPU, as much as the page itself.
AT_ONCE = 4


@background("page_reports", after="built_site")
def _load_every_page(folder, built_site) -> dict[str, tuple[list[str], list[str]]] | None:
    """Every page loaded in Chromium, in ``AT_ONCE`` tabs, in the background as soon as the site is built:
    url -> (the problems found on it, axe-core's serious violations on it) (None without Chromium or a site)."""
    if not Path(CHROMIUM).exists() or built_site.returncode != 0:
        return None
    import asyncio

    from playwright.async_api import async_playwright

    base = built_site.serve(search=False)  # the search index is checked once, by the search test

    async def check(page, url, errors, outside):
        errors.clear()
        outside.clear()
        problems = []
        response = await page.goto(base + url, wait_until="networkidle")
        if response is None or not response.ok:
            return [f"not served (HTTP {response.status if response else 'no response'})"], []
        try:
            await page.wait_for_function(MATH_TYPESET, timeout=WAIT_MS)
        except Exception:
            problems.append(f"math not typeset within {WAIT_MS // 1000} s")
        katex_errors = await page.locator(".katex-error").count()
        raw = await page.evaluate(RAW_MATH_LEFT)
        broken = await page.evaluate(IMAGES_BROKEN)
        copy_buttons = await page.evaluate(COPY_BUTTONS_WRONG)
        violations = await _axe(page, url) if url in AXE_PAGES else []  # in the same load
        for what, bad in [
            ("console errors", errors),
            ("requests leaving 127.0.0.1", outside),
            ("KaTeX error nodes", katex_errors),
            ("raw math delimiters", raw),
            ("broken images", broken),
            ("copy buttons", copy_buttons),
        ]:
            if bad:
                problems.append(f"{what}: {bad}")
        return problems, violations

    async def tab(chromium, queue, reports):
        page = await chromium.new_page()
        errors, outside = [], []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("request", lambda request: _outside(request.url) and outside.append(request.url))
        while not queue.empty():
            url = queue.get_nowait()
            reports[url] = await check(page, url, errors, outside)
        await page.close()

    async def check_all():
        queue: asyncio.Queue[str] = asyncio.Queue()
        for url in PAGES:
            queue.put_nowait(url)
        reports: dict[str, tuple[list[str], list[str]]] = {}
        async with async_playwright() as pw:
            chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            await asyncio.gather(*(tab(chromium, queue, reports) for _ in range(AT_ONCE)))
            await chromium.close()
        return reports

    return asyncio.run(check_all())  # this job's thread has no event loop of its own


async def _axe(page, url: str) -> list[str]:
    """axe-core's serious and critical violations on a loaded page, in each scheme, one line each."""
    if not AXE.is_file():
        return [f"axe-core is not installed at {AXE.relative_to(ROOT)}: run `npm ci` (make test does)"]
    await page.add_script_tag(path=str(AXE))
    await page.add_style_tag(content=NO_TRANSITIONS)
    await page.evaluate(OPEN_DETAILS)
    if url == "appendix/api/" and not AXE_ALL:
        await page.evaluate(CUT_API)
    found = []
    for i, scheme in enumerate(SCHEMES):
        rules = COLOUR_RULES if i else None
        found += [f"{scheme} scheme: {v}" for v in await page.evaluate(AXE_VIOLATIONS, [scheme, rules])]
    return found


@pytest.fixture(scope="session")
def page_reports(request, built_site) -> dict[str, tuple[list[str], list[str]]]:
    _chromium_or_skip()
    built_site.check()
    return background_result(request, "page_reports")


@pytest.mark.browser
@pytest.mark.kind_page
@pytest.mark.parametrize("url", PAGES, ids=lambda u: u or "home")
def test_page(page_reports, url):
    problems, _ = page_reports[url]
    assert not problems, f"{url or 'home'}:\n" + "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("url", AXE_PAGES, ids=lambda u: u or "home")
def test_page_is_accessible(page_reports, url):
    """axe-core finds no serious or critical violation of WCAG 2.1 A and AA on the page, light or dark: enough
    contrast, links told apart by more than colour, every scrolling block reachable from the keyboard, and the rest
    of what it checks (names, labels, landmarks, ARIA)."""
    assert url in page_reports, f"AXE_PAGES names {url!r}, which is not a page of the book"
    _, violations = page_reports[url]
    assert not violations, f"{url or 'home'} (axe-core):\n" + "\n".join(violations)


@pytest.mark.browser
def test_math_pages_have_math(browser):
    page, _, _ = _open(browser, "part-1/03-gradient-descent/")
    assert page.locator(".arithmatex .katex").count() > 50
    assert page.locator(".katex-display").count() > 5
    page.close()


@pytest.mark.browser
def test_math_after_instant_navigation(browser):
    page, errors, outside = _open(browser, "")
    assert page.locator(".arithmatex .katex").count() > 0, "the home page should have math to typeset"
    page.evaluate("window.__downhill_marker = 'still here'")
    page.locator('.md-content a[href$="part-1/03-gradient-descent/"]').first.click()
    page.wait_for_url("**/part-1/03-gradient-descent/")
    # the URL changes before the new content is swapped in: wait for the chapter itself, or the check below could
    # pass on the home page's math
    page.wait_for_function("() => document.querySelector('.md-content h1')?.textContent.includes('Gradient descent')")
    page.wait_for_function(MATH_TYPESET, timeout=WAIT_MS)
    assert page.evaluate("window.__downhill_marker") == "still here", "the page was reloaded: instant navigation is off"
    assert page.locator(".arithmatex .katex").count() > 50
    assert not errors and not outside
    page.close()


VISIBLE_FIGURES = """[...document.querySelectorAll('.md-content img[src*="/figures/"]')]
    .filter(img => getComputedStyle(img).display !== 'none')"""
#: Each figure the page shows: its path under figures/ with the scheme's fragment, and whether it has loaded.
SHOWN_FIGURES = f"""() => {VISIBLE_FIGURES}
    .map(img => [new URL(img.src).pathname.split('/figures/')[1] + new URL(img.src).hash, img.naturalWidth > 0])"""
ALL_LOADED = f"() => {VISIBLE_FIGURES}.every(img => img.complete && img.naturalWidth > 0)"


@pytest.mark.browser
def test_each_scheme_shows_its_own_figures_and_the_toggle_switches_them(browser):
    page, errors, outside = _open(browser, "part-1/03-gradient-descent/", color_scheme="light")
    page.wait_for_function(ALL_LOADED, timeout=WAIT_MS)
    light = page.evaluate(SHOWN_FIGURES)
    page.get_by_title("Switch to the dark scheme").click()  # the palette toggle, as a reader switches: no reload
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_function(ALL_LOADED, timeout=WAIT_MS)
    dark = page.evaluate(SHOWN_FIGURES)
    assert light and len(dark) == len(light)
    for (day, day_loaded), (night, night_loaded) in zip(light, dark, strict=True):
        assert day.endswith(".svg#only-light") and night == day.replace(".svg#only-light", ".dark.svg#only-dark")
        assert day_loaded and night_loaded
    assert not errors and not outside
    page.close()


@pytest.mark.browser
def test_search_finds_a_chapter_offline(browser):
    """The search box finds a chapter, with no network.

    The test types as a reader does, key by key, once the box says it is ready. Material searches on key events:
    a value set in one go (Playwright's ``fill``) searched only when the worker happened to finish building its
    index after the value was set, which is why an earlier version of this test passed on a busy machine and timed
    out, with "Type to start searching", on an idle one.
    """
    page, errors, outside = _open(browser, "")
    page.locator(".md-search__input").click()
    page.wait_for_function(SEARCH_READY, timeout=WAIT_MS)
    page.locator(".md-search__input").press_sequentially("Nesterov", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=WAIT_MS)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(a => a.href)")
    assert any("part-1/05-momentum/" in href for href in hrefs), hrefs
    assert not errors and not outside
    page.close()
