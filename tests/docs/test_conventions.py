"""The conventions appendix's claims, pinned: each runs the page's own check.

docs/appendix/conventions.md states four conventions and checks each in a code
block (which tests/docs/test_code_blocks.py runs). This file names each
convention as its own test, so a failure says which convention broke.
"""

import pytest

from tests.docs.test_code_blocks import BLOCKS

PAGE = "docs/appendix/conventions.md"
SECTIONS = {
    "momentum": "sutskever_form",
    "epsilon_outside_the_square_root": "eps outside",
    "inverted_dropout": "classic_dropout(x, p=0.2, training=False)",
    "adam_l2_is_not_adamw": "AdamW(p, lr=0.05",
    "a_learning_rate_of_zero_is_allowed": "lr=0.0, steps=3",
}


def _blocks():
    return [code for where, _, code in BLOCKS if where.startswith(PAGE)]


@pytest.mark.parametrize("convention, marker", SECTIONS.items(), ids=list(SECTIONS))
def test_convention(convention, marker):
    blocks = _blocks()
    assert blocks, f"{PAGE} has no code blocks"
    namespace = {"__name__": "__main__"}
    exec(compile(blocks[0], PAGE, "exec"), namespace)  # the imports
    (block,) = [code for code in blocks[1:] if marker in code]
    exec(compile(block, f"{PAGE} ({convention})", "exec"), namespace)
