"""lessonlib as a wheel, published with the site, so that a reader who copies a snippet can install its library.

The wheel is written here, from ``pyproject.toml``'s metadata and the files of
``lessonlib/``, without a build backend or the network: a pure-Python wheel is
a zip of the package, ``METADATA``, ``WHEEL`` and a ``RECORD`` of every file's
sha256. Its bytes depend only on those inputs (entries sorted, timestamps
fixed), and it is cached under ``<cache>/wheel/``: written again only when
lessonlib, ``pyproject.toml`` or the README changed.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import re
import tomllib
import zipfile
from pathlib import Path

from bookbuild.book import Book, BuildError

#: Bumped when the way the wheel is written changes, so that the cached one is written again.
FORMAT = "1"
#: A zip's earliest date: every entry carries it, so the bytes do not depend on when or where the wheel was built.
EPOCH = (1980, 1, 1, 0, 0, 0)
WHEEL = "Wheel-Version: 1.0\nGenerator: bookbuild\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def metadata(book: Book) -> dict:
    """``[project]`` of ``pyproject.toml``, with its version checked against ``lessonlib.__version__``."""
    project = tomllib.loads((book.root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    init = book.lessonlib / "__init__.py"
    declared = None
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            declared = ast.literal_eval(node.value)
    if declared != project["version"]:
        raise BuildError(
            f"lessonlib/__init__.py says __version__ = {declared!r} but pyproject.toml says version = "
            f"{project['version']!r}: the published wheel is named by its version, so they must agree"
        )
    return project


def wheel_name(book: Book) -> str:
    """``lessonlib-<version>-py3-none-any.whl``."""
    project = metadata(book)
    return f"{_normalised(project['name'])}-{project['version']}-py3-none-any.whl"


def package_files(book: Book) -> list[Path]:
    """The files the wheel installs: everything under ``lessonlib/`` but bytecode."""
    return sorted(
        p for p in book.lessonlib.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def build(book: Book) -> Path:
    """The wheel, written under ``<cache>/wheel/`` unless the one there was made from the same inputs."""
    project = metadata(book)
    name = wheel_name(book)
    readme = book.root / project["readme"] if isinstance(project.get("readme"), str) else None
    inputs = [book.root / "pyproject.toml", *([readme] if readme else []), *package_files(book)]
    key = hashlib.sha256(FORMAT.encode())
    for path in inputs:
        key.update(book.rel(path).encode() + b"\0" + path.read_bytes() + b"\0")
    folder = book.cache / "wheel"
    wheel, stamp = folder / name, folder / f"{name}.key"
    if wheel.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == key.hexdigest():
        return wheel
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.whl"):
        old.unlink()
    entries = {book.rel(p): p.read_bytes() for p in package_files(book)}
    dist_info = f"{_normalised(project['name'])}-{project['version']}.dist-info"
    entries[f"{dist_info}/METADATA"] = _metadata_file(project, readme).encode()
    entries[f"{dist_info}/WHEEL"] = WHEEL.encode()
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in entries.items()]
    entries[f"{dist_info}/RECORD"] = ("\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n").encode()
    partial = folder / f"{name}.partial"
    write_zip(partial, entries)
    partial.replace(wheel)
    stamp.write_text(key.hexdigest(), encoding="utf-8")
    return wheel


def write_zip(path: Path, entries: dict[str, bytes]) -> None:
    """A zip of ``entries`` (name -> bytes) in the order given, each with the same date and permissions."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def _metadata_file(project: dict, readme: Path | None) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
    ]
    if isinstance(project.get("license"), str):
        lines.append(f"License: {project['license']}")
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines += [f"Requires-Dist: {dep}" for dep in project.get("dependencies", [])]
    for extra, deps in sorted(project.get("optional-dependencies", {}).items()):
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {dep}; extra == "{extra}"' for dep in deps]
    if readme is None:
        return "\n".join(lines) + "\n"
    lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + readme.read_text(encoding="utf-8")


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _normalised(name: str) -> str:
    """A distribution's name as a wheel's file name spells it (PEP 427: runs of ``-_.`` become ``_``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def buildable(book: Book) -> bool:
    """Whether the book has a ``pyproject.toml`` to build lessonlib's wheel from (a test's tiny book has none)."""
    return (book.root / "pyproject.toml").is_file()


def site_path(book: Book) -> str:
    """Where the site serves the wheel: ``downloads/lessonlib-<version>-py3-none-any.whl``."""
    return f"downloads/{wheel_name(book)}"


def wheel_url(book: Book) -> str | None:
    """Where a reader without a clone gets lessonlib: ``<site>/downloads/lessonlib-...whl`` (the file name alone
    where the site's address is unknown); None for a book that has no ``pyproject.toml`` to build it from."""
    if not buildable(book):
        return None
    return f"{book.site_url.rstrip('/')}/{site_path(book)}" if book.site_url else wheel_name(book)


def install_command(book: Book) -> str | None:
    """``pip install <site>/downloads/lessonlib-...whl``, or None (see :func:`wheel_url`)."""
    url = wheel_url(book)
    return None if url is None else f"pip install {url}"
