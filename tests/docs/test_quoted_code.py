"""The chapters show lessonlib's own code (``{{ source(...) }}``); the math beside it uses the docstring's symbols."""

import importlib
import inspect
import re

import pytest

from bookbuild.directive import SOURCE, parse_source
from tests.conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
QUOTES = [
    (page.relative_to(DOCS).as_posix(), m.start(), parse_source(m["args"], page.name))
    for page in PAGES
    for m in SOURCE.finditer(page.read_text(encoding="utf-8"))
]
UPDATES = {
    "lessonlib.optim.sgd_update": "SGD",
    "lessonlib.optim.adagrad_update": "Adagrad",
    "lessonlib.optim.rmsprop_update": "RMSprop",
    "lessonlib.optim.adam_update": "Adam",
    "lessonlib.optim.adafactor_update": "Adafactor",
}
GREEK = r"\\(?:alpha|beta|gamma|delta|epsilon|eta|theta|kappa|lambda|mu|rho|sigma|tau)(?![a-zA-Z])"
SYMBOL = re.compile(rf"{GREEK}|\b[a-zA-Z](?=_)")  # a Greek letter, or a Latin letter with a subscript
DISPLAY = re.compile(r"^\$\$\n(.*?)^\$\$", re.M | re.S)


def _object(name):
    module, _, attr = name.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr)
    except ImportError:  # a method: Class.method
        module, _, cls = module.rpartition(".")
        return getattr(getattr(importlib.import_module(module), cls), attr)


def test_the_chapters_quote_lessonlib_code():
    assert len(QUOTES) >= 12, QUOTES


@pytest.mark.parametrize(("page", "name"), [(page, name) for page, _, name in QUOTES], ids=str)
def test_every_quote_names_a_public_lessonlib_object(page, name):
    obj = _object(name)
    assert inspect.isfunction(obj) or inspect.isclass(obj), f"{page}: {name} is not a function, class or method"
    assert not any(part.startswith("_") for part in name.split(".")), f"{page}: {name} is private"


def test_part_one_shows_every_optimizers_update_function():
    shown = {name for page, _, name in QUOTES if page.startswith("part-1/")}
    assert set(UPDATES) <= shown, f"not shown in Part I: {sorted(set(UPDATES) - shown)}"


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_the_math_before_an_update_function_uses_its_docstrings_symbols(name):
    # the display formula a chapter gives just before it shows the code, and the optimizer's docstring, must not
    # drift apart: every symbol the chapter writes there is one the docstring (class and update function) defines
    optim = importlib.import_module("lessonlib.optim")
    docstring = inspect.getdoc(getattr(optim, UPDATES[name])) + inspect.getdoc(getattr(optim, name.rpartition(".")[2]))
    defined = set(SYMBOL.findall(docstring))
    checked = 0
    for page, position, quoted in QUOTES:
        if quoted != name:
            continue
        before = (DOCS / page).read_text(encoding="utf-8")[:position]
        formulas = DISPLAY.findall(before)
        assert formulas, f"{page}: no formula before the code of {name}"
        used = set(SYMBOL.findall(formulas[-1]))
        assert used <= defined, (
            f"{page}: the formula before {name} writes {sorted(used - defined)}, its docstring does not"
        )
        checked += 1
    assert checked, f"no chapter shows {name}"
