"""Every snippet runs as a reader runs it, and prints the same on another machine's arithmetic.

The build ran every snippet once, as ``python <file>`` runs it (a fresh
``__main__``, its own folder, the CPU), on this machine's arithmetic: torch's
best CPU kernels (AVX2 or AVX-512 here), MKL's fastest path, one thread per
snippet. A reader's laptop, a Mac or an ARM board computes the same float
operations along other paths, and float32 work can print other digits there.
So the tests run every chapter's snippets a second time, as its notebook runs
them (in page order, in one namespace, so a cell that leaks state into the
next shows up), under the plainest path torch has: ``ATEN_CPU_CAPABILITY=default``
(no vector kernels), ``MKL_CBWR=COMPATIBLE`` (MKL's reproducible path), one
thread. They compare, per snippet:

* the text it prints with the text on the page (the build's run), unless the
  file says ``# downhill: output varies`` (at most three snippets may);
* every value a page quotes with ``{{ value(...) }}``, formatted as the page
  formats it;
* that it writes nothing to stderr, and draws the figures the build drew.

Figures must be the same bytes from one build to the next on one machine,
whatever the load: each SVG of the build is compared with the same figure from
the plain-path run, and a snippet whose figure came out otherwise there runs a
third time, on this machine's arithmetic, to compare those bytes. (Across arithmetic paths the figures of float32
work differ in the sixth digit of a coordinate, which no reader can see; the
tests do not compare those.) A few snippets also run in a fresh interpreter,
``python <file>`` itself, as a guard on the forked runs.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bookbuild.runs import varies
from tests.conftest import (
    OTHER_ARITHMETIC,
    ROOT,
    background,
    background_result,
    included_snippets,
    pages_quoting,
    snippet_files,
)

SNIPPETS = snippet_files()
MAX_VARYING = 3


def _cell(notebook_runs, rel: str):
    chapter = Path(rel).parent.name
    return next(run for run in notebook_runs[chapter] if run.snippet == rel)


@pytest.mark.kind_snippet
@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_snippet(path, notebook_runs, redrawn, built_site):
    rel = path.relative_to(ROOT).as_posix()
    assert rel in included_snippets(), f"{rel} is not included by any page under docs/"
    shown = built_site.run(rel)
    assert shown.stderr == "", f"{rel} wrote to stderr in the build:\n{shown.stderr[-4000:]}"
    other = _cell(notebook_runs, rel)
    assert other.stderr == "", f"{rel} wrote to stderr:\n{other.stderr[-4000:]}"
    assert [Path(f).name for f in other.figures] == [Path(f).name for f in shown.figures]
    if varies(path):
        return  # a timing: its claims are checked by the chapter's tests, not its digits or its figure's bytes

    for fig in shown.figures:  # drawn twice alike: by the notebook run, or else by a second run on this arithmetic
        drawn = (built_site.site / fig).read_bytes()
        again = other.figure(fig) if other.figure(fig).read_bytes() == drawn else redrawn[rel].figure(fig)
        assert again.read_bytes() == drawn, f"{fig} differs between two runs of {rel}"
    assert other.stdout == shown.stdout, (
        f"{rel} prints other text under another CPU's arithmetic ({OTHER_ARITHMETIC}), run as its notebook runs it; "
        "compute in float64 where the lesson is not about float32, and print the precision the result has"
    )
    for name, fmt in sorted(pages_quoting().get(rel, ())):
        here, there = format(shown.values[name], fmt), format(other.values[name], fmt)
        assert here == there, f"{rel}: the page quotes {name} as {here}, and another CPU's arithmetic gives {there}"


#: Run as ``python <file>`` in a fresh interpreter (one that draws, one that loads the digits, one that trains and
#: publishes values), with PyTorch's own thread count: a guard that the forked, one-thread runs above are what a
#: reader gets.
FRESH = [
    "snippets/03_gradient_descent/learning_rates.py",
    "snippets/14_evaluation/digits_confusion.py",
    "snippets/12_regularisation/early_stopping.py",
]


@background("fresh_runs", yields=True)
def _run_in_fresh_interpreters(folder, _):
    """Each of FRESH as ``python <file>`` in a fresh interpreter, in the background: rel -> (process, its folder)."""
    threads = ("OMP_NUM_THREADS", "MKL_NUM_THREADS")  # left to PyTorch, as on a reader's machine
    out = {}
    for rel in FRESH:
        work = folder / rel.replace("/", "__")
        work.mkdir()
        env = {
            **{k: v for k, v in os.environ.items() if k not in threads},
            "DOWNHILL_DEVICE": "cpu",
            "MPLBACKEND": "Agg",
            "DOWNHILL_FIGURE_DIR": str(work),
            "DOWNHILL_VALUES": str(work / "values.json"),
        }
        command = [sys.executable, str(ROOT / rel)]
        out[rel] = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True), work
    return out


@pytest.fixture(scope="session")
def fresh_runs(request):
    return background_result(request, "fresh_runs")


@pytest.mark.parametrize("rel", FRESH)
def test_a_fresh_interpreter_prints_what_the_page_shows(rel, built_site, fresh_runs):
    proc, work = fresh_runs[rel]
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr[-4000:]
    shown = built_site.run(rel)
    assert proc.stdout == shown.stdout
    values = work / "values.json"
    published = json.loads(values.read_text()) if values.exists() else {}
    assert published.keys() == shown.values.keys()
    for name, value in published.items():  # float64 sums may differ in the last bit with threads
        assert value == (
            pytest.approx(shown.values[name], rel=1e-12) if isinstance(value, float) else shown.values[name]
        )
    assert sorted(p.name for p in work.glob("*.svg")) == sorted(Path(f).name for f in shown.figures)


def test_the_fresh_interpreter_guard_covers_figures_and_values(built_site):
    runs = [built_site.run(rel) for rel in FRESH]
    assert any(r.figures for r in runs) and any(r.values for r in runs)


def test_at_most_three_snippets_may_vary():
    varying = [p.relative_to(ROOT).as_posix() for p in SNIPPETS if varies(p)]
    assert len(varying) <= MAX_VARYING, f"{len(varying)} snippets declare '# downhill: output varies': {varying}"


def test_snippets_are_one_folder_per_chapter():
    for path in SNIPPETS:
        rel = path.relative_to(ROOT / "snippets")
        assert len(rel.parts) == 2, f"snippets/{rel} should be snippets/<chapter>/<topic>.py"
        assert rel.parts[0][:2].isdigit(), f"snippets/{rel}: the chapter folder starts with its number"


def test_every_included_snippet_exists():
    missing = sorted(s for s in included_snippets() if not (ROOT / s).is_file())
    assert not missing, f"pages include snippets that do not exist: {missing}"


def test_every_quoted_value_is_published(built_site):
    """The build fails on a value no snippet publishes; this says which, for all of them at once."""
    manifest = built_site.manifest()
    missing = [
        f"{s}: {name}"
        for s, quoted in pages_quoting().items()
        for name, _ in quoted
        if s not in manifest or name not in manifest[s].values
    ]
    assert not missing, f"pages quote values that no snippet publishes: {missing}"


def test_the_other_arithmetic_is_really_another_path():
    """torch honours the settings: without this the comparison above would compare a path with itself."""
    code = "import torch; print(torch.backends.cpu.get_cpu_capability(), torch.get_num_threads())"
    env = {**os.environ, **OTHER_ARITHMETIC}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert re.fullmatch(r"DEFAULT 1\n", out), out


def test_no_snippet_changes_torch_defaults_for_the_cells_after_it():
    """A chapter's notebook runs its snippets in one kernel: a default changed by one cell leaks into the next.

    Ask for float64 where it is needed (``dtype=torch.float64``; lessonlib's data generators take ``dtype``) instead
    of ``torch.set_default_dtype``.
    """
    leaking = [
        p.relative_to(ROOT).as_posix()
        for p in SNIPPETS
        if re.search(r"torch\.set_default_(dtype|device|tensor_type)\(", p.read_text(encoding="utf-8"))
    ]
    assert not leaking, f"these snippets change a torch default for the rest of their notebook: {leaking}"
