"""Running snippets: the cache, failures that name the file, notebook runs, the manifest."""

import json

import pytest

from bookbuild import BuildError, Manifest
from bookbuild.runs import run_as_notebooks, run_snippets, run_uncached
from tests.bookbuild.conftest import PUBLISHER, write


def test_a_failing_snippet_fails_the_build_naming_the_file(book):
    write(book, "ok.py", "print('fine')\n")
    write(book, "broken.py", "raise RuntimeError('this figure cannot be drawn')\n")
    with pytest.raises(BuildError, match=r"Snippet snippets/99_test/broken\.py failed \(exit code 1\)") as err:
        run_snippets(book)
    assert "RuntimeError: this figure cannot be drawn" in str(err.value)
    assert not list((book.cache / "tmp").iterdir()), "nothing half-done is kept"


def test_runs_are_cached_and_rerun_when_the_snippet_changes(book):
    path = write(book, "count.py", "print(1)\n")
    first = run_snippets(book)["snippets/99_test/count.py"]
    assert first.stdout == "1\n" and first.key
    assert run_snippets(book)["snippets/99_test/count.py"].folder == first.folder  # served from the cache
    path.write_text("print(2)\n")
    second = run_snippets(book)["snippets/99_test/count.py"]
    assert second.stdout == "2\n" and second.key != first.key
    assert not first.folder.exists(), "the stale run should be evicted"


def test_the_manifest_records_output_figures_values_and_time(book):
    write(book, "train.py", PUBLISHER)
    write(
        book,
        "draw.py",
        "import os, pathlib\n"
        "d = pathlib.Path(os.environ['DOWNHILL_FIGURE_DIR']); d.mkdir(parents=True)\n"
        "(d / 'curve.svg').write_text('<svg/>')\n",
    )
    manifest = run_snippets(book)
    data = json.loads(book.manifest_path.read_text())
    train = data["snippets/99_test/train.py"]
    assert train["stdout"] == "final loss 0.965\n"
    assert train["values"] == {"final_loss": 0.96484375, "epochs": 300, "converged": True}
    assert train["seconds"] > 0 and train["key"] == manifest["snippets/99_test/train.py"].key
    draw = Manifest.read(book.manifest_path)["snippets/99_test/draw.py"]
    assert draw.figures == ["figures/99_test/curve.svg"]
    assert draw.figure(draw.figures[0]).read_text() == "<svg/>"
    assert [r.snippet for r in manifest.slowest(1)][0] in manifest


def test_run_uncached_runs_under_the_environment_it_is_given(book, tmp_path):
    path = write(book, "env.py", "import os\nprint(os.environ.get('DOWNHILL_PROBE'))\n")
    runs = run_uncached(book, [path], tmp_path / "other", {"DOWNHILL_PROBE": "other path"})
    assert runs["snippets/99_test/env.py"].stdout == "other path\n"
    assert not (book.cache / "runs").exists()  # nothing cached


def test_a_notebook_run_shares_one_namespace_and_has_no_file(book, tmp_path):
    first = write(book, "a.py", "x = 41\nprint('__file__' in globals())\n")
    second = write(book, "b.py", "x += 1\nprint(x, __name__)\n")
    (cells,) = run_as_notebooks(book, {"99_test": [first, second]}, tmp_path / "nb").values()
    assert [c.stdout for c in cells] == ["False\n", "42 __main__\n"]


def test_a_cell_that_needs_an_earlier_cells_state_fails_standalone(book, tmp_path):
    path = write(book, "b.py", "x += 1\n")
    with pytest.raises(BuildError, match=r"(?s)snippets/99_test/b\.py failed.*NameError"):
        run_uncached(book, [path], tmp_path / "alone")


def test_a_failing_cell_is_named(book, tmp_path):
    first = write(book, "a.py", "print('ok')\n")
    second = write(book, "b.py", "1 / 0\n")
    with pytest.raises(BuildError, match=r"(?s)Snippet snippets/99_test/b\.py failed .*ZeroDivisionError"):
        run_as_notebooks(book, {"99_test": [first, second]}, tmp_path / "nb")


def test_without_fork_each_job_runs_the_same_in_a_fresh_interpreter(book, tmp_path, monkeypatch):
    monkeypatch.setenv("DOWNHILL_NO_FORK", "1")
    first = write(book, "a.py", "x = 41\nprint('__file__' in globals())\n")
    second = write(book, "b.py", "x += 1\nprint(x, __name__)\n")
    (cells,) = run_as_notebooks(book, {"99_test": [first, second]}, tmp_path / "nb").values()
    assert [c.stdout for c in cells] == ["False\n", "42 __main__\n"]
    alone = write(book, "c.py", "import sys\nprint(sys.argv[0].endswith('c.py'), __file__.endswith('c.py'))\n")
    assert run_uncached(book, [alone], tmp_path / "alone")["snippets/99_test/c.py"].stdout == "True True\n"
    with pytest.raises(BuildError, match=r"(?s)snippets/99_test/b\.py failed.*NameError"):
        run_uncached(book, [second], tmp_path / "b-alone")
