"""The project's habits: ruff lints and formats the Python, mypy checks the build and lessonlib, MkDocs stays on 1.x."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What ruff covers; its settings are in pyproject.toml.
CHECKED = ["lessonlib", "bookbuild", "hooks", "snippets", "tests", "tools"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint_and_format_pass():
    lint = _run("ruff", "check", "--no-cache", *CHECKED)
    assert lint.returncode == 0, f"ruff check:\n{lint.stdout}{lint.stderr}"
    fmt = _run("ruff", "format", "--check", "--no-cache", *CHECKED)
    assert fmt.returncode == 0, f"ruff format --check (run `ruff format` to fix):\n{fmt.stdout}{fmt.stderr}"


def test_mypy_passes_on_the_build_and_the_library():
    result = _run("mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert result.returncode == 0, f"mypy:\n{result.stdout}{result.stderr}"


def test_requirements_pin_mkdocs_below_2():
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()]
    assert "mkdocs<2" in lines
    assert "mkdocs" not in lines  # the bare, unpinned line is gone


def test_no_control_characters_in_the_sources():
    # a backslash escape in a plain string ("\varepsilon" in a docstring that is not raw) writes a control
    # character: KaTeX then fails on the API page, far from the cause
    found = []
    for folder in [*CHECKED, "docs"]:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".py", ".md", ".js", ".css"} and ".cache" not in path.parts:
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                    if any(ord(c) < 32 and c != "\t" for c in line):
                        found.append(f"{path.relative_to(ROOT)}:{number}: {line!r}")
    assert not found, "\n".join(found)
