"""The two directives a page may use, parsed and rendered.

``{{ snippet("snippets/03_gradient_descent/x_squared.py") }}`` on a line of its
own becomes the file's code, a link to the whole file, and, under it, the
output this build's run of the file printed. Options: ``section="model"``
shows only the part of the file between ``# --8<-- [start:model]`` and
``# --8<-- [end:model]`` (the link to the whole file stays; a section that does
not exist fails the build), ``output=False`` leaves the output out (for a
snippet that only draws), ``title="..."`` replaces the code block's title.

``{{ value("12_regularisation/early_stopping", "val_loss_final", ".3f") }}``,
anywhere in prose, becomes the value that snippet published under that name
(``lessonlib.publish``), formatted with the Python format spec.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from bookbuild.book import Book, BuildError
from bookbuild.runs import Manifest, varies

DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\{\{\s*snippet\((?P<args>.*)\)\s*\}\}[ \t]*$", re.M)
VALUE = re.compile(r"\{\{\s*value\((?P<args>[^{}]*?)\)\s*\}\}")
SECTION = re.compile(r"^[ \t]*# --8<-- \[(?P<end>start|end):(?P<name>[\w-]+)\][ \t]*\n?", re.M)
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
OPTIONS = {"section", "output", "title"}


def _literal_call(directive: str, args: str, page: str) -> tuple[list, dict]:
    """The positional and keyword arguments of ``directive(args)``, each a Python literal."""
    try:
        call = ast.parse(f"f({args})", mode="eval").body
        assert isinstance(call, ast.Call)
        return [ast.literal_eval(a) for a in call.args], {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except (SyntaxError, ValueError) as err:
        raise BuildError(f"{page}: cannot read {directive}({args}): {err}") from None


def parse_snippet(args: str, page: str) -> tuple[str, dict]:
    """``snippet("snippets/a/b.py", output=False)`` -> ("snippets/a/b.py", {"output": False})."""
    positional, options = _literal_call("snippet", args, page)
    if len(positional) != 1 or not isinstance(positional[0], str):
        raise BuildError(f"{page}: snippet(...) takes one path, got snippet({args})")
    unknown = set(options) - OPTIONS
    if unknown:
        raise BuildError(f"{page}: snippet(...) has unknown options {sorted(unknown)} (it takes {sorted(OPTIONS)})")
    return positional[0], options


def parse_value(args: str, page: str) -> tuple[str, str, str]:
    """``value("12_regularisation/early_stopping", "val_loss_final", ".3f")`` -> (snippet path, name, format)."""
    positional, options = _literal_call("value", args, page)
    if set(options) - {"format"} or not 2 <= len(positional) + len(options) <= 3 or len(positional) < 2:
        raise BuildError(
            f"{page}: value(...) takes a snippet, a name and a format: "
            f'value("<chapter>/<topic>", "name", ".3f"); got value({args})'
        )
    snippet, name, *rest = positional
    fmt = rest[0] if rest else options.get("format", "")
    if not all(isinstance(a, str) for a in (snippet, name, fmt)):
        raise BuildError(f"{page}: value({args}): the snippet, the name and the format are strings")
    if not snippet.startswith("snippets/"):
        snippet = f"snippets/{snippet}"
    if not snippet.endswith(".py"):
        snippet += ".py"
    return snippet, name, fmt


def included(markdown: str, page: str) -> list[str]:
    """The snippets a page includes, in order."""
    return [parse_snippet(m["args"], page)[0] for m in DIRECTIVE.finditer(markdown)]


def quoted(markdown: str, page: str) -> list[tuple[str, str, str]]:
    """(snippet, name, format) of every value a page quotes, code excepted."""
    code = _code_spans(markdown)
    return [parse_value(m["args"], page) for m in VALUE.finditer(markdown) if not _inside(m.start(), code)]


def section(source: str, name: str | None, where: str) -> str:
    """The code a page shows: the whole file or its section ``name``, without the section markers."""
    if name is not None:
        starts = [m for m in SECTION.finditer(source) if m["name"] == name and m["end"] == "start"]
        ends = [m for m in SECTION.finditer(source) if m["name"] == name and m["end"] == "end"]
        if len(starts) != 1 or len(ends) != 1 or ends[0].start() < starts[0].end():
            names = sorted({m["name"] for m in SECTION.finditer(source)})
            raise BuildError(
                f"{where}: no section {name!r} (marked # --8<-- [start:{name}] ... # --8<-- [end:{name}]); "
                f"its sections are {names or 'none'}"
            )
        source = source[starts[0].end() : ends[0].start()]
    return SECTION.sub("", source)


def fence(text: str, lang: str, title: str, indent: str) -> str:
    """``text`` as a fenced code block with a title, indented (inside an admonition or a tab) by ``indent``."""
    ticks = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    body = "\n".join(indent + line if line else "" for line in text.rstrip("\n").split("\n"))
    return f'{indent}{ticks}{lang} title="{title}"\n{body}\n{indent}{ticks}'


def render_snippet(book: Book, manifest: Manifest, args: str, indent: str, page: str) -> str:
    """The Markdown a ``{{ snippet(...) }}`` line becomes: code, a link to the file, the output."""
    snippet, options = parse_snippet(args, page)
    if snippet not in manifest:
        raise BuildError(f"{page}: no snippet {snippet!r} (snippets live in snippets/<chapter>/)")
    path = book.root / snippet
    name = Path(snippet).name
    part = options.get("section")
    code = section(path.read_text(encoding="utf-8"), part, f"{page}: snippet({args})")
    title = options.get("title", name if part is None else f"{name} · {part}")
    href = os.path.relpath(snippet, Path(page).parent).replace(os.sep, "/")  # snippets/ sits at the site's root
    parts = [
        fence(code, "python", title, indent),
        f"{indent}[:material-file-code: `{snippet}`]({href}) ({'the whole file' if part else 'download'}) · "
        f"run it with `python {snippet}`{{ .dh-snippet-link }}",
    ]
    if options.get("output", True):
        out = manifest[snippet].stdout
        if not out.strip():
            raise BuildError(f"{page}: {snippet} printed nothing; pass output=False")
        parts.append(fence(out, "text", "Output", indent))
    if varies(path):
        parts.append(
            f'{indent}!!! note "Measured on the machine that built this page"\n\n'
            f"{indent}    What this snippet prints depends on the computer that runs it: yours will differ. "
            "The text's claims are about the shape of the result, and the tests check those on every build."
        )
    return "\n\n".join(parts)


def expand_snippets(book: Book, manifest: Manifest, markdown: str, page: str) -> str:
    return DIRECTIVE.sub(lambda m: render_snippet(book, manifest, m["args"], m["indent"], page), markdown)


def expand_values(manifest: Manifest, markdown: str, page: str) -> str:
    """Replace each ``{{ value(snippet, name, format) }}`` in prose by this build's value, formatted."""

    def expand(m: re.Match) -> str:
        snippet, name, fmt = parse_value(m["args"], page)
        if snippet not in manifest:
            raise BuildError(f"{page}: value({m['args']}) quotes {snippet}, which is not a snippet")
        values = manifest[snippet].values
        if name not in values:
            raise BuildError(
                f"{page}: value({m['args']}): {snippet} publishes no value {name!r} "
                f"(it publishes {', '.join(sorted(values)) or 'nothing'}; see lessonlib.publish)"
            )
        try:
            return format(values[name], fmt)
        except (ValueError, TypeError) as err:
            raise BuildError(
                f"{page}: value({m['args']}): cannot format {values[name]!r} with {fmt!r}: {err}"
            ) from None

    # A value() written inside code (a fence or `inline code`) is the syntax shown, not a quote: leave it.
    code = _code_spans(markdown)
    return VALUE.sub(lambda m: m[0] if _inside(m.start(), code) else expand(m), markdown)


def _code_spans(markdown: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in (FENCE, INLINE_CODE) for m in pattern.finditer(markdown)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)
