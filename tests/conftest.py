"""Shared fixtures: the built site, the second runs of the snippets, and the order the suite runs in.

The slow work of a test session runs in the background from the moment the
first test that needs it is collected, so the tests that need none of it (the library's, the
docstrings', the build package's) use the other core meanwhile:

* the site is built once, with ``mkdocs build --strict``, into a temporary
  folder and with an empty cache, so every snippet really runs in this session;
* every chapter's snippets run again as its notebook runs them (in order, in one
  namespace) under another CPU's arithmetic (``OTHER_ARITHMETIC``);
* every figure must come out the same bytes from one run to the next: the
  notebook runs show it for most (they draw them alike even under the other
  arithmetic), and each snippet whose figure they drew otherwise runs again,
  on this machine's arithmetic;
* the pages are loaded in Chromium, four at a time, once the site is built.

The build and Chromium are the session's longest chain; the other jobs run at
a lower priority and fill the time it leaves.

Only what the collected tests need is started; the tests that need it run last.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bookbuild import Book, Manifest, Run
from bookbuild.directive import DIRECTIVE, parse_snippet
from bookbuild.notebooks import chapters
from bookbuild.runs import run_as_notebooks, run_uncached, varies

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
    _servers: dict[bool, ThreadingHTTPServer] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def serve(self, search: bool = True) -> str:
        """The site's address on 127.0.0.1, one server per kind, started by its first caller.

        The site proper is served at the port the build was told (Material's instant navigation needs it). With
        ``search=False`` a second server, on a port of its own, answers ``search/search_index.json`` with an index
        of no pages: every page load starts Material's search worker, which indexes the whole book (about half a
        second of CPU a page), and the pages checked one by one need none of it; the search test uses the real one.
        """
        self.check()
        with self._lock:
            if search not in self._servers:
                handler = _QuietHandler if search else functools.partial(_EmptySearchHandler, self.site)
                server = ThreadingHTTPServer(
                    ("127.0.0.1", self.port if search else 0),
                    functools.partial(handler, directory=str(self.site)),
                )
                threading.Thread(target=server.serve_forever, daemon=True).start()
                self._servers[search] = server
        return f"http://127.0.0.1:{self._servers[search].server_address[1]}/"

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
        """The values ``snippet`` published (``lessonlib.book.publish``), by name."""
        return self.run(snippet).values


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _EmptySearchHandler(_QuietHandler):
    """The site, with a search index of no pages (the real one's configuration, its list of pages emptied)."""

    def __init__(self, site: Path, *args, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)

    def do_GET(self):
        if self.path.split("?")[0].endswith("/search/search_index.json"):
            index = json.loads((self.site / "search" / "search_index.json").read_text(encoding="utf-8"))
            body = json.dumps({**index, "docs": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()


# --------------------------------------------------------------------------- #
# Background work


#: Background jobs by the name of the session fixture that returns their result: (function, the job it waits for,
#: whether it yields the CPU). A function takes a folder of its own and the result of the job it waits for (or None).
JOBS: dict[str, tuple[Callable[[Path, Any], Any], tuple[str, ...], bool]] = {}


def background(name: str, after: str | tuple[str, ...] = (), yields: bool = False):
    """Register a function as the background job behind the session fixture ``name``, started (after the job or
    jobs ``after``, if given) as soon as a collected test needs that fixture. The function is given a folder of its
    own and the result of the job it waits for (a tuple of results, for several; None for none).

    A job that ``yields`` runs, with every process it starts, at a lower priority (nice 10): the session's
    longest chain is the build followed by Chromium, and the jobs off that chain fill the time the chain leaves."""

    def register(function):
        JOBS[name] = (function, (after,) if isinstance(after, str) else tuple(after), yields)
        return function

    return register


def _depth(name: str) -> int:
    """1 for a job that waits for nothing, 2 for one that waits for such a job, and so on."""
    return 1 + max(map(_depth, JOBS[name][1]), default=0)


def background_result(request, name: str):
    """The result of the background job ``name`` (waiting for it); its exception, re-raised, fails only the tests
    that need it."""
    result = request.config.downhill_background.result(name)
    if isinstance(result, BaseException):
        raise result
    return result


class Background:
    """The session's slow work, started when collection ends and waited for by the fixtures that need it."""

    def __init__(self) -> None:
        self.futures: dict[str, Future] = {}
        self.times: dict[str, tuple[float, float]] = {}  # name -> (start, end), seconds since the session began
        self.began = time.perf_counter()
        self.folder = Path(tempfile.mkdtemp(prefix="downhill-tests-"))

    def start(self, names: set[str]) -> None:
        for name in sorted(names):
            function, after, yields = JOBS[name]
            self.start(set(after))
            if name not in self.futures:
                # a thread of its own: a niceness, once raised, stays with its thread
                self.futures[name] = Future()
                threading.Thread(target=self._run, args=(function, name, after, yields), name=name, daemon=True).start()

    def _run(self, function, name: str, after: tuple[str, ...], yields: bool) -> None:
        self.futures[name].set_result(self._work(function, name, after, yields))

    def _work(self, function, name: str, after: tuple[str, ...], yields: bool):
        if yields and hasattr(os, "setpriority"):
            # Linux keeps a niceness per thread, and the processes this thread starts inherit it.
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        try:
            results = [self.futures[a].result() for a in after]
            failed = [r for r in results if isinstance(r, BaseException)]
            if failed:
                return failed[0]
            before = None if not results else results[0] if len(results) == 1 else tuple(results)
            folder = self.folder / name
            folder.mkdir()
            start = time.perf_counter() - self.began
            try:
                return function(folder, before)
            finally:
                self.times[name] = (start, time.perf_counter() - self.began)
        except BaseException as err:  # noqa: BLE001  (pytest.fail's too: handed to the fixture, which re-raises it)
            return err

    def result(self, name: str):
        self.start({name})  # a no-op unless a fixture is asked for by a test collected some other way
        return self.futures[name].result()

    def close(self) -> None:
        for future in self.futures.values():
            future.result()
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
    # Every test runs on one torch thread. The tests share the machine's cores with the background jobs, and on a
    # busy core a parallel region waits for its descheduled threads (a 1,000-step descent of small tensors took
    # seconds instead of 0.1 s, spinning all the while); a one-thread sum is also the same sum on every run, as in
    # the snippets that train on one thread. (The snippets' own runs set their threads themselves.)
    import torch

    torch.set_num_threads(1)


def pytest_terminal_summary(terminalreporter, config):
    times = config.downhill_background.times
    if times:
        spans = ", ".join(
            f"{name} {start:.0f}-{end:.0f} s" for name, (start, end) in sorted(times.items(), key=lambda kv: kv[1])
        )
        terminalreporter.write_line(f"background jobs (from the session's start): {spans}")


def pytest_unconfigure(config):
    config.downhill_background.close()


def _needs(item) -> set[str]:
    return set(JOBS) & set(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config, items):
    # The tests that wait for background work run last, those waiting for a job that waits for another (the pages
    # in Chromium wait for the build) after the rest; the tests that need none of it use the time until then.
    items.sort(key=lambda item: max(map(_depth, _needs(item)), default=0))


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


@background("notebook_runs", yields=True)
def _notebook_runs(folder: Path, _) -> dict[str, list[Run]]:
    order = {ch: [ROOT / s for s in snippets] for ch, (_, snippets) in chapters(BOOK).items()}
    return run_as_notebooks(BOOK, order, folder, OTHER_ARITHMETIC)


@pytest.fixture(scope="session")
def notebook_runs(request) -> dict[str, list[Run]]:
    """Each chapter's snippets, run in order in one namespace as its notebook runs them, under the other arithmetic."""
    return background_result(request, "notebook_runs")


def drawn_again(build: Build, notebook_runs: dict[str, list[Run]]) -> dict[str, Path]:
    """Each figure of the build -> the same figure from the notebook runs, under the other arithmetic."""
    other = {run.snippet: run for runs in notebook_runs.values() for run in runs}
    return {
        fig: other[run.snippet].figure(fig)
        for run in build.manifest().values()
        if run.snippet in other  # a snippet no page includes is in no notebook (its own test says so)
        for fig in run.figures
    }


@background("redrawn", after=("built_site", "notebook_runs"), yields=True)
def _redrawn(folder: Path, before) -> dict[str, Run]:
    # A figure the notebook runs drew to the same bytes as the build, in another process and under another
    # arithmetic, has been drawn twice alike already; only the others (a float32 training curve, say, whose last
    # bits differ under the other arithmetic) need a second run on this machine's arithmetic to show that.
    build, notebook_runs = before
    manifest, again = build.manifest(), drawn_again(build, notebook_runs)
    redraw = {
        run.snippet
        for run in manifest.values()
        for fig in run.figures
        if not varies(ROOT / run.snippet)  # a timing's figure is not compared at all
        and (fig not in again or not again[fig].exists() or again[fig].read_bytes() != run.figure(fig).read_bytes())
    }
    return run_uncached(BOOK, [ROOT / rel for rel in sorted(redraw)], folder)


@pytest.fixture(scope="session")
def redrawn(request) -> dict[str, Run]:
    """Every snippet whose figures the notebook runs did not draw to the same bytes as the build, run again
    standalone on this machine's arithmetic (while the machine is loaded)."""
    return background_result(request, "redrawn")


def pages_quoting() -> dict[str, set[tuple[str, str]]]:
    """snippet -> {(name, format)} of every ``{{ value(...) }}`` on every page."""
    from bookbuild.directive import quoted

    out: dict[str, set] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for snippet, name, fmt in quoted(page.read_text(encoding="utf-8"), page.name):
            out.setdefault(snippet, set()).add((name, fmt))
    return out
