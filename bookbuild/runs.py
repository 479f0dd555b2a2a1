"""Running snippets, with a cache, and the manifest that records every run.

Every snippet under ``snippets/`` runs once per build in a forked child of
:mod:`bookbuild.runner`, on the CPU, with ``DOWNHILL_FIGURE_DIR`` pointing at a
fresh folder. A run is cached under ``<cache>/runs``, keyed on the snippet's
bytes, lessonlib's source and the versions of Python, torch, numpy and
matplotlib, so an edit-rebuild cycle reruns only what changed. A snippet that
fails stops the build with its file named and its traceback shown.

The build writes one manifest, ``<cache>/manifest.json``: per snippet, its
stdout, stderr, figures, published values, seconds and cache key. Tests,
tools and notebooks read runs through :class:`Manifest`; nothing else knows
the cache's layout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

from bookbuild.book import Book, BuildError

RUNNER_VERSION = "6"  # bump to invalidate every cached run
VARIES = "# downhill: output varies"  # a snippet whose output depends on the machine (a timing)


@dataclass
class Run:
    """One run of one snippet (or one cell of a notebook run)."""

    snippet: str  # "snippets/<chapter>/<topic>.py"
    stdout: str
    figures: list[str]  # "figures/<chapter>/<name>.svg", relative to ``folder``
    folder: Path  # holds figures/<chapter>/*.svg
    values: dict = field(default_factory=dict)  # what it published (lessonlib.book.publish): name -> number, bool, str
    key: str = ""  # the cache key of this run ("" for an uncached run)
    stderr: str = ""
    seconds: float = 0.0  # wall time of the run (of the whole notebook, for a cell of a notebook run)

    @property
    def light_figures(self) -> list[str]:
        """The figures as the light scheme, a notebook and print show them: each without its ``.dark.svg`` twin."""
        return [fig for fig in self.figures if not fig.endswith(".dark.svg")]

    def figure(self, fig: str) -> Path:
        """The SVG file of ``fig`` ("figures/<chapter>/<name>.svg")."""
        return self.folder / fig


class Manifest(Mapping[str, Run]):
    """Every snippet's run in one build, by path ("snippets/<chapter>/<topic>.py")."""

    def __init__(self, runs: dict[str, Run]):
        self._runs = dict(runs)

    def __getitem__(self, snippet: str) -> Run:
        return self._runs[snippet]

    def __iter__(self) -> Iterator[str]:
        return iter(self._runs)

    def __len__(self) -> int:
        return len(self._runs)

    def figures(self) -> set[str]:
        return {f for run in self._runs.values() for f in run.figures}

    def slowest(self, n: int = 10) -> list[Run]:
        return sorted(self._runs.values(), key=lambda r: -r.seconds)[:n]

    def to_json(self) -> str:
        data = {rel: {**asdict(run), "folder": str(run.folder)} for rel, run in self._runs.items()}
        return json.dumps(data, indent=1, sort_keys=True) + "\n"

    @classmethod
    def previous(cls, book: Book) -> Manifest | None:
        """The manifest the last build left, if there is one this version of the build can read."""
        try:
            return cls.read(book.manifest_path)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls({rel: Run(**{**r, "folder": Path(r["folder"])}) for rel, r in data.items()})


def varies(path: Path) -> bool:
    """Whether the snippet declares that its output depends on the machine (``# downhill: output varies``)."""
    return VARIES in path.read_text(encoding="utf-8")


