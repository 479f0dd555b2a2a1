"""lessonlib's docstrings link with mkdocstrings' autorefs, to objects that exist.

mkdocstrings' Google renderer (docs/appendix/api.md) turns ``[`name`][lessonlib.module.name]``
into a link and leaves a Sphinx role such as ``:func:`name``` as plain text, so the library
writes the first and never the second.
"""

import importlib
import re
from pathlib import Path

import pytest

LESSONLIB = Path(__file__).resolve().parents[2] / "lessonlib"
SOURCES = sorted(LESSONLIB.rglob("*.py"))
ROLE = re.compile(r":(?:func|class|meth|mod|attr|obj|data|exc|py:\w+):`")
TARGET = re.compile(r"\]\[(lessonlib(?:\.\w+)+)\]")


def _name(path: Path) -> str:
    return path.relative_to(LESSONLIB.parent).as_posix()


def _resolve(target: str) -> object:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = target.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[i:]:
            obj = getattr(obj, attribute)  # AttributeError: the target does not exist
        return obj
    raise ModuleNotFoundError(target)


def test_the_sources_are_found():
    assert len(SOURCES) > 20 and LESSONLIB / "descent.py" in SOURCES


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_sphinx_roles(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    roles = [f"{_name(path)}:{n}: {line.strip()}" for n, line in enumerate(lines, 1) if ROLE.search(line)]
    assert not roles, "write [`name`][lessonlib.module.name] instead of a Sphinx role:\n" + "\n".join(roles)


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_every_link_target_exists_and_is_public(path):
    for target in TARGET.findall(path.read_text(encoding="utf-8")):
        assert not any(part.startswith("_") for part in target.split(".")), f"{target}: not in the API reference"
        _resolve(target)


def test_the_resolver_fails_on_a_missing_target():
    with pytest.raises(AttributeError):
        _resolve("lessonlib.linear.mse_loss")  # renamed least_squares_loss
    assert callable(_resolve("lessonlib.linear.least_squares_loss"))
