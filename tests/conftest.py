"""Shared fixtures: the built site, the snippets' runs, and the suite's closing report.

The site is built once per test session, with `mkdocs build --strict`, into a
temporary folder and with an empty cache, so every snippet and notebook really
runs in this session.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
DIRECTIVE = re.compile(r'^[ \t]*\{\{\s*snippet\(\s*"([^"]+)"', re.M)


def snippet_files() -> list[Path]:
    return sorted(p for p in SNIPPETS.rglob("*.py") if p.name != "__init__.py")


def included_snippets() -> set[str]:
    """Every snippet path that some page includes."""
    return {m for page in DOCS.rglob("*.md") for m in DIRECTIVE.findall(page.read_text(encoding="utf-8"))}


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

    def manifest(self) -> dict:
        """The build's record of every snippet run: path -> stdout, stderr, figures, published values, cache key."""
        self.check()
        import json

        return json.loads((self.cache / "manifest.json").read_text(encoding="utf-8"))

    def run(self, snippet: str) -> dict:
        """What this build's run of ``snippet`` ("snippets/<chapter>/<topic>.py") printed, drew and published."""
        return self.manifest()[snippet]

    def values(self, snippet: str) -> dict:
        """The values ``snippet`` published (``lessonlib.publish``), by name."""
        return self.run(snippet)["values"]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    tmp = tmp_path_factory.mktemp("build")
    # A writer iterating on one chapter may keep the snippet and notebook
    # caches between sessions (DOWNHILL_TEST_CACHE=/some/dir); `make test` and
    # CI never set it, so there every snippet and notebook runs afresh.
    caches = Path(os.environ["DOWNHILL_TEST_CACHE"]) if os.environ.get("DOWNHILL_TEST_CACHE") else tmp
    port = _free_port()
    env = dict(
        os.environ,
        SITE_URL=f"http://127.0.0.1:{port}/",  # Material's instant navigation needs the real address
        DOWNHILL_CACHE=str(caches / "cache"),
        DOWNHILL_NB_CACHE=str(caches / "nb-cache"),
        NO_MKDOCS_2_WARNING="1",
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return Build(tmp / "site", caches / "cache", port, proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
