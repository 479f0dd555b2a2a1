"""The engine-free build: ``python -m bookbuild run`` and ``stage``, and the check of a built site."""

import json

from bookbuild.__main__ import main
from bookbuild.runs import run_snippets
from bookbuild.sitecheck import problems
from bookbuild.stage import stage
from tests.bookbuild.conftest import PUBLISHER, write

PAGE = """# Training

{{ snippet("snippets/99_test/train.py") }}

The loss ends at {{ value("99_test/train", "final_loss", ".2f") }}. [The notebook](../notebooks/99_test.md).

![a curve](../figures/99_test/curve.svg)
"""
DRAW = (
    "import os, pathlib\nd = pathlib.Path(os.environ['DOWNHILL_FIGURE_DIR']); d.mkdir(parents=True)\n"
    "(d / 'curve.svg').write_text('<svg/>')\n"
    "(d / 'curve.dark.svg').write_text('<svg><g/></svg>')\n"  # its twin for the dark scheme, as savefig writes it
)


def _tiny_book(book):
    write(book, "train.py", PUBLISHER)
    write(book, "draw.py", DRAW)
    (book.docs / "part" / "training.md").write_text(
        PAGE + '\n{{ snippet("snippets/99_test/draw.py", output=False) }}\n'
    )
    (book.docs / "extra.css").write_text("body {}\n")


def test_stage_writes_every_page_expanded_with_its_files(book, tmp_path):
    _tiny_book(book)
    out = tmp_path / "staged"
    count = stage(book, run_snippets(book), out)
    page = (out / "docs" / "part" / "training.md").read_text()
    assert "{{" not in page and "final loss 0.965" in page and "The loss ends at 0.96." in page
    for rel in [
        "figures/99_test/curve.svg",
        "figures/99_test/curve.dark.svg",
        "snippets/99_test/train.py",
        "downloads/99_test.ipynb",
        "notebooks/99_test.md",
        "extra.css",
    ]:
        assert (out / "docs" / rel).is_file(), rel
    assert "final loss 0.965" in (out / "docs" / "notebooks" / "99_test.md").read_text()
    config = (out / "mkdocs.yml").read_text()
    assert "INHERIT:" in config and "docs_dir: docs" in config
    assert count >= 6


def test_the_command_line_runs_and_reports_the_slowest(book, capsys):
    _tiny_book(book)
    assert main(["run"], book) == 0
    assert "2 snippets (2 run, 0 from the cache), 1 notebooks" in capsys.readouterr().out
    assert main(["run"], book) == 0
    assert "(0 run, 2 from the cache)" in capsys.readouterr().out
    assert main(["times"], book) == 0
    table = capsys.readouterr().out
    assert table.startswith("| snippet | seconds |") and "`snippets/99_test/train.py`" in table
    assert json.loads(book.manifest_path.read_text())["snippets/99_test/train.py"]["values"]["epochs"] == 300


def test_the_command_line_names_a_failing_snippet(book, capsys):
    write(book, "broken.py", "raise SystemExit(3)\n")
    (book.docs / "part" / "p.md").write_text('{{ snippet("snippets/99_test/broken.py") }}\n')
    assert main(["run"], book) == 1
    assert "Snippet snippets/99_test/broken.py failed (exit code 3)" in capsys.readouterr().err


def test_the_site_check_finds_a_raw_directive_and_missing_output(book, tmp_path):
    _tiny_book(book)
    manifest = run_snippets(book)
    site = tmp_path / "site"
    (site / "part" / "training").mkdir(parents=True)
    (site / "part" / "training" / "index.html").write_text('<p>{{ snippet("snippets/99_test/train.py") }}</p>')
    found = problems(book, manifest, site)
    assert any("a directive is left raw" in p for p in found)
    assert any("train.py's output missing" in p for p in found)
    assert any("the value final_loss" in p for p in found)
