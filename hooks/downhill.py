"""The book's build hooks: run the snippets, place their output and figures,
make each chapter's notebook, and serve the math library from the site.

How a chapter uses it. A line of its own in a page,

    {{ snippet("snippets/03_gradient_descent/x_squared.py") }}

becomes the file's code (included by ``pymdownx.snippets``, which fails the
build if the file is missing), a link to the whole file, and, under it, the
output that this build's run of the file printed. Options:
``lines="5:12"`` shows only those lines (the link to the whole file stays),
``output=False`` leaves the output out (for a snippet that only draws).

Every snippet under ``snippets/`` runs once per build, in its own process,
on the CPU, with ``DOWNHILL_FIGURE_DIR`` pointing at a fresh folder; the SVGs
it saves there become ``figures/<chapter>/<name>.svg`` in the site. Runs are
cached under ``.cache/downhill``, keyed on the snippet's bytes, lessonlib's
source and the versions of Python, torch, numpy and matplotlib, so an
edit-rebuild cycle reruns only what changed. A snippet that fails stops the
build with its file named and its traceback shown.
"""

from __future__ import annotations

import ast
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.downhill")

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
LESSONLIB = ROOT / "lessonlib"
CACHE = Path(os.environ.get("DOWNHILL_CACHE") or ROOT / ".cache" / "downhill").resolve()
KATEX = ROOT / "node_modules" / "katex" / "dist"
RUNNER_VERSION = "2"  # bump to invalidate every cached run

DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\{\{\s*snippet\((?P<args>.*)\)\s*\}\}[ \t]*$", re.M)
VALUE = re.compile(r"\{\{\s*value\((?P<args>[^{}]*?)\)\s*\}\}")
VARIES = "# downhill: output varies"  # a snippet whose output depends on the machine (a timing)
TYPED_NUMBERS = ROOT / "typed-numbers.toml"
FIGURE_REF = re.compile(r"\(((?:\.\./)*figures/[\w-]+/[\w-]+\.svg)\)")


@dataclass
class Run:
    snippet: str  # "snippets/<chapter>/<topic>.py"
    stdout: str
    figures: list[str]  # "figures/<chapter>/<name>.svg"
    folder: Path  # holds figures/<chapter>/*.svg
    values: dict  # what the snippet published with lessonlib.publish: name -> number, bool or string
    key: str  # the cache key of this run
    stderr: str = ""


_runs: dict[str, Run] = {}


# --------------------------------------------------------------------------- #
# Running snippets, with a cache


