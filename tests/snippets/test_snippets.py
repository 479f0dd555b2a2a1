"""Every snippet runs as a reader runs it, and prints the same on another machine's arithmetic.

The build ran every snippet once, on this machine's arithmetic: torch's best
CPU kernels (AVX2 or AVX-512 here), MKL's fastest path, as many threads as
torch picks. A reader's laptop, a Mac or an ARM board computes the same float
operations along other paths, and float32 work can print other digits there.
So the tests run every snippet a second time, the way a reader runs
``python <file>`` (a fresh ``__main__``, its own folder, the CPU), under the
plainest path torch has: ``ATEN_CPU_CAPABILITY=default`` (no vector kernels),
``MKL_CBWR=COMPATIBLE`` (MKL's reproducible path), one thread. They compare:

* the text it prints with the text on the page (the build's run), unless the
  file says ``# downhill: output varies`` (at most three snippets may);
* every value a page quotes with ``{{ value(...) }}``, formatted as the page
  formats it;
* that it exits 0, writes nothing to stderr, and draws the figures the build
  drew.

Figures must be the same bytes from one build to the next on one machine,
whatever the load: the snippets that draw are run a third time, on this
machine's arithmetic, while the second run loads the machine, and each SVG is
compared with the site's. (Across arithmetic paths the figures of float32
work differ in the sixth digit of a coordinate, which no reader can see; the
tests do not compare those.)
"""

import importlib.util
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import DOCS, ROOT, included_snippets, snippet_files

SNIPPETS = snippet_files()
VARIES = "# downhill: output varies"
MAX_VARYING = 3

#: What a machine without AVX, or with another BLAS, computes: torch's scalar
#: kernels, MKL's reproducible path, one thread.
OTHER_ARITHMETIC = {
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_CBWR": "COMPATIBLE",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def _hook():
    name = "downhill_hook_for_snippet_tests"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "hooks" / "downhill.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _varies(path: Path) -> bool:
    return VARIES in path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def reruns(tmp_path_factory):
    """Every snippet under the other arithmetic, and, at the same time, every snippet that draws, again on ours."""
    hook = _hook()
    drawing = [p for p in SNIPPETS if "savefig(" in p.read_text(encoding="utf-8")]
    with ThreadPoolExecutor(2) as pool:
        other = pool.submit(hook.run_uncached, SNIPPETS, tmp_path_factory.mktemp("other-arithmetic"), OTHER_ARITHMETIC)
        again = pool.submit(hook.run_uncached, drawing, tmp_path_factory.mktemp("same-arithmetic"))
        return other.result(), again.result()


def _quoted_values() -> dict[str, set[tuple[str, str]]]:
    """snippet -> {(name, format)} of every ``{{ value(...) }}`` on every page."""
    hook = _hook()
    quoted: dict[str, set] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for m in hook.VALUE.finditer(page.read_text(encoding="utf-8")):
            snippet, name, fmt = hook.parse_value(m["args"], page)
            quoted.setdefault(snippet, set()).add((name, fmt))
    return quoted


@pytest.mark.kind_snippet
@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_snippet(path, reruns, built_site):
    rel = path.relative_to(ROOT).as_posix()
    assert rel in included_snippets(), f"{rel} is not included by any page under docs/"
    shown = built_site.run(rel)
    assert shown["stderr"] == "", f"{rel} wrote to stderr in the build:\n{shown['stderr'][-4000:]}"
    other_runs, same_runs = reruns
    other = other_runs[rel]
    assert other.stderr == "", f"{rel} wrote to stderr:\n{other.stderr[-4000:]}"
    assert [Path(f).name for f in other.figures] == [Path(f).name for f in shown["figures"]]
    if _varies(path):
        return  # a timing: its claims are checked by the chapter's tests, not its digits

    assert other.stdout == shown["stdout"], (
        f"{rel} prints other text under another CPU's arithmetic ({OTHER_ARITHMETIC}); "
        "compute in float64 where the lesson is not about float32, and print the precision the result has"
    )
    for name, fmt in sorted(_quoted_values().get(rel, ())):
        here, there = format(shown["values"][name], fmt), format(other.values[name], fmt)
        assert here == there, f"{rel}: the page quotes {name} as {here}, and another CPU's arithmetic gives {there}"
    for fig in shown["figures"]:
        again = same_runs[rel].folder / fig
        site_svg = built_site.site / fig
        assert again.read_bytes() == site_svg.read_bytes(), f"{fig} differs between two runs of {rel} on this machine"


def test_at_most_three_snippets_may_vary():
    varying = [p.relative_to(ROOT).as_posix() for p in SNIPPETS if _varies(p)]
    assert len(varying) <= MAX_VARYING, f"{len(varying)} snippets declare '{VARIES}': {varying}"


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
    missing = [f"{s}: {name}" for s, quoted in _quoted_values().items() for name, _ in quoted
               if name not in manifest.get(s, {}).get("values", {})]
    assert not missing, f"pages quote values that no snippet publishes: {missing}"


def test_the_other_arithmetic_is_really_another_path():
    """torch honours the settings: without this the comparison above would compare a path with itself."""
    import subprocess

    code = "import torch; print(torch.backends.cpu.get_cpu_capability(), torch.get_num_threads())"
    env = {**__import__("os").environ, **OTHER_ARITHMETIC}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert re.fullmatch(r"DEFAULT 1\n", out), out


def test_no_snippet_changes_torch_defaults_for_the_cells_after_it():
    """A chapter's notebook runs its snippets in one kernel: a default changed by one cell leaks into the next.

    Ask for float64 where it is needed (``dtype=torch.float64``; lessonlib's data generators take ``dtype``) instead
    of ``torch.set_default_dtype``.
    """
    leaking = [p.relative_to(ROOT).as_posix() for p in SNIPPETS
               if re.search(r"torch\.set_default_(dtype|device|tensor_type)\(", p.read_text(encoding="utf-8"))]
    assert not leaking, f"these snippets change a torch default for the rest of their notebook: {leaking}"
