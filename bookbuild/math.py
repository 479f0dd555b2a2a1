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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bookbuild.assets import katex_dir
from bookbuild.book import Book, BuildError

#: What ``pymdownx.arithmatex`` (``generic: true``) writes: ``\(…\)`` in a span, ``\[…\]`` in a div, HTML-escaped.
MARKED = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.DOTALL)

#: Reads one JSON line ``[[tex, display], …]`` at a time on stdin and answers each with one JSON line
#: ``[{"html": …} | {"error": …}, …]``: one Node for the whole build, however many pages ask.
RENDER = r"""
const katex = require(process.argv[1]);
require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
  const out = JSON.parse(line).map(([tex, displayMode]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode, throwOnError: true }) };
    } catch (err) {
      return { error: String(err.message) };
    }
  });
  process.stdout.write(JSON.stringify(out) + "\n");
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
    """Renders the marked math of one page after another, remembering every formula; :meth:`save` keeps them on
    disk for the next build. Node is started when a page first has a formula not seen before."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.node: subprocess.Popen[str] | None = None
        self.unsaved = False
        version = json.loads((katex_dir(book).parent / "package.json").read_text(encoding="utf-8"))["version"]
        self.path = book.cache / "math" / f"katex-{version}.json"
        self.known: dict[str, str] = {}
        if self.path.exists():
            self.known = json.loads(self.path.read_text(encoding="utf-8"))

    def __enter__(self) -> Typesetter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.save()

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

    def text(self, escaped: str, where: str) -> str:
        """HTML for HTML-escaped text with inline ``\\(…\\)`` math, as a heading's entry in MkDocs' table of
        contents has."""
        marked = re.sub(
            r"\\\((.+?)\\\)",
            lambda m: f'<span class="arithmatex">\\({m[1]}\\)</span>',
            escaped,
        )
        return self.page(marked, where)

    def toc(self, entries: Iterable[Any], where: str) -> None:
        """Typeset the math of a table of contents' entries (objects with ``title`` and ``children``, as MkDocs'):
        each gets ``typeset = {"title": html}``, which Material shows instead of the plain title."""
        items = list(entries)
        while items:
            item = items.pop()
            items += item.children
            if "\\(" in item.title:
                item.typeset = {"title": self.text(item.title, where)}

    def _render(self, formulas: list[Formula], where: str) -> None:
        if self.node is None or self.node.poll() is not None:
            node = shutil.which("node")
            if node is None:
                raise BuildError(f"{where}: Node.js is needed to typeset the math (install it, then run `npm ci`)")
            self.node = subprocess.Popen(
                [node, "-e", RENDER, str(katex_dir(self.book) / "katex.js")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        assert self.node.stdin is not None and self.node.stdout is not None
        try:
            self.node.stdin.write(json.dumps(formulas) + "\n")
            self.node.stdin.flush()
            results = json.loads(self.node.stdout.readline())
        except (OSError, ValueError) as err:
            raise BuildError(f"{where}: KaTeX under Node failed ({err})") from None
        for (tex, _), result in zip(formulas, results, strict=True):
            if "error" in result:
                raise BuildError(f"{where}: KaTeX cannot typeset {tex!r}: {result['error']}")
        self.known.update((self.key(f), r["html"]) for f, r in zip(formulas, results, strict=True))
        self.unsaved = True

    def save(self) -> None:
        """Write the formulas rendered so far to the cache (if any are new), and let Node go."""
        if self.node is not None:
            self.node.communicate()  # closes its input, so it ends
            self.node = None
        if not self.unsaved:
            return
        self.unsaved = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.known, f, sort_keys=True)
        Path(tmp).replace(self.path)
