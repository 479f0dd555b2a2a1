"""The built site in a real browser: Playwright driving Debian's Chromium.

The site is served from 127.0.0.1. Every page must load with no console error
and no request leaving 127.0.0.1; every math element must be typeset by KaTeX
(no raw \\( \\[ or $ left, no error nodes); every image must load; and math must
still be typeset after one of Material's instant navigations.

Chromium comes from Debian (`apt-get install chromium`; `make test` installs it
where it can). Where it is missing the tests fail under CI and are skipped,
loudly, elsewhere; Playwright never downloads a browser of its own.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import background, background_result

CHROMIUM = os.environ.get("DOWNHILL_CHROMIUM", "/usr/bin/chromium")
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


def _chromium_or_skip() -> None:
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` (make test does, as root)"
        )
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the browser tests")
        pytest.skip("BROWSER TESTS NOT RUN: " + message)


@pytest.fixture(scope="session")
def browser(built_site):
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium, built_site.serve()
        chromium.close()


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


def test_the_page_list_matches_the_site(built_site):
    built_site.check()
    assert sorted(PAGES) == _pages(built_site.site)


#: Pages loaded at once: they spend most of their time waiting (for the network to go idle, for KaTeX).
AT_ONCE = 4


@background("page_reports", after="built_site")
def _load_every_page(folder, built_site) -> dict[str, list[str]] | None:
    """Every page loaded in Chromium, ``AT_ONCE`` at a time, in the background as soon as the site is built:
    url -> the problems found on it (None without Chromium or a site)."""
    if not Path(CHROMIUM).exists() or built_site.returncode != 0:
        return None
    import asyncio

    from playwright.async_api import async_playwright

    base = built_site.serve(search=False)  # the search index is checked once, by the search test

    async def check(chromium, gate, url):
        async with gate:
            page = await chromium.new_page()
            errors, outside = [], []
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda request: _outside(request.url) and outside.append(request.url))
            problems = []
            response = await page.goto(base + url, wait_until="networkidle")
            if response is None or not response.ok:
                await page.close()
                return url, [f"not served (HTTP {response.status if response else 'no response'})"]
            try:
                await page.wait_for_function(MATH_TYPESET, timeout=WAIT_MS)
            except Exception:
                problems.append(f"math not typeset within {WAIT_MS // 1000} s")
            katex_errors = await page.locator(".katex-error").count()
            raw = await page.evaluate(RAW_MATH_LEFT)
            broken = await page.evaluate(IMAGES_BROKEN)
            await page.close()
        for what, bad in [
            ("console errors", errors),
            ("requests leaving 127.0.0.1", outside),
            ("KaTeX error nodes", katex_errors),
            ("raw math delimiters", raw),
            ("broken images", broken),
        ]:
            if bad:
                problems.append(f"{what}: {bad}")
        return url, problems

    async def check_all():
        async with async_playwright() as pw:
            chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            gate = asyncio.Semaphore(AT_ONCE)
            reports = dict(await asyncio.gather(*(check(chromium, gate, url) for url in PAGES)))
            await chromium.close()
            return reports

    return asyncio.run(check_all())  # this job's thread has no event loop of its own


@pytest.fixture(scope="session")
def page_reports(request, built_site) -> dict[str, list[str]]:
    _chromium_or_skip()
    built_site.check()
    return background_result(request, "page_reports")


@pytest.mark.browser
@pytest.mark.kind_page
@pytest.mark.parametrize("url", PAGES, ids=lambda u: u or "home")
def test_page(page_reports, url):
    problems = page_reports[url]
    assert not problems, f"{url or 'home'}:\n" + "\n".join(problems)


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


@pytest.mark.browser
def test_figures_sit_on_white_in_the_dark_scheme(browser):
    page, _, _ = _open(browser, "part-1/03-gradient-descent/", color_scheme="dark")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    backgrounds = page.evaluate("""() => [...document.querySelectorAll('.md-content img[src$=".svg"]')]
        .map(img => getComputedStyle(img).backgroundColor)""")
    assert backgrounds and set(backgrounds) == {"rgb(255, 255, 255)"}
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
