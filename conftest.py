"""Suite-wide hooks (this file sits at the root so they see the doctests in
lessonlib/ as well as tests/): CUDA-only tests run only where CUDA is, and the
closing report says what the run executed, by kind."""

from collections import Counter

import pytest
import torch

# One intra-op thread: the tests use small tensors, where threads only add
# contention on a busy 2-core machine, and results do not depend on the count.
torch.set_num_threads(1)


def pytest_collection_modifyitems(config, items):
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU (none here); run `make test-gpu` on a machine with one")
    for item in items:
        if "cuda" in item.keywords:
            item.add_marker(skip)


# --------------------------------------------------------------------------- #
# The closing report: what the suite ran, by kind


_ran: Counter = Counter()
_skipped: Counter = Counter()
_doctest_examples = 0


def _kind(item) -> str | None:
    if type(item).__name__ == "DoctestItem":
        return "docstring"
    for marker in ("kind_snippet", "kind_code_block", "kind_page"):
        if item.get_closest_marker(marker):
            return marker.removeprefix("kind_")
    return None


def pytest_configure(config):
    for name in ("kind_snippet", "kind_code_block", "kind_page"):
        config.addinivalue_line("markers", f"{name}: counted as a {name.removeprefix('kind_')} in the closing report")


def pytest_runtest_makereport(item, call):
    global _doctest_examples
    if call.when != "call" and not (call.when == "setup" and call.excinfo is not None):
        return
    kind = _kind(item)
    if kind is None:
        return
    if call.excinfo is not None and call.excinfo.errisinstance(pytest.skip.Exception):
        _skipped[kind] += 1
    elif call.when == "call":
        _ran[kind] += 1
        if kind == "docstring":
            _doctest_examples += len(item.dtest.examples)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from tests.docs.test_code_blocks import NOTEST_BLOCKS

    tr = terminalreporter
    tr.section("Downhill: what this run executed")
    tr.write_line(f"docstrings with examples: {_ran['docstring']} ({_doctest_examples} examples)")
    tr.write_line(f"snippets run on a second arithmetic path: {_ran['snippet']}")
    tr.write_line(
        f"code blocks in the docs:  {_ran['code_block']} run, {len(NOTEST_BLOCKS)} marked notest"
        + (": " + ", ".join(NOTEST_BLOCKS) if NOTEST_BLOCKS else "")
    )
    tr.write_line(f"pages checked in Chromium: {_ran['page']}")
    skipped = sum(_skipped.values())
    if skipped:
        tr.write_line(f"SKIPPED among these: {dict(_skipped)}", yellow=True, bold=True)