def _source_hash() -> str:
    """Hash of lessonlib's source and the libraries a run depends on."""
    h = hashlib.sha256(RUNNER_VERSION.encode())
    for lib in ("torch", "numpy", "matplotlib"):
        h.update(f"{lib}={version(lib)}".encode())
    h.update(sys.version.encode())
    for path in sorted(LESSONLIB.rglob("*.py")):
        h.update(path.relative_to(LESSONLIB).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _cached(path: Path, base_key: str) -> tuple[Path, Path]:
    """The cache slot of a snippet (one per file) and the folder of this version's run."""
    rel = path.relative_to(ROOT).as_posix()
    key = hashlib.sha256(base_key.encode() + path.read_bytes()).hexdigest()[:20]
    slot = CACHE / "runs" / rel.replace("/", "__")
    return slot, slot / key


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def snippet_paths() -> list[Path]:
    return sorted(p for p in SNIPPETS.rglob("*.py") if p.name != "__init__.py")


def _execute(jobs: list[tuple[Path, Path]], env: dict[str, str] | None = None) -> dict[Path, dict]:
    """Run each ``(snippet, scratch folder)`` in the forking runner; return each one's stdout, figures and values.

    ``env`` is added to this process's environment for the runner: the way to
    run under another arithmetic path (``ATEN_CPU_CAPABILITY``, ``MKL_CBWR``,
    thread counts), which torch reads when the runner imports it.
    """
    if not jobs:
        return {}
    spec = [
        {"path": str(path), "cwd": str(scratch), "env": {
            "DOWNHILL_DEVICE": "cpu",
            "DOWNHILL_FIGURE_DIR": str(scratch / "figures" / path.parent.name),
            "MPLBACKEND": "Agg",
            "DOWNHILL_VALUES": str(scratch / "values.json"),
        }}
        for path, scratch in jobs
    ]
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("snippet_runner.py"))],
        input=json.dumps(spec), capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})},
    )
    if proc.returncode != 0:
        raise PluginError(f"the snippet runner failed:\n{proc.stderr[-4000:]}")
    codes = json.loads(proc.stdout)
    failed = [(path, code, scratch) for (path, scratch), code in zip(jobs, codes) if code != 0]
    if failed:
        path, code, scratch = failed[0]
        stderr = (scratch / "stderr.txt").read_text(errors="replace")
        names = ", ".join(p.relative_to(ROOT).as_posix() for p, *_ in failed)
        raise PluginError(
            f"Snippet {path.relative_to(ROOT).as_posix()} failed (exit code {code}):\n{stderr[-4000:]}"
            + (f"\n(failed: {names})" if len(failed) > 1 else "")
        )
    results = {}
    for path, scratch in jobs:
        figdir = scratch / "figures" / path.parent.name
        values_file = scratch / "values.json"
        results[path] = {
            "stdout": (scratch / "stdout.txt").read_text(encoding="utf-8"),
            "stderr": (scratch / "stderr.txt").read_text(encoding="utf-8"),
            "figures": sorted(p.relative_to(scratch).as_posix() for p in figdir.glob("*.svg")) if figdir.exists() else [],
            "values": json.loads(values_file.read_text(encoding="utf-8")) if values_file.exists() else {},
        }
    return results


def run_snippets() -> dict[str, Run]:
    """Run every snippet whose cached run is missing or stale; return all runs."""
    paths = snippet_paths()
    base_key = _source_hash()
    start = time.perf_counter()
    todo = {}
    folders = {}  # keyed once, so a snippet edited while the build runs cannot change its key mid-way
    for path in paths:
        slot, folder = folders[path] = _cached(path, base_key)
        if not (folder / "done.json").exists():
            todo[path] = Path(tempfile.mkdtemp(prefix="run-", dir=_ensure(CACHE / "tmp")))
    try:
        results = _execute(list(todo.items()))
    except PluginError:
        for scratch in todo.values():
            shutil.rmtree(scratch, ignore_errors=True)
        raise
    for path, scratch in todo.items():
        slot, folder = folders[path]
        (scratch / "done.json").write_text(json.dumps(results[path]))
        shutil.rmtree(slot, ignore_errors=True)  # older runs of this snippet
        slot.mkdir(parents=True, exist_ok=True)
        scratch.rename(folder)

    runs = {}
    for path in paths:
        _, folder = folders[path]
        meta = json.loads((folder / "done.json").read_text())
        rel = path.relative_to(ROOT).as_posix()
        runs[rel] = Run(rel, meta["stdout"], meta["figures"], folder, meta["values"], folder.name, meta["stderr"])
    _write_if_changed(CACHE / "manifest.json", json.dumps(
        {rel: {"stdout": r.stdout, "stderr": r.stderr, "figures": r.figures, "values": r.values, "key": r.key,
               "folder": str(r.folder)} for rel, r in runs.items()}, indent=1, sort_keys=True) + "\n")
    log.info(
        "downhill: %d snippets, %d run and %d from the cache, in %.1f s",
        len(paths), len(todo), len(paths) - len(todo), time.perf_counter() - start,
    )
    return runs


def run_uncached(paths: list[Path], folder: Path, env: dict[str, str] | None = None) -> dict[str, Run]:
    """Run ``paths`` afresh, each in a folder under ``folder``, with ``env`` added; no cache is read or written.

    The tests use it to run every snippet a second time, under another
    arithmetic path, and compare what it prints with the build's run.
    """
    jobs = []
    for path in paths:
        scratch = folder / path.relative_to(ROOT).as_posix().replace("/", "__")
        scratch.mkdir(parents=True)
        jobs.append((path, scratch))
    results = _execute(jobs, env)
    runs = {}
    for path, scratch in jobs:
        rel = path.relative_to(ROOT).as_posix()
        r = results[path]
        runs[rel] = Run(rel, r["stdout"], r["figures"], scratch, r["values"], "", r["stderr"])
    return runs


