"""Shared fixtures: the built site, the second runs of the snippets, and the order the suite runs in.

The slow work of a test session runs in the background from the moment
collection ends, so the tests that need none of it (the library's, the
docstrings', the build package's) use the other core meanwhile:

* the site is built once, with ``mkdocs build --strict``, into a temporary
  folder and with an empty cache, so every snippet really runs in this session;
* every chapter's snippets run again as its notebook runs them (in order, in one
  namespace) under another CPU's arithmetic (``OTHER_ARITHMETIC``);
* every snippet that draws runs again, on this machine's arithmetic, to show
  its figures are the same bytes from one run to the next.

Only what the collected tests need is started; the tests that need it run last.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bookbuild import Book, Manifest, Run
from bookbuild.directive import DIRECTIVE, parse_snippet
from bookbuild.notebooks import chapters
from bookbuild.runs import run_as_notebooks, run_uncached

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
BOOK = Book(root=ROOT)

#: What a machine without AVX, or with another BLAS, computes: torch's scalar
#: kernels, MKL's reproducible path, one thread.
OTHER_ARITHMETIC = {
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_CBWR": "COMPATIBLE",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def snippet_files() -> list[Path]:
    return BOOK.snippet_paths()


def included_snippets() -> set[str]:
    """Every snippet path that some page includes."""
    return {
        parse_snippet(m["args"], page.name)[0]
        for page in DOCS.rglob("*.md")
        for m in DIRECTIVE.finditer(page.read_text(encoding="utf-8"))
    }


@dataclass
class Build:
    site: Path
    cache: Path
    port: int
    returncode: int
    output: str
    seconds: float

    def check(self) -> None:
        if self.returncode != 0:
            pytest.fail(f"mkdocs build --strict failed (exit {self.returncode}):\n{self.output[-6000:]}")

    def manifest(self) -> Manifest:
        """The build's record of every snippet run: path -> stdout, stderr, figures, published values, cache key."""
        self.check()
        return Manifest.read(Book(root=ROOT, cache=self.cache).manifest_path)

    def run(self, snippet: str) -> Run:
        """What this build's run of ``snippet`` ("snippets/<chapter>/<topic>.py", or "<chapter>/<topic>.py")
        printed, drew and published."""
        return self.manifest()[snippet if snippet.startswith("snippets/") else f"snippets/{snippet}"]

    def values(self, snippet: str) -> dict:
        """The values ``snippet`` published (``lessonlib.publish``), by name."""
        return self.run(snippet).values


# --------------------------------------------------------------------------- #
# Background work


class Background:
    """The session's slow work, started when collection ends and waited for by the fixtures below."""

    NEEDS = {"built_site": "build", "notebook_runs": "notebooks", "redrawn": "redraw"}

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(4)
        self.futures: dict[str, Future] = {}
        self.folder = Path(tempfile.mkdtemp(prefix="downhill-tests-"))

    def start(self, needed: set[str]) -> None:
        if "build" in needed:
            self.futures["build"] = self.pool.submit(_build, self.folder / "build")
        if "notebooks" in needed:
            order = {ch: [ROOT / s for s in snippets] for ch, (_, snippets) in chapters(BOOK).items()}
            self.futures["notebooks"] = self.pool.submit(
                _quietly, run_as_notebooks, BOOK, order, self.folder / "other-arithmetic", OTHER_ARITHMETIC
            )
        if "redraw" in needed:
            drawing = [p for p in snippet_files() if "savefig(" in p.read_text(encoding="utf-8")]
            self.futures["redraw"] = self.pool.submit(
                _quietly, run_uncached, BOOK, drawing, self.folder / "same-arithmetic"
            )

    def result(self, what: str):
        if what not in self.futures:  # a fixture asked for by a test collected some other way
            self.start({what})
        return self.futures[what].result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


def _quietly(function, *args):
    """``function(*args)``, or the exception it raised (a fixture re-raises it, failing only the tests that need it)."""
    try:
        return function(*args)
    except Exception as err:  # noqa: BLE001
        return err


def _build(folder: Path) -> Build:
    # A writer iterating on one chapter may keep the snippet and notebook caches
    # between sessions (DOWNHILL_TEST_CACHE=/some/dir); `make test` and CI never
    # set it, so there every snippet and notebook runs afresh.
    caches = Path(os.environ["DOWNHILL_TEST_CACHE"]) if os.environ.get("DOWNHILL_TEST_CACHE") else folder
    port = _free_port()
    env = dict(
        os.environ,
        SITE_URL=f"http://127.0.0.1:{port}/",  # Material's instant navigation needs the real address
        DOWNHILL_CACHE=str(caches / "cache"),
        NO_MKDOCS_2_WARNING="1",
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return Build(
        folder / "site", caches / "cache", port, proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pytest_configure(config):
    config.downhill_background = Background()


def pytest_unconfigure(config):
    config.downhill_background.close()


def _needs(item) -> set[str]:
    return {what for name, what in Background.NEEDS.items() if name in getattr(item, "fixturenames", ())}


def pytest_collection_modifyitems(config, items):
    # The tests that wait for background work run last, in their own order; the rest use the time until then.
    items.sort(key=lambda item: bool(_needs(item)))


def pytest_collection_finish(session):
    needed = set().union(*map(_needs, session.items)) if session.items else set()
    session.config.downhill_background.start(needed)


def _result(request, what: str):
    result = request.config.downhill_background.result(what)
    if isinstance(result, Exception):
        raise result
    return result


@pytest.fixture(scope="session")
def built_site(request) -> Build:
    return _result(request, "build")


@pytest.fixture(scope="session")
def notebook_runs(request) -> dict[str, list[Run]]:
    """Each chapter's snippets, run in order in one namespace as its notebook runs them, under the other arithmetic."""
    return _result(request, "notebooks")


@pytest.fixture(scope="session")
def redrawn(request) -> dict[str, Run]:
    """Every snippet that draws, run again standalone on this machine's arithmetic (while the machine is loaded)."""
    return _result(request, "redraw")


def pages_quoting() -> dict[str, set[tuple[str, str]]]:
    """snippet -> {(name, format)} of every ``{{ value(...) }}`` on every page."""
    from bookbuild.directive import quoted

    out: dict[str, set] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for snippet, name, fmt in quoted(page.read_text(encoding="utf-8"), page.name):
            out.setdefault(snippet, set()).add((name, fmt))
    return out
