"""Time the rebuilds an author waits for under `make serve` (`mkdocs serve --dirty`), in one process as serve does.

    .venv/bin/python tools/time-rebuilds.py [repeats]

Builds the site once into a temporary folder, then times, `repeats` times each
(default 5), a rebuild with nothing changed, after editing one chapter's prose,
and after editing one snippet (which then runs again). Prints a Markdown table
of the minimum and median seconds. Restores every file it edits.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "docs" / "part-1" / "03-gradient-descent.md"
SNIPPET = ROOT / "snippets" / "03_gradient_descent" / "x_squared.py"


def main(repeats: int) -> None:
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.disable(logging.WARNING)
    os.chdir(ROOT)
    site = tempfile.mkdtemp(prefix="downhill-serve-")

    def rebuild() -> float:
        start = time.perf_counter()
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=site)
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)
        return time.perf_counter() - start

    first = rebuild()
    times: dict[str, list[float]] = {
        "nothing changed": [],
        "one chapter's prose edited": [],
        "one snippet edited (it runs again)": [],
    }
    for i in range(repeats):
        times["nothing changed"].append(rebuild())
        for label, path, edit in [
            ("one chapter's prose edited", CHAPTER, f"\nAn edited sentence, {i}.\n"),
            ("one snippet edited (it runs again)", SNIPPET, f'print("edited {i}")\n'),
        ]:
            original = path.read_text(encoding="utf-8")
            path.write_text(original + edit, encoding="utf-8")
            try:
                times[label].append(rebuild())
            finally:
                path.write_text(original, encoding="utf-8")
                os.utime(path)
        rebuild()  # back to the unedited book
    print(f"first build in the process: {first:.1f} s; {repeats} repeats each\n")
    print("| rebuild under `make serve` | min (s) | median (s) |\n| --- | ---: | ---: |")
    for label, values in times.items():
        print(f"| {label} | {min(values):.2f} | {statistics.median(values):.2f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
