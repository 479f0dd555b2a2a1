"""Check one chapter quickly, without building the site: for a writer iterating on its numbers.

    .venv/bin/python tools/check-chapter.py 12
    .venv/bin/python tools/check-chapter.py 08_convergence   (where two chapters share a file number)

runs the chapter's snippets (from the build cache where unchanged), runs them
again as its notebook does under another CPU's arithmetic (as the tests do),
and reports: snippets whose text differs between the two, values the page
quotes that differ or that no snippet publishes, and numbers the prose types
that a run prints (the build's guard). Exit status 1 if anything is wrong. The
full check is still `make test`.
"""

import difflib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bookbuild import Book  # noqa: E402
from bookbuild.directive import quoted  # noqa: E402
from bookbuild.guard import page_typed_copies  # noqa: E402
from bookbuild.notebooks import chapters  # noqa: E402
from bookbuild.runs import run_as_notebooks, run_snippets, varies  # noqa: E402
from tests.conftest import OTHER_ARITHMETIC  # noqa: E402


def main(chapter: str) -> int:
    book = Book.from_environment()
    # a chapter by its snippet folder (08_convergence) or, where the number is unique, by its files' number (12)
    folders = [book.snippets / chapter] if not chapter.isdigit() else list(book.snippets.glob(f"{int(chapter):02d}_*"))
    if len(folders) != 1 or not folders[0].is_dir():
        sys.exit(f"no single snippet folder for {chapter!r}: name it, e.g. 08_convergence")
    folder = folders[0]
    pages = [p for p in book.pages() if f"snippets/{folder.name}/" in p.read_text(encoding="utf-8")]
    if len(pages) != 1:
        sys.exit(f"no single page for chapter {chapter}: {pages}")
    page = pages[0]
    src = page.relative_to(book.docs).as_posix()
    _, order = chapters(book)[folder.name]

    runs = run_snippets(book)
    with tempfile.TemporaryDirectory() as tmp:
        cells = run_as_notebooks(book, {folder.name: [ROOT / s for s in order]}, Path(tmp), OTHER_ARITHMETIC)
    other = {cell.snippet: cell for cell in cells[folder.name]}
    problems = 0
    for rel in order:
        if runs[rel].stderr or other[rel].stderr:
            problems += 1
            print(f"STDERR {rel}:\n{runs[rel].stderr or other[rel].stderr}")
        if varies(ROOT / rel):
            print(f"varies  {rel} (declared)")
            continue
        if runs[rel].stdout != other[rel].stdout:
            problems += 1
            print(f"DIFFERS {rel}:")
            print(
                "".join(
                    difflib.unified_diff(
                        runs[rel].stdout.splitlines(True),
                        other[rel].stdout.splitlines(True),
                        "this machine",
                        "other arithmetic",
                        n=0,
                    )
                )
            )
        else:
            print(f"same    {rel}")

    markdown = page.read_text(encoding="utf-8")
    for snippet, name, fmt in quoted(markdown, src):
        if snippet not in runs or name not in runs[snippet].values:
            problems += 1
            print(
                f"MISSING value {snippet} {name}: it publishes "
                f"{sorted(runs[snippet].values) if snippet in runs else 'nothing (no such snippet)'}"
            )
            continue
        if snippet in other and not varies(ROOT / snippet):
            here, there = format(runs[snippet].values[name], fmt), format(other[snippet].values[name], fmt)
            if here != there:
                problems += 1
                print(f"DIFFERS value {snippet} {name}: {here} here, {there} under the other arithmetic")

    copies = page_typed_copies(book, runs, markdown, src)
    if copies:
        problems += 1
        print(f"TYPED   {src} types numbers a run prints: {', '.join(copies)}")
    print(f"{src}: {'OK' if not problems else f'{problems} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
