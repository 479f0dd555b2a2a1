"""The guard against typed copies: a number in prose that a run prints must be quoted from the run.

The build fails when a page's prose types a number of three or more
significant digits that one of its runs prints (rounded copies and
percentages included); ``typed-numbers.toml`` lists, per page and with the
reason, the numbers that are facts of the text rather than results.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from decimal import Decimal

from bookbuild.book import Book
from bookbuild.directive import DIRECTIVE, FENCE, SOURCE, VALUE, included, quoted
from bookbuild.runs import Manifest

# Numbers in prose: digits with an optional decimal part (thousands written 1,024 or 1\,024 are read whole)
# and exponent.
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:(?:,|\\,)\d{3})+|\d+)(\.\d+)?(?:[eE]([-+]?\d+)|\s*(?:\\times|\\cdot|×)\s*10\^\{?([-+−]?\d+)\}?)?(?![\w])(\s*\\?%)?"
)
_NOT_PROSE = [
    FENCE,
    DIRECTIVE,
    SOURCE,
    VALUE,
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\]\([^)\s]*\)"),  # link targets
    re.compile(r"<https?://[^>]*>|https?://\S+"),  # bare addresses (DOIs are full of digits)
    re.compile(r"^\[\^?[^\]]*\]:.*$", re.M),  # link and footnote definitions' targets
]


def _significant(integer: str, fraction: str) -> int:
    digits = (integer + fraction).lstrip("0")
    return len(digits if fraction else digits.rstrip("0"))


def _numbers(text: str) -> Iterator[tuple[str, str, str, Decimal, bool]]:
    """(text as written, integer digits, decimal digits, value, has a percent sign) of each number in ``text``."""
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
    for pattern in _NOT_PROSE:
        markdown = pattern.sub(" ", markdown)
    printed = {value for out in outputs for *_, value, _ in _numbers(out)}
    copies: list[str] = []
    for written, integer, fraction, value, percent in _numbers(markdown):
        if _significant(integer, fraction) < 3 or written in (allowed or {}) or written in copies:
            continue
        for v in [value, value / 100] if percent else [value]:
            exponent = v.as_tuple().exponent
            assert isinstance(exponent, int)
            step = Decimal(1).scaleb(exponent)
            # the same value, or (for a number written with decimals) a more precise one that rounds to it
            if v in printed or (
                (fraction or percent) and any(_exponent(o) < exponent and abs(o - v) <= step / 2 for o in printed)
            ):
                copies.append(written)
                break
    return copies


def _exponent(d: Decimal) -> int:
    exponent = d.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def exceptions(book: Book) -> dict[str, dict[str, str]]:
    """typed-numbers.toml: page -> {number as written: why the text types it}."""
    if not book.typed_numbers.exists():
        return {}
    return tomllib.loads(book.typed_numbers.read_text(encoding="utf-8"))


def page_typed_copies(book: Book, manifest: Manifest, markdown: str, page: str) -> list[str]:
    """``typed_copies`` of a page against the runs of the snippets it includes or quotes, less its listed exceptions."""
    snippets = set(included(markdown, page)) | {s for s, _, _ in quoted(markdown, page)}
    outputs = [manifest[s].stdout for s in sorted(snippets) if s in manifest]
    return typed_copies(markdown, outputs, allowed=exceptions(book).get(page, {}))
