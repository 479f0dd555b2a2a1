"""The build without a site engine.

    python -m bookbuild run      # run the snippets (cached), write the manifest and the notebooks
    python -m bookbuild stage    # ... and write the docs with every directive expanded, for another engine
    python -m bookbuild times    # the ten slowest snippets of the last run
    python -m bookbuild wheel    # lessonlib as a wheel (cached), copied into dist/
    python -m bookbuild zip      # a built offline site as dist/downhill-offline.zip (make offline)
    python -m bookbuild pdf      # a built offline site as one page, printed to dist/downhill.pdf (make pdf)

Exit status 1, with the page or snippet named, when the build cannot go on.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bookbuild import Book, BuildError, Manifest, notebooks, offline, pages, pdf, runs, stage, wheel

OFFLINE_SITE = Path("build") / "offline" / "site"


def main(argv: list[str] | None = None, book: Book | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookbuild", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the snippets, write the manifest and the notebooks")
    staging = commands.add_parser("stage", help="run, then write the docs with every directive expanded")
    staging.add_argument("--out", type=Path, default=stage.DEFAULT, help=f"where (default {stage.DEFAULT})")
    commands.add_parser("times", help="the ten slowest snippets of the last run")
    commands.add_parser("wheel", help="lessonlib as a wheel (cached), copied into dist/")
    for name, target in (("zip", offline.ZIP), ("pdf", offline.PDF)):
        command = commands.add_parser(name, help=f"a built offline site as dist/{target}")
        command.add_argument("--site", type=Path, default=OFFLINE_SITE, help=f"the built site (default {OFFLINE_SITE})")
        command.add_argument("--out", type=Path, default=offline.DIST / target, help=f"where (default dist/{target})")
    args = parser.parse_args(argv)
    book = book or Book.from_environment()
    try:
        if args.command == "times":
            print(pages.slowest_table(Manifest.read(book.manifest_path)))
            return 0
        if args.command in ("wheel", "zip", "pdf"):
            start = time.perf_counter()
            made = _make(book, args)
            print(f"{made} ({made.stat().st_size / 1e6:.1f} MB), in {time.perf_counter() - start:.1f} s")
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


def _make(book: Book, args: argparse.Namespace) -> Path:
    """The wheel, the offline zip or the PDF."""
    if args.command == "wheel":
        built = wheel.build(book)
        offline.DIST.mkdir(parents=True, exist_ok=True)
        (offline.DIST / built.name).write_bytes(built.read_bytes())
        return offline.DIST / built.name
    if args.command == "zip":
        count = offline.zip_site(args.site, args.out, book.site_url or pdf.config(book).get("site_url"))
        print(f"{count} files")
        return args.out
    layout = pdf.assemble(book, args.site, Path("build") / "pdf")
    print(f"{pdf.print_pdf(layout, args.out)} pages")
    return args.out


if __name__ == "__main__":
    sys.exit(main())
