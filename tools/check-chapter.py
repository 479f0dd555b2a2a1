"""Check one chapter quickly, without building the site: for a writer iterating on its numbers.

    .venv/bin/python tools/check-chapter.py 12

runs the chapter's snippets (from the build cache where unchanged), runs them
again under another CPU's arithmetic (as tests/snippets/test_snippets.py
does), and reports: snippets whose text differs between the two, values the
page quotes that differ or that no snippet publishes, and numbers the prose
types that a run prints (the build's guard). Exit status 1 if anything is
wrong. The full check is still `make test`.
"""

import difflib
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.snippets.test_snippets import OTHER_ARITHMETIC, VARIES  # noqa: E402


def main(chapter: str) -> int:
    spec = importlib.util.spec_from_file_location("downhill_hook", ROOT / "hooks" / "downhill.py")
    hook = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = hook
    spec.loader.exec_module(hook)

    pages = [p for p in sorted((ROOT / "docs").rglob("*.md")) if p.name.startswith(f"{int(chapter):02d}-")]
    if len(pages) != 1:
        sys.exit(f"no single page for chapter {chapter}: {pages}")
    page = pages[0]
    src = page.relative_to(ROOT / "docs").as_posix()
    folder = next((ROOT / "snippets").glob(f"{int(chapter):02d}_*"))
    paths = sorted(p for p in folder.glob("*.py") if p.name != "__init__.py")

    runs = hook.run_snippets()
    with tempfile.TemporaryDirectory() as tmp:
        other = hook.run_uncached(paths, Path(tmp), OTHER_ARITHMETIC)
    problems = 0
    for path in paths:
        rel = path.relative_to(ROOT).as_posix()
        if runs[rel].stderr or other[rel].stderr:
            problems += 1
            print(f"STDERR {rel}:\n{runs[rel].stderr or other[rel].stderr}")
        if VARIES in path.read_text(encoding="utf-8"):
            print(f"varies  {rel} (declared)")
            continue
        if runs[rel].stdout != other[rel].stdout:
            problems += 1
            print(f"DIFFERS {rel}:")
            print("".join(difflib.unified_diff(runs[rel].stdout.splitlines(True), other[rel].stdout.splitlines(True),
                                               "this machine", "other arithmetic", n=0)))
        else:
            print(f"same    {rel}")

    markdown = page.read_text(encoding="utf-8")
    for m in hook.VALUE.finditer(markdown):
        snippet, name, fmt = hook.parse_value(m["args"], src)
        if snippet not in runs or name not in runs[snippet].values:
            problems += 1
            print(f"MISSING value({m['args']}): {snippet} publishes {sorted(runs[snippet].values) if snippet in runs else 'nothing (no such snippet)'}")
            continue
        if snippet in other and VARIES not in (ROOT / snippet).read_text(encoding="utf-8"):
            here, there = format(runs[snippet].values[name], fmt), format(other[snippet].values[name], fmt)
            if here != there:
                problems += 1
                print(f"DIFFERS value({m['args']}): {here} here, {there} under the other arithmetic")

    copies = hook.page_typed_copies(markdown, src, runs)
    if copies:
        problems += 1
        print(f"TYPED   {src} types numbers a run prints: {', '.join(copies)}")
    print(f"{src}: {'OK' if not problems else f'{problems} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
