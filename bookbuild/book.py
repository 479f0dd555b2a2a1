"""Where the book's parts are, and the one error the build raises."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class BuildError(Exception):
    """The build cannot go on; the message names the file (page or snippet) at fault."""


@dataclass(frozen=True)
class Book:
    """The book's folders. Every part of the build takes one ``Book``; nothing is kept in module globals.

    Args:
        root: the repository: ``docs/``, ``snippets/``, ``lessonlib/`` and ``typed-numbers.toml`` live here.
        cache: where runs, the manifest and notebooks are kept between builds.
        preload: the modules the runner imports once before forking (comma-separated; empty for none).
        site_url: where the site is published (``https://.../``), for the commands that fetch from it (installing
            lessonlib's wheel); None where unknown.
    """

    root: Path = ROOT
    cache: Path = ROOT / ".cache" / "downhill"
    preload: str | None = None
    site_url: str | None = None

    @classmethod
    def from_environment(cls, root: Path = ROOT) -> Book:
        """The book at ``root``, its cache at ``$DOWNHILL_CACHE`` or ``.cache/downhill``, published at ``$SITE_URL``."""
        cache = os.environ.get("DOWNHILL_CACHE")
        return cls(
            root=root,
            cache=Path(cache).resolve() if cache else root / ".cache" / "downhill",
            site_url=os.environ.get("SITE_URL") or None,
        )

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def snippets(self) -> Path:
        return self.root / "snippets"

    @property
    def lessonlib(self) -> Path:
        return self.root / "lessonlib"

    @property
    def typed_numbers(self) -> Path:
        return self.root / "typed-numbers.toml"

    @property
    def manifest_path(self) -> Path:
        return self.cache / "manifest.json"

    def snippet_paths(self) -> list[Path]:
        return sorted(p for p in self.snippets.rglob("*.py") if p.name != "__init__.py")

    def rel(self, path: Path) -> str:
        """``path`` relative to the root, with forward slashes: how pages and the manifest name files."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def pages(self) -> list[Path]:
        return sorted(self.docs.rglob("*.md"))