def source_hash(book: Book) -> str:
    """Hash of lessonlib's source and the libraries a run depends on."""
    h = hashlib.sha256(RUNNER_VERSION.encode())
    for lib in ("torch", "numpy", "matplotlib"):
        h.update(f"{lib}={version(lib)}".encode())
    h.update(sys.version.encode())
    for path in sorted(book.lessonlib.rglob("*.py")):
        h.update(path.relative_to(book.lessonlib).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _slot(book: Book, path: Path, base_key: str) -> tuple[Path, Path]:
    """The cache slot of a snippet (one per file) and the folder of this version's run."""
    key = hashlib.sha256(base_key.encode() + path.read_bytes()).hexdigest()[:20]
    slot = book.cache / "runs" / book.rel(path).replace("/", "__")
    return slot, slot / key


def execute(book: Book, jobs: list[tuple[list[Path], Path]], env: dict[str, str] | None = None) -> list[list[Run]]:
    """Run each ``(snippets, scratch folder)`` job in the forking runner; return each job's runs, one per snippet.

    A job of one snippet runs it as ``python <file>`` would; a job of several
    runs them in order in one namespace, as a notebook's cells run in one kernel.
    ``env`` is added to this process's environment for the runner: the way to
    run under another arithmetic path (``ATEN_CPU_CAPABILITY``, ``MKL_CBWR``,
    thread counts), which torch reads when the runner imports it.
    """
    if not jobs:
        return []
    from bookbuild.runner import figure_dir

    spec = [
        {
            "paths": [str(p) for p in paths],
            "cwd": str(scratch),
            "env": {
                "DOWNHILL_DEVICE": "cpu",
                "MPLBACKEND": "Agg",
            },
        }
        for paths, scratch in jobs
    ]
    extra = dict(env or {})
    if book.preload is not None:
        extra["DOWNHILL_PRELOAD"] = book.preload
    proc = subprocess.run(
        [sys.executable, "-m", "bookbuild.runner"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=book.root,
        env={**os.environ, "PYTHONPATH": _pythonpath(book), **extra},
    )
    if proc.returncode != 0:
        raise BuildError(f"the snippet runner failed:\n{proc.stderr[-4000:]}")
    results = json.loads(proc.stdout)
    failed = [(paths, r, scratch) for (paths, scratch), r in zip(jobs, results) if r["code"] != 0]
    if failed:
        paths, result, scratch = failed[0]
        cells = sorted(scratch.glob("*.stderr"), key=lambda p: int(p.stem))
        where = paths[len(cells) - 1]
        stderr = cells[-1].read_text(errors="replace")
        names = ", ".join(book.rel(p[-1]) for p, *_ in failed)
        raise BuildError(
            f"Snippet {book.rel(where)} failed (exit code {result['code']}):\n{stderr[-4000:]}"
            + (f"\n(failed: {names})" if len(failed) > 1 else "")
        )
    out = []
    for (paths, scratch), result in zip(jobs, results):
        runs = []
        for index, path in enumerate(paths):
            figdir = Path(figure_dir(str(scratch), index, str(path)))
            folder = figdir.parent.parent
            runs.append(
                Run(
                    snippet=book.rel(path),
                    stdout=(scratch / f"{index}.stdout").read_text(encoding="utf-8"),
                    stderr=(scratch / f"{index}.stderr").read_text(encoding="utf-8"),
                    figures=sorted(p.relative_to(folder).as_posix() for p in figdir.glob("*.svg"))
                    if figdir.exists()
                    else [],
                    folder=folder,
                    values=_read_json(scratch / f"{index}.values.json"),
                    seconds=result["seconds"],
                )
            )
        out.append(runs)
    return out


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _pythonpath(book: Book) -> str:
    here = str(Path(__file__).resolve().parent.parent)
    return os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH", "")]))


def run_snippets(book: Book) -> Manifest:
    """Run every snippet whose cached run is missing or stale; write and return the manifest of all runs."""
    paths = book.snippet_paths()
    base_key = source_hash(book)
    todo: dict[Path, Path] = {}
    slots = {}  # keyed once, so a snippet edited while the build runs cannot change its key mid-way
    for path in paths:
        slot, folder = slots[path] = _slot(book, path, base_key)
        if not (folder / "run.json").exists():
            (book.cache / "tmp").mkdir(parents=True, exist_ok=True)
            todo[path] = Path(tempfile.mkdtemp(prefix="run-", dir=book.cache / "tmp"))
    try:
        results = execute(book, [([path], scratch) for path, scratch in todo.items()])
    except BuildError:
        for scratch in todo.values():
            shutil.rmtree(scratch, ignore_errors=True)
        raise
    for (path, scratch), (run,) in zip(todo.items(), results):
        slot, folder = slots[path]
        record = {k: v for k, v in asdict(run).items() if k not in ("folder", "snippet", "key")}
        record["folder"] = run.folder.relative_to(scratch).as_posix()  # the figures' folder, inside the run's
        (scratch / "run.json").write_text(json.dumps(record))
        shutil.rmtree(slot, ignore_errors=True)  # older runs of this snippet
        slot.mkdir(parents=True, exist_ok=True)
        scratch.rename(folder)

    runs = {}
    for path in paths:
        _, folder = slots[path]
        record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        rel = book.rel(path)
        runs[rel] = Run(snippet=rel, key=folder.name, **{**record, "folder": folder / record["folder"]})
    manifest = Manifest(runs)
    write_if_changed(book.manifest_path, manifest.to_json())
    return manifest


def changed(manifest: Manifest, before: Manifest | None) -> set[str]:
    """The snippets whose run in ``manifest`` is not the one in ``before``: they ran in this build."""
    return {rel for rel, run in manifest.items() if before is None or rel not in before or before[rel].key != run.key}


def run_uncached(book: Book, paths: list[Path], folder: Path, env: dict[str, str] | None = None) -> dict[str, Run]:
    """Run each of ``paths`` afresh and standalone, in a folder under ``folder``, with ``env`` added; no cache."""
    jobs = []
    for path in paths:
        scratch = folder / book.rel(path).replace("/", "__")
        scratch.mkdir(parents=True)
        jobs.append(([path], scratch))
    return {runs[0].snippet: runs[0] for runs in execute(book, jobs, env)}


def run_as_notebooks(
    book: Book, chapters: dict[str, list[Path]], folder: Path, env: dict[str, str] | None = None
) -> dict[str, list[Run]]:
    """Run each chapter's snippets in order in one namespace, as its notebook runs them in one kernel; no cache."""
    jobs = []
    for chapter, paths in chapters.items():
        scratch = folder / chapter
        scratch.mkdir(parents=True)
        jobs.append((paths, scratch))
    return dict(zip(chapters, execute(book, jobs, env)))


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