# --------------------------------------------------------------------------- #
# Notebooks: one per chapter, made from its snippets in page order


def _snippet_order(docs_dir: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Snippets per chapter in the order the pages include them, and chapter titles."""
    order: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for page in sorted(docs_dir.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", text, re.M)
        for m in DIRECTIVE.finditer(text):
            snippet, _ = _parse_args(m["args"], page)
            chapter = Path(snippet).parent.name
            if snippet not in order.setdefault(chapter, []):
                order[chapter].append(snippet)
            if title:
                titles.setdefault(chapter, title[1].strip())
    return order, titles


def _notebook(chapter: str, title: str, snippets: list[str], source_hash: str, figure_url: str | None = None) -> str:
    """The chapter's notebook: one code cell per snippet, with the output this build's run of it printed.

    The build does not execute notebooks a second time: a cell's source is the
    snippet file byte for byte, so its output is the snippet run's stdout and
    figures. tests/site/test_notebooks.py executes every notebook top to bottom
    in a Jupyter kernel and checks that each cell prints the same.

    The download carries its figures inline, so it stands alone. The copy the
    site renders as a page links them (``figure_url`` is the page's way to the
    site root): nbconvert sanitises inline SVG slowly, seconds per chapter.
    """
    import nbformat

    intro = (
        f"# {title}: the chapter's code\n\n"
        f"Every code cell below is one file of `snippets/{chapter}/` in the book's repository, "
        "in the order the chapter shows them. They need `lessonlib`, the book's library: from a clone "
        "of the repository, `pip install -e .` installs it. Figures appear under the cell that draws them."
    )
    cells = [nbformat.v4.new_markdown_cell(intro)]
    for count, snippet in enumerate(snippets, start=1):
        source = (ROOT / snippet).read_text(encoding="utf-8").rstrip() + "\n"
        doc = ast.get_docstring(ast.parse(source)) or ""
        summary = doc.strip().splitlines()[0] if doc.strip() else ""
        heading = Path(snippet).stem.replace("_", " ").capitalize()
        cells.append(nbformat.v4.new_markdown_cell(f"## {heading}\n\n{summary} (`{snippet}`)"))
        run = _runs[snippet]
        outputs = []
        if run.stdout:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=run.stdout))
        for fig in run.figures:
            if figure_url is None:
                svg = (run.folder / fig).read_text(encoding="utf-8")
                data = {"image/svg+xml": svg[svg.index("<svg"):]}  # inline in HTML: no XML prolog or DOCTYPE
            else:
                data = {"text/html": f'<img src="{figure_url}{fig}" alt="Figure {Path(fig).stem}">'}
            data["text/plain"] = f"<Figure {Path(fig).stem}>"
            outputs.append(nbformat.v4.new_output("display_data", data=data))
        cells.append(nbformat.v4.new_code_cell(source, outputs=outputs, execution_count=count))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["downhill"] = {"chapter": chapter, "lessonlib_and_versions": source_hash}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{chapter[:40]}-{i}"
    return nbformat.writes(nb)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- #
# mkdocs events


def on_config(config):
    os.environ.setdefault("DOWNHILL_DEVICE", "cpu")  # notebooks run on the CPU too
    if not (KATEX / "katex.min.js").exists():
        raise PluginError(
            f"KaTeX is not installed ({KATEX.relative_to(ROOT)} is missing): run `npm ci` "
            "(the README's set-up does) to install the pinned math library."
        )
    return config


@event_priority(100)  # before mkdocs-jupyter looks at the files
def on_files(files: Files, config) -> Files:
    global _runs
    use_urls = config["use_directory_urls"]
    site_dir = config["site_dir"]

    for asset in sorted(KATEX.rglob("*")):
        rel = asset.relative_to(KATEX).as_posix()
        if asset.is_file() and (rel.startswith("fonts/") or rel in _KATEX_FILES):
            files.append(File(rel, str(KATEX), site_dir, use_urls, dest_uri=f"assets/katex/{rel}"))

    _runs = run_snippets()
    for run in _runs.values():
        files.append(File(run.snippet, str(ROOT), site_dir, use_urls))
        for fig in run.figures:
            files.append(File(fig, str(run.folder), site_dir, use_urls))

    source_hash = _source_hash()
    order, titles = _snippet_order(Path(config["docs_dir"]))
    nb_dir = CACHE / "notebooks"
    for chapter, snippets in sorted(order.items()):
        title = titles.get(chapter, chapter)
        page = _notebook(chapter, title, snippets, source_hash, figure_url="../../" if use_urls else "../")
        _write_if_changed(nb_dir / "notebooks" / f"{chapter}.ipynb", page)
        _write_if_changed(nb_dir / "downloads" / f"{chapter}.ipynb", _notebook(chapter, title, snippets, source_hash))
        files.append(File(f"notebooks/{chapter}.ipynb", str(nb_dir), site_dir, use_urls))
        files.append(File(f"downloads/{chapter}.ipynb", str(nb_dir), site_dir, use_urls))
    return files


_KATEX_FILES = {"katex.min.js", "katex.min.css", "contrib/auto-render.min.js"}


def _literal_call(directive: str, args: str, page) -> tuple[list, dict]:
    """The positional and keyword arguments of ``directive(args)``, each a Python literal."""
    try:
        call = ast.parse(f"f({args})", mode="eval").body
        return [ast.literal_eval(a) for a in call.args], {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except (SyntaxError, ValueError) as err:
        raise PluginError(f"{page}: cannot read {directive}({args}): {err}") from None


def _parse_args(args: str, page) -> tuple[str, dict]:
    positional, options = _literal_call("snippet", args, page)
    if len(positional) != 1 or not isinstance(positional[0], str):
        raise PluginError(f"{page}: snippet(...) takes one path, got snippet({args})")
    unknown = set(options) - {"lines", "output", "title"}
    if unknown:
        raise PluginError(f"{page}: snippet(...) has unknown options {sorted(unknown)}")
    return positional[0], options


def _fence(text: str, lang: str, title: str, indent: str) -> str:
    ticks = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    body = "\n".join(indent + line if line else "" for line in text.rstrip("\n").split("\n"))
    return f'{indent}{ticks}{lang} title="{title}"\n{body}\n{indent}{ticks}'


def parse_value(args: str, page) -> tuple[str, str, str]:
    """``value("12_regularisation/early_stopping", "val_loss_final", ".3f")`` -> (snippet path, name, format)."""
    positional, options = _literal_call("value", args, page)
    if set(options) - {"format"} or not 2 <= len(positional) + len(options) <= 3 or len(positional) < 2:
        raise PluginError(f'{page}: value(...) takes a snippet, a name and a format: value("<chapter>/<topic>", "name", ".3f"); got value({args})')
    snippet, name, *rest = positional
    fmt = rest[0] if rest else options.get("format", "")
    if not all(isinstance(a, str) for a in (snippet, name, fmt)):
        raise PluginError(f"{page}: value({args}): the snippet, the name and the format are strings")
    if not snippet.startswith("snippets/"):
        snippet = f"snippets/{snippet}"
    if not snippet.endswith(".py"):
        snippet += ".py"
    return snippet, name, fmt


def expand_values(markdown: str, runs: dict[str, Run], page: str) -> str:
    """Replace each ``{{ value(snippet, name, format) }}`` by this build's value, formatted."""

    def expand(m: re.Match) -> str:
        snippet, name, fmt = parse_value(m["args"], page)
        if snippet not in runs:
            raise PluginError(f"{page}: value({m['args']}) quotes {snippet}, which is not a snippet")
        values = runs[snippet].values
        if name not in values:
            raise PluginError(
                f"{page}: value({m['args']}): {snippet} publishes no value {name!r} "
                f"(it publishes {', '.join(sorted(values)) or 'nothing'}; see lessonlib.publish)"
            )
        try:
            return format(values[name], fmt)
        except (ValueError, TypeError) as err:
            raise PluginError(f"{page}: value({m['args']}): cannot format {values[name]!r} with {fmt!r}: {err}") from None

    # A value() written inside code (a fence or `inline code`) is the syntax shown, not a quote: leave it.
    code = [m.span() for pattern in (_FENCE, _INLINE_CODE) for m in pattern.finditer(markdown)]
    return VALUE.sub(lambda m: m[0] if any(a <= m.start() < b for a, b in code) else expand(m), markdown)


# Numbers in prose: digits with an optional decimal part (thousands written 1,024 or 1\,024 are read whole) and exponent.
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:(?:,|\\,)\d{3})+|\d+)(\.\d+)?(?:[eE]([-+]?\d+)|\s*(?:\\times|\\cdot|×)\s*10\^\{?([-+−]?\d+)\}?)?(?![\w])(\s*\\?%)?")
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_NOT_PROSE = [
    _FENCE,
    DIRECTIVE,
    VALUE,
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\]\([^)\s]*\)"),  # link targets
    re.compile(r"<https?://[^>]*>|https?://\S+"),  # bare addresses (DOIs are full of digits)
    re.compile(r"^\[\^?[^\]]*\]:.*$", re.M),  # link and footnote definitions' targets
]


