"""The build without a site engine.

    python -m bookbuild run      # run the snippets (cached), write the manifest and the notebooks
    python -m bookbuild stage    # ... and write the docs with every directive expanded, for another engine
    python -m bookbuild times    # the ten slowest snippets of the last run

Exit status 1, with the page or snippet named, when the build cannot go on.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bookbuild import Book, BuildError, Manifest, notebooks, pages, runs, stage


def main(argv: list[str] | None = None, book: Book | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookbuild", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the snippets, write the manifest and the notebooks")
    staging = commands.add_parser("stage", help="run, then write the docs with every directive expanded")
    staging.add_argument("--out", type=Path, default=stage.DEFAULT, help=f"where (default {stage.DEFAULT})")
    commands.add_parser("times", help="the ten slowest snippets of the last run")
    args = parser.parse_args(argv)
    book = book or Book.from_environment()
    try:
        if args.command == "times":
            print(pages.slowest_table(Manifest.read(book.manifest_path)))
            return 0
        start = time.perf_counter()
        before = Manifest.previous(book)
        manifest = runs.run_snippets(book)
        fresh = len(runs.changed(manifest, before))
        chapters = notebooks.write_notebooks(book, manifest)
        print(
            f"{len(manifest)} snippets ({fresh} run, {len(manifest) - fresh} from the cache), "
            f"{len(chapters)} notebooks, in {time.perf_counter() - start:.1f} s; manifest {book.manifest_path}"
        )
        if args.command == "stage":
            count = stage.stage(book, manifest, args.out)
            print(f"staged {count} files under {args.out}, in {time.perf_counter() - start:.1f} s")
    except BuildError as err:
        print(f"bookbuild: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
