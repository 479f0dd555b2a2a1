"""Math typeset by the build: KaTeX, under Node, renders every formula that arithmatex marks.

A page then carries its math as HTML (with MathML for screen readers): it shows at first paint, with no
script to run, the same in the offline edition and in print. A formula KaTeX cannot parse fails the build,
naming the page and the formula. Rendered formulas are kept in the cache, keyed by KaTeX's version, so a
rebuild starts Node only for formulas it has not seen.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bookbuild.assets import katex_dir
from bookbuild.book import Book, BuildError

#: What ``pymdownx.arithmatex`` (``generic: true``) writes: ``\(…\)`` in a span, ``\[…\]`` in a div, HTML-escaped.
MARKED = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.DOTALL)

#: Reads ``[[tex, display], …]`` as JSON on stdin, writes ``[{"html": …} | {"error": …}, …]``.
RENDER = r"""
const katex = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, displayMode]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode, throwOnError: true }) };
    } catch (err) {
      return { error: String(err.message) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
"""

Formula = tuple[str, bool]  # (TeX, display)


def formula(marked: str) -> Formula:
    """The TeX and the display flag of what arithmatex put between the tags."""
    text = html.unescape(marked).strip()
    for left, right, display in (("\\(", "\\)", False), ("\\[", "\\]", True)):
        if text.startswith(left) and text.endswith(right):
            return text[len(left) : -len(right)].strip(), display
    raise BuildError(f"arithmatex wrote math without its delimiters: {text[:80]!r}")


class Typesetter:
    """Renders the marked math of one page after another, remembering every formula (in memory and on disk)."""

    def __init__(self, book: Book) -> None:
        self.book = book
        version = json.loads((katex_dir(book).parent / "package.json").read_text(encoding="utf-8"))["version"]
        self.path = book.cache / "math" / f"katex-{version}.json"
        self.known: dict[str, str] = {}
        if self.path.exists():
            self.known = json.loads(self.path.read_text(encoding="utf-8"))

    @staticmethod
    def key(f: Formula) -> str:
        return ("display:" if f[1] else "inline:") + f[0]

    def page(self, text: str, where: str) -> str:
        """``text`` (a page's HTML) with each marked formula replaced by KaTeX's rendering of it."""
        found = {formula(m["tex"]) for m in MARKED.finditer(text)}
        new = sorted(f for f in found if self.key(f) not in self.known)
        if new:
            self._render(new, where)

        def typeset(m: re.Match[str]) -> str:
            return f'<{m["tag"]} class="arithmatex">{self.known[self.key(formula(m["tex"]))]}</{m["tag"]}>'

        return MARKED.sub(typeset, text)

    def _render(self, formulas: list[Formula], where: str) -> None:
        node = shutil.which("node")
        if node is None:
            raise BuildError(f"{where}: Node.js is needed to typeset the math (install it, then run `npm ci`)")
        done = subprocess.run(
            [node, "-e", RENDER, str(katex_dir(self.book) / "katex.js")],
            input=json.dumps(formulas),
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        if done.returncode != 0:
            raise BuildError(f"{where}: KaTeX under Node failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
        results = json.loads(done.stdout)
        for (tex, _), result in zip(formulas, results, strict=True):
            if "error" in result:
                raise BuildError(f"{where}: KaTeX cannot typeset {tex!r}: {result['error']}")
        self.known.update((self.key(f), r["html"]) for f, r in zip(formulas, results, strict=True))
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.known, f, sort_keys=True)
        Path(tmp).replace(self.path)
