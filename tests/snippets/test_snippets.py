"""Every snippet runs on its own, as a reader runs it, and prints what the page shows.

Each file under snippets/ is run with `python <file>` in an empty folder (as a
reader who copied it would), on the CPU. It must exit 0; its output must equal
the output the build put on the page (unless the file says
`# downhill: output varies`, for timings); the SVGs it saves must be
byte-identical to the ones in the built site (figures are deterministic); and
some page must include it.
"""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT, included_snippets, snippet_files

SNIPPETS = snippet_files()
VARIES = "# downhill: output varies"


@pytest.fixture(scope="session")
def standalone_runs(tmp_path_factory):
    """Run every snippet as `python <file>`, two at a time."""
    base = tmp_path_factory.mktemp("snippets")

    def run(path: Path):
        cwd = base / path.relative_to(ROOT).as_posix().replace("/", "__")
        cwd.mkdir()
        env = dict(os.environ, DOWNHILL_DEVICE="cpu", DOWNHILL_FIGURE_DIR=str(cwd / "figures"), MPLBACKEND="Agg")
        proc = subprocess.run([sys.executable, str(path)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        return path, (proc, cwd / "figures")

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(pool.map(run, SNIPPETS))


def _build_run(built_site, snippet: str) -> dict:
    slot = built_site.cache / "runs" / snippet.replace("/", "__")
    (done,) = slot.glob("*/done.json")
    return json.loads(done.read_text())


@pytest.mark.kind_snippet
@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_snippet(path, standalone_runs, built_site):
    rel = path.relative_to(ROOT).as_posix()
    proc, figures = standalone_runs[path]
    assert proc.returncode == 0, f"{rel} exited {proc.returncode}:\n{proc.stderr[-4000:]}"
    assert proc.stderr == "", f"{rel} wrote to stderr:\n{proc.stderr[-4000:]}"
    assert rel in included_snippets(), f"{rel} is not included by any page under docs/"

    built_site.check()
    shown = _build_run(built_site, rel)
    if VARIES not in path.read_text(encoding="utf-8"):
        assert proc.stdout == shown["stdout"], f"{rel} printed something other than what the page shows"
    drawn = sorted(f.name for f in figures.glob("*.svg")) if figures.exists() else []
    assert drawn == sorted(Path(f).name for f in shown["figures"])
    if VARIES in path.read_text(encoding="utf-8"):
        return  # a figure of timings differs between runs by design
    for name in drawn:
        site_svg = built_site.site / "figures" / path.parent.name / name
        assert (figures / name).read_bytes() == site_svg.read_bytes(), f"{name} differs between two runs of {rel}"


def test_snippets_are_one_folder_per_chapter():
    for path in SNIPPETS:
        rel = path.relative_to(ROOT / "snippets")
        assert len(rel.parts) == 2, f"snippets/{rel} should be snippets/<chapter>/<topic>.py"
        assert rel.parts[0][:2].isdigit(), f"snippets/{rel}: the chapter folder starts with its number"


def test_every_included_snippet_exists():
    missing = sorted(s for s in included_snippets() if not (ROOT / s).is_file())
    assert not missing, f"pages include snippets that do not exist: {missing}"
