"""The book's build: run the snippets, quote their output and values, draw the figures, make the notebooks.

It does not depend on the site engine. ``python -m bookbuild run`` runs every
snippet (from the cache where nothing changed), writes the manifest of the
runs and each chapter's notebook; ``python -m bookbuild stage`` also writes a
copy of ``docs/`` with every directive expanded, which any Markdown site
engine can publish. MkDocs calls the same code through ``hooks/downhill.py``,
a thin adapter.

One module per job:

* :mod:`bookbuild.book`: where things are (:class:`Book`), and the error type;
* :mod:`bookbuild.runs`: cache keys, running snippets, the manifest;
* :mod:`bookbuild.runner`: the forking process that runs them;
* :mod:`bookbuild.directive`: ``{{ snippet(...) }}`` and ``{{ value(...) }}``, parsed and rendered;
* :mod:`bookbuild.guard`: numbers the prose types that a run prints;
* :mod:`bookbuild.pages`: a page's Markdown, expanded;
* :mod:`bookbuild.notebooks`: one notebook per chapter;
* :mod:`bookbuild.assets`: what the site serves besides pages: KaTeX, the wheel, the downloads;
* :mod:`bookbuild.wheel`: lessonlib as a wheel, published with the site;
* :mod:`bookbuild.offline`: the offline edition, zipped;
* :mod:`bookbuild.pdf`: the book as one PDF, printed by Chromium;
* :mod:`bookbuild.stage`: the expanded copy of the docs, for another engine.
"""

from bookbuild.book import Book, BuildError
from bookbuild.runs import Manifest, Run

__all__ = ["Book", "BuildError", "Manifest", "Run"]
