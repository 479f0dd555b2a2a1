"""MkDocs' side of the book's build: event wiring only. The work is done by ``bookbuild``, which needs no MkDocs."""

from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bookbuild sits at the repository's root

from bookbuild import Book, BuildError, Manifest, assets, notebooks, offline, pages, runs  # noqa: E402
from bookbuild.math import Typesetter  # noqa: E402

log = logging.getLogger("mkdocs.hooks.downhill")


class Events:
    def __init__(self) -> None:
        self.book = Book.from_environment()
        self.manifest = Manifest({})
        self.math: Typesetter | None = None

    def on_config(self, config):
        assets.check(self.book)
        self.offline = offline.configure(config)  # the offline edition: iframe-worker served, no instant navigation
        self.math = self.math or Typesetter(self.book)
        # The math arrives typeset, so the pages need no KaTeX script (an engine without this hook keeps them).
        config.extra_javascript = [js for js in config.extra_javascript if str(js) not in assets.CLIENT_MATH]

    def on_files(self, files: Files, config) -> Files:
        site, urls, start = config["site_dir"], config["use_directory_urls"], time.perf_counter()
        for dest, path in assets.served(self.book, self.offline):  # KaTeX, lessonlib's wheel, the downloads
            files.append(File.generated(config, dest, abs_src_path=str(path)))
        before = Manifest.previous(self.book)
        self.manifest = runs.run_snippets(self.book)
        for run in self.manifest.values():
            files.append(File(run.snippet, str(self.book.root), site, urls))
            for fig in run.figures:
                files.append(File(fig, str(run.folder), site, urls))
        folder = str(notebooks.notebook_dir(self.book))
        for chapter in notebooks.write_notebooks(self.book, self.manifest):
            files.append(File(f"notebooks/{chapter}.md", folder, site, urls))
            files.append(File(f"downloads/{chapter}.ipynb", folder, site, urls))
        for page in pages.affected(self.book, self.manifest, before, [f.src_uri for f in files.documentation_pages()]):
            files.get_file_from_path(page).is_modified = lambda: True  # `serve --dirty` re-renders it too
        fresh = len(runs.changed(self.manifest, before))
        log.info("bookbuild: %d snippets (%d run), in %.1f s", len(self.manifest), fresh, time.perf_counter() - start)
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        return pages.render(self.book, self.manifest, markdown, page.file.src_uri)

    def on_page_content(self, html: str, page, config, files) -> str:
        # Code and outputs, half the search index's size, stay out of it (Material skips data-search-exclude).
        html = re.sub(r"<pre(?=[\s>])", "<pre data-search-exclude", html)
        if self.math:
            self.math.toc(page.toc, page.file.src_uri)
            html = self.math.page(html, page.file.src_uri)
        return pages.focusable_scrollers(html)

    def on_post_build(self, config) -> None:
        if self.math:
            self.math.save()

    def on_build_error(self, error) -> None:  # the formulas typeset before the error are kept too
        self.on_post_build(None)


def _adapt(method):
    def event(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except BuildError as err:
            raise PluginError(str(err)) from None

    return event


_events = Events()
on_config = _adapt(_events.on_config)
on_files = _adapt(_events.on_files)
on_page_markdown = _adapt(_events.on_page_markdown)
on_page_content = _adapt(_events.on_page_content)
on_post_build = _adapt(_events.on_post_build)
on_build_error = _adapt(_events.on_build_error)