def _significant(integer: str, fraction: str) -> int:
    digits = (integer + fraction).lstrip("0")
    return len(digits if fraction else digits.rstrip("0"))


def _numbers(text: str):
    """(text as written, Decimal value, decimals written) of each number in ``text`` with its percent sign applied."""
    from decimal import Decimal

    for m in _NUMBER.finditer(text):
        integer = m[1].replace("\\,", "").replace(",", "")
        fraction = (m[2] or "")[1:]
        exponent = (m[3] or m[4] or "0").replace("−", "-")
        value = Decimal(f"{integer}{'.' + fraction if fraction else ''}e{exponent}")
        yield m[0].strip(), integer, fraction, value, bool(m[5])


def typed_copies(markdown: str, outputs: list[str], allowed: dict | None = None) -> list[str]:
    """The numbers of three or more significant digits in ``markdown``'s prose that one of ``outputs`` prints.

    A prose number matches an output's number of the same value, or one that
    rounds to it at the prose's decimals (1.49 in prose is a copy of 1.488);
    ``96.5%`` matches 0.965. Code blocks, directives, link targets and addresses
    are not prose. ``allowed`` maps numbers, as written, that a page may type.
    """
    from decimal import Decimal

    for pattern in _NOT_PROSE:
        markdown = pattern.sub(" ", markdown)
    printed = {value for out in outputs for *_, value, _ in _numbers(out)}
    copies = []
    for written, integer, fraction, value, percent in _numbers(markdown):
        if _significant(integer, fraction) < 3 or written in (allowed or {}) or written in copies:
            continue
        for v in [value, value / 100] if percent else [value]:
            step = Decimal(1).scaleb(v.as_tuple().exponent)
            # the same value, or (for a number written with decimals) a more precise one that rounds to it
            if v in printed or ((fraction or percent) and any(
                o.as_tuple().exponent < v.as_tuple().exponent and abs(o - v) <= step / 2 for o in printed
            )):
                copies.append(written)
                break
    return copies


