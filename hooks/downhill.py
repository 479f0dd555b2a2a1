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
RUNNER_VERSION = "1"  # bump to invalidate every cached run

DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\{\{\s*snippet\((?P<args>.*)\)\s*\}\}[ \t]*$", re.M)
FIGURE_REF = re.compile(r"\(((?:\.\./)*figures/[\w-]+/[\w-]+\.svg)\)")


@dataclass
class Run:
    snippet: str  # "snippets/<chapter>/<topic>.py"
    stdout: str
    figures: list[str]  # "figures/<chapter>/<name>.svg"
    folder: Path  # holds figures/<chapter>/*.svg


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


def run_snippets() -> dict[str, Run]:
    """Run every snippet whose cached run is missing or stale; return all runs."""
    paths = sorted(p for p in SNIPPETS.rglob("*.py") if p.name != "__init__.py")
    base_key = _source_hash()
    start = time.perf_counter()
    todo = []
    folders = {}  # keyed once, so a snippet edited while the build runs cannot change its key mid-way
    for path in paths:
        slot, folder = folders[path] = _cached(path, base_key)
        if not (folder / "done.json").exists():
            scratch = Path(tempfile.mkdtemp(prefix="run-", dir=_ensure(CACHE / "tmp")))
            env = {
                "DOWNHILL_DEVICE": "cpu",
                "DOWNHILL_FIGURE_DIR": str(scratch / "figures" / path.parent.name),
                "MPLBACKEND": "Agg",
            }
            todo.append((path, slot, folder, scratch, {"path": str(path), "cwd": str(scratch), "env": env}))

    if todo:
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("snippet_runner.py"))],
            input=json.dumps([job for *_, job in todo]), capture_output=True, text=True, cwd=ROOT,
        )
        if proc.returncode != 0:
            raise PluginError(f"the snippet runner failed:\n{proc.stderr[-4000:]}")
        codes = json.loads(proc.stdout)
        failed = [(path, code, scratch) for (path, *_, scratch, _), code in zip(todo, codes) if code != 0]
        if failed:
            path, code, scratch = failed[0]
            stderr = (scratch / "stderr.txt").read_text(errors="replace")
            names = ", ".join(p.relative_to(ROOT).as_posix() for p, *_ in failed)
            for *_, scratch in failed:
                shutil.rmtree(scratch, ignore_errors=True)
            raise PluginError(
                f"Snippet {path.relative_to(ROOT).as_posix()} failed (exit code {code}):\n{stderr[-4000:]}"
                + (f"\n(failed: {names})" if len(failed) > 1 else "")
            )
        for path, slot, folder, scratch, _ in todo:
            figdir = scratch / "figures" / path.parent.name
            figures = sorted(p.relative_to(scratch).as_posix() for p in figdir.glob("*.svg")) if figdir.exists() else []
            stdout = (scratch / "stdout.txt").read_text(encoding="utf-8")
            (scratch / "done.json").write_text(json.dumps({"stdout": stdout, "figures": figures}))
            shutil.rmtree(slot, ignore_errors=True)  # older runs of this snippet
            slot.mkdir(parents=True, exist_ok=True)
            scratch.rename(folder)

    runs = {}
    for path in paths:
        _, folder = folders[path]
        meta = json.loads((folder / "done.json").read_text())
        rel = path.relative_to(ROOT).as_posix()
        runs[rel] = Run(rel, meta["stdout"], meta["figures"], folder)
    log.info(
        "downhill: %d snippets, %d run and %d from the cache, in %.1f s",
        len(paths), len(todo), len(paths) - len(todo), time.perf_counter() - start,
    )
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


def _parse_args(args: str, page) -> tuple[str, dict]:
    try:
        call = ast.parse(f"f({args})", mode="eval").body
        positional = [ast.literal_eval(a) for a in call.args]
        options = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except (SyntaxError, ValueError) as err:
        raise PluginError(f"{page}: cannot read snippet({args}): {err}") from None
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
        return "\n\n".join(parts)

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
