"""One Chromium for the session's browser tests on the main thread.

Playwright's sync API runs one event loop per thread: a second ``sync_playwright()`` opened on the same thread
while the first is open fails ("using Playwright Sync API inside the asyncio loop"). The tests run in an order of
their own (those that wait for background work last), so two modules' browsers would be open at once; both share
this one. (The playground's tests drive theirs from a thread of their own.)
"""

import pytest

from tests.site.test_browser import ARGS, CHROMIUM, _chromium_or_skip


@pytest.fixture(scope="session")
def chromium_session():
    """Debian's Chromium, launched once (skipped loudly, or failed under CI, where it is missing)."""
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
