"""The three directives a page may use, parsed and rendered.

``{{ snippet("snippets/03_gradient_descent/x_squared.py") }}`` on a line of its
own becomes the file's code, a link to the whole file, and, under it, the
output this build's run of the file printed, in a block with no copy button
(the button copies code, never output). Options: ``section="model"`` shows
only the part of the file between ``# --8<-- [start:model]`` and
``# --8<-- [end:model]``, titled and linked as a part of the whole file (a
section that does not exist fails the build), ``output=False`` leaves the
output out (for a snippet that only draws), ``title="..."`` replaces the code
block's title.

``{{ value("12_regularisation/early_stopping", "val_loss_final", ".3f") }}``,
anywhere in prose, becomes the value that snippet published under that name
(``lessonlib.book.publish``), formatted with the Python format spec.

``{{ source("lessonlib.optim.adam_update") }}`` on a line of its own becomes
the code of that function, class or method of lessonlib (named as the API
reference names it), without its docstring, and a link to its entry in the API
reference: the code a chapter shows of how lessonlib computes is the code the
tests check. A name that lessonlib does not define fails the build.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from bookbuild.book import Book, BuildError
from bookbuild.runs import Manifest, varies
from bookbuild.wheel import install_command, site_path

DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\{\{\s*snippet\((?P<args>.*)\)\s*\}\}[ \t]*$", re.M)
VALUE = re.compile(r"\{\{\s*value\((?P<args>[^{}]*?)\)\s*\}\}")
SECTION = re.compile(r"^[ \t]*# --8<-- \[(?P<end>start|end):(?P<name>[\w-]+)\][ \t]*\n?", re.M)
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
OPTIONS = {"section", "output", "title"}
SOURCE = re.compile(r"^(?P<indent>[ \t]*)\{\{\s*source\((?P<args>.*)\)\s*\}\}[ \t]*$", re.M)
API_PAGE = "appendix/api.md"


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


def fence(text: str, lang: str, title: str, indent: str, classes: tuple[str, ...] = ()) -> str:
    """``text`` as a fenced code block with a title, indented (inside an admonition or a tab) by ``indent``, with
    ``classes`` on the block."""
    ticks = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    body = "\n".join(indent + line if line else "" for line in text.rstrip("\n").split("\n"))
    info = f'{lang} title="{title}"'
    if classes:  # the attribute-list form: { .text .no-copy title="Output" }
        info = "{ " + " ".join(f".{c}" for c in (lang, *classes)) + f' title="{title}" }}'
    return f"{indent}{ticks}{info}\n{body}\n{indent}{ticks}"


def output_fence(text: str, indent: str) -> str:
    """What a run printed, as a block titled "Output" with no copy button (Material's ``no-copy``): the button
    copies code, and output pasted after it would be code that fails."""
    return fence(text, "text", "Output", indent, ("no-copy",))


def render_snippet(book: Book, manifest: Manifest, args: str, indent: str, page: str) -> str:
    """The Markdown a ``{{ snippet(...) }}`` line becomes: code, a link to the file, the output."""
    snippet, options = parse_snippet(args, page)
    if snippet not in manifest:
        raise BuildError(f"{page}: no snippet {snippet!r} (snippets live in snippets/<chapter>/)")
    path = book.root / snippet
    name = Path(snippet).name
    part = options.get("section")
    source = path.read_text(encoding="utf-8")
    code = section(source, part, f"{page}: snippet({args})")
    title = options.get("title", name if part is None else f"{name} (part: {part})")
    href = os.path.relpath(snippet, Path(page).parent).replace(os.sep, "/")  # snippets/ sits at the site's root
    # a part says so, and links the whole file, which is what runs
    link = f"[:material-file-code: `{snippet}`]({href})"
    parts = [
        fence(code, "python", title, indent),
        f"{indent}{f'This is part of {link} (the whole file)' if part else f'{link} (download)'} · "
        f"run it with `python {snippet}`{{ .dh-snippet-link }}{_installing_lessonlib(book, source, page)}",
    ]
    if options.get("output", True):
        out = manifest[snippet].stdout
        if not out.strip():
            raise BuildError(f"{page}: {snippet} printed nothing; pass output=False")
        parts.append(output_fence(out, indent))
    if varies(path):
        parts.append(
            f'{indent}!!! note "Measured on the machine that built this page"\n\n'
            f"{indent}    What this snippet prints depends on the computer that runs it: yours will differ. "
            "The text's claims are about the shape of the result, and the tests check those on every build."
        )
    return "\n\n".join(parts)


def _installing_lessonlib(book: Book, source: str, page: str) -> str:
    """For a snippet (its ``source``) that imports lessonlib, how a reader without a clone gets it: the wheel the
    site publishes."""
    command = install_command(book)
    if command is None or "lessonlib" not in source:
        return ""
    href = os.path.relpath(site_path(book), Path(page).parent).replace(os.sep, "/")
    return f", with [lessonlib]({href}) installed: `{command}`"


def expand_snippets(book: Book, manifest: Manifest, markdown: str, page: str) -> str:
    markdown = SOURCE.sub(lambda m: render_source(book, m["args"], m["indent"], page), markdown)
    return DIRECTIVE.sub(lambda m: render_snippet(book, manifest, m["args"], m["indent"], page), markdown)


def parse_source(args: str, page: str) -> str:
    """``source("lessonlib.optim.adam_update")`` -> "lessonlib.optim.adam_update"."""
    positional, options = _literal_call("source", args, page)
    if len(positional) != 1 or not isinstance(positional[0], str) or options:
        raise BuildError(f'{page}: source(...) takes one name, e.g. source("lessonlib.optim.sgd_update"); got ({args})')
    return positional[0]


def quoted_sources(markdown: str, page: str) -> list[str]:
    """The lessonlib names a page shows the code of, in order."""
    return [parse_source(m["args"], page) for m in SOURCE.finditer(markdown)]


def lessonlib_source(book: Book, name: str, where: str) -> tuple[str, str]:
    """(file, code) of the lessonlib object ``name``: its definition, dedented, without its docstring.

    ``name`` is a module path and then an attribute path, ``lessonlib.optim.adam_update`` or
    ``lessonlib.optim.Optimizer.step``; a name a package imports from one of its modules is looked up there.
    """
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        base = book.root.joinpath(*parts[:cut])
        path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
        if parts[0] == "lessonlib" and path.is_file():
            break
    else:
        raise BuildError(f"{where}: no lessonlib module in {name!r}")
    module, attrs = parts[:cut], parts[cut:]
    if not attrs:
        raise BuildError(f"{where}: source({name!r}) names a module; name a function, class or method in it")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for imp in tree.body:
        if isinstance(imp, ast.ImportFrom) and imp.module and any(a.name == attrs[0] for a in imp.names):
            return lessonlib_source(book, ".".join([imp.module, *attrs]), where)  # re-exported from a module
    node: ast.AST = tree
    for attr in attrs:
        found = [
            n
            for n in getattr(node, "body", [])
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.name == attr
        ]
        if not found:
            raise BuildError(f"{where}: {'.'.join(module)} ({book.rel(path)}) defines no {'.'.join(attrs)!r}")
        node = found[-1]  # an overloaded function's implementation comes last
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    lines = path.read_text(encoding="utf-8").splitlines()
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    keep = list(range(first - 1, node.end_lineno or node.lineno))
    doc = node.body[0]
    if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str):
        docstring = set(range(doc.lineno - 1, doc.end_lineno or doc.lineno))
        keep = [i for i in keep if i not in docstring]
    code = "\n".join(lines[i] for i in keep)
    indent = min(len(line) - len(line.lstrip()) for line in code.splitlines() if line.strip())
    return book.rel(path), "\n".join(line[indent:] for line in code.splitlines()) + "\n"


def render_source(book: Book, args: str, indent: str, page: str) -> str:
    """The Markdown a ``{{ source(...) }}`` line becomes: the code, and a link to its API entry."""
    name = parse_source(args, page)
    file, code = lessonlib_source(book, name, f"{page}: source({args})")
    href = os.path.relpath(API_PAGE, Path(page).parent).replace(os.sep, "/")
    short = name.rsplit(".", 1)[-1]
    return "\n\n".join(
        [
            fence(code, "python", f"{file} · {short}", indent),
            f"{indent}[:material-book-open-variant: `{name}`]({href}#{name}){{ .dh-snippet-link }} in the API "
            "reference, with its docstring; the tests check this code against PyTorch or a closed form",
        ]
    )


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
                f"(it publishes {', '.join(sorted(values)) or 'nothing'}; see lessonlib.book.publish)"
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
