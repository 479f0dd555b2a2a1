"""Shared fixtures: the built site, the second runs of the snippets, and the order the suite runs in.

The slow work of a test session runs in the background from the moment the
first test that needs it is collected, so the tests that need none of it (the library's, the
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
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


#: Background jobs by the name of the session fixture that returns their result: (function, the job it waits for).
#: A function takes a folder of its own and the result of the job it waits for (or None).
JOBS: dict[str, tuple[Callable[[Path, Any], Any], str | None]] = {}


def background(name: str, after: str | None = None):
    """Register a function as the background job behind the session fixture ``name``, started (after the job
    ``after``, if given) as soon as collection ends, if a collected test needs that fixture."""

    def register(function):
        JOBS[name] = (function, after)
        return function

    return register


def background_result(request, name: str):
    """The result of the background job ``name`` (waiting for it); its exception, re-raised, fails only the tests
    that need it."""
    result = request.config.downhill_background.result(name)
    if isinstance(result, Exception):
        raise result
    return result


class Background:
    """The session's slow work, started when collection ends and waited for by the fixtures that need it."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(8)
        self.futures: dict[str, Future] = {}
        self.folder = Path(tempfile.mkdtemp(prefix="downhill-tests-"))

    def start(self, names: set[str]) -> None:
        for name in sorted(names):
            function, after = JOBS[name]
            if after:
                self.start({after})
            if name not in self.futures:
                self.futures[name] = self.pool.submit(self._run, function, name, after)

    def _run(self, function, name: str, after: str | None):
        try:
            before = self.futures[after].result() if after else None
            if isinstance(before, Exception):
                return before
            folder = self.folder / name
            folder.mkdir()
            return function(folder, before)
        except Exception as err:  # noqa: BLE001  (handed to the fixture, which re-raises it)
            return err

    def result(self, name: str):
        self.start({name})  # a no-op unless a fixture is asked for by a test collected some other way
        return self.futures[name].result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


@background("built_site")
def _build(folder: Path, _) -> Build:
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
    return set(JOBS) & set(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config, items):
    # The tests that wait for background work run last, in their own order; the rest use the time until then.
    items.sort(key=lambda item: bool(_needs(item)))


def _selecting(config) -> bool:
    """Whether tests are being picked after collection (-k, -m), or only listed: then nothing starts early."""
    return bool(config.option.keyword or config.option.markexpr or config.option.collectonly)


def pytest_itemcollected(item):
    # Start a job the moment the first test that needs it is collected: the build then overlaps the rest of
    # collection (about six seconds).
    if not _selecting(item.config):
        item.config.downhill_background.start(_needs(item))


def pytest_collection_finish(session):
    if not session.config.option.collectonly:
        session.config.downhill_background.start(set().union(set(), *map(_needs, session.items)))


@pytest.fixture(scope="session")
def built_site(request) -> Build:
    return background_result(request, "built_site")


@background("notebook_runs")
def _notebook_runs(folder: Path, _) -> dict[str, list[Run]]:
    order = {ch: [ROOT / s for s in snippets] for ch, (_, snippets) in chapters(BOOK).items()}
    return run_as_notebooks(BOOK, order, folder, OTHER_ARITHMETIC)


@pytest.fixture(scope="session")
def notebook_runs(request) -> dict[str, list[Run]]:
    """Each chapter's snippets, run in order in one namespace as its notebook runs them, under the other arithmetic."""
    return background_result(request, "notebook_runs")


@background("redrawn")
def _redrawn(folder: Path, _) -> dict[str, Run]:
    return run_uncached(BOOK, [p for p in snippet_files() if "savefig(" in p.read_text(encoding="utf-8")], folder)


@pytest.fixture(scope="session")
def redrawn(request) -> dict[str, Run]:
    """Every snippet that draws, run again standalone on this machine's arithmetic (while the machine is loaded)."""
    return background_result(request, "redrawn")


def pages_quoting() -> dict[str, set[tuple[str, str]]]:
    """snippet -> {(name, format)} of every ``{{ value(...) }}`` on every page."""
    from bookbuild.directive import quoted

    out: dict[str, set] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for snippet, name, fmt in quoted(page.read_text(encoding="utf-8"), page.name):
            out.setdefault(snippet, set()).add((name, fmt))
    return out