def page_typed_copies(markdown: str, page: str, runs: dict[str, Run]) -> list[str]:
    """``typed_copies`` of a page against the runs of the snippets it includes or quotes, less its listed exceptions."""
    quoted = {parse_value(m["args"], page)[0] for m in VALUE.finditer(markdown)}
    included = {_parse_args(m["args"], page)[0] for m in DIRECTIVE.finditer(markdown)}
    outputs = [runs[s].stdout for s in sorted(included | quoted) if s in runs]
    return typed_copies(markdown, outputs, allowed=_typed_exceptions().get(page, {}))


def _typed_exceptions() -> dict[str, dict[str, str]]:
    """typed-numbers.toml: page -> {number as written: why the text types it}."""
    import tomllib

    if not TYPED_NUMBERS.exists():
        return {}
    return tomllib.loads(TYPED_NUMBERS.read_text(encoding="utf-8"))


def on_page_markdown(markdown: str, page, config, files) -> str:
    here = Path(page.file.src_uri).parent

    def expand(m: re.Match) -> str:
        indent = m["indent"]
        snippet, options = _parse_args(m["args"], page.file.src_uri)
        if snippet not in _runs:
            raise PluginError(f"{page.file.src_uri}: no snippet {snippet!r} (snippets live in snippets/<chapter>/)")
        name = Path(snippet).name
        lines = options.get("lines")
        include = f'--8<-- "{snippet}{":" + lines if lines else ""}"'
        title = options.get("title", name if not lines else f"{name}, lines {lines.replace(':', '–')}")
        href = os.path.relpath(snippet, here).replace(os.sep, "/")
        what = "the whole file" if lines else "download"
        parts = [
            f'{indent}```python title="{title}"\n{indent}{include}\n{indent}```',
            f"{indent}[:material-file-code: `{snippet}`]({href}) ({what}) · run it with "
            f"`python {snippet}`{{ .dh-snippet-link }}",
        ]
        if options.get("output", True):
            out = _runs[snippet].stdout
            if not out.strip():
                raise PluginError(f"{page.file.src_uri}: {snippet} printed nothing; pass output=False")
            parts.append(_fence(out, "text", "Output", indent))
        if VARIES in (ROOT / snippet).read_text(encoding="utf-8"):
            parts.append(
                f'{indent}!!! note "Measured on the machine that built this page"\n\n'
                f"{indent}    What this snippet prints depends on the computer that runs it: yours will differ. "
                "The text's claims are about the shape of the result, and the tests check those on every build."
            )
        return "\n\n".join(parts)

    copies = page_typed_copies(markdown, page.file.src_uri, _runs)
    if copies:
        raise PluginError(
            f"{page.file.src_uri}: the prose types {', '.join(copies)}, which a run of this page's snippets prints; "
            "quote the run with {{ value(...) }} (lessonlib.publish), or, if the number is a fact of the text, "
            f"list it for this page in {TYPED_NUMBERS.name} with the reason"
        )
    markdown = expand_values(markdown, _runs, page.file.src_uri)
    markdown = DIRECTIVE.sub(expand, markdown)
    produced = {f for r in _runs.values() for f in r.figures}
    for ref in FIGURE_REF.findall(markdown):
        target = os.path.normpath(here / ref).replace(os.sep, "/")
        if target not in produced:
            raise PluginError(
                f"{page.file.src_uri}: figure {target} is not drawn by any snippet "
                f"(a snippet in snippets/{Path(target).parent.name}/ must call savefig(fig, '{Path(target).stem}'))"
            )
    return markdown


@event_priority(100)  # before Material's search plugin indexes the page
def on_page_context(context, page, config, nav):
    # A notebook page repeats its chapter's code and output, so in the search index it would only echo the
    # chapter's hits. Generated pages have no front matter to say `search: exclude: true`, so the hook says it.
    if page.file.src_uri.endswith(".ipynb"):
        page.meta.setdefault("search", {})["exclude"] = True
    return context


_NB_CDN_SCRIPTS = [
    re.compile(r'<!-- Load mathjax -->\s*<script src="[^"]*"> </script>\s*<!-- MathJax configuration -->.*?</script>\s*<!-- End of mathjax configuration -->', re.S),
    re.compile(r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded", async \(\) => \{\s*const diagrams = document\.querySelectorAll\("\.jp-Mermaid.*?</script>', re.S),
]


def on_post_page(output: str, page, config) -> str:
    # nbconvert's template loads MathJax and, for diagrams, Mermaid from a CDN.
    # The book typesets notebook pages with its own KaTeX like every other page
    # and its notebooks hold no diagrams, so both go.
    if page.file.src_uri.endswith(".ipynb"):
        for pattern in _NB_CDN_SCRIPTS:
            output, count = pattern.subn("", output)
            if count != 1:
                raise PluginError(f"{page.file.src_uri}: nbconvert's template changed; update _NB_CDN_SCRIPTS in {__file__}")
    return output
