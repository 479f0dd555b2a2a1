"""The guard: prose may not type a number that a run prints."""

import pytest

from bookbuild import BuildError
from bookbuild.guard import typed_copies
from bookbuild.pages import render
from bookbuild.runs import run_snippets
from tests.bookbuild.conftest import PUBLISHER, write

PAGE = "part/page.md"
INCLUDE = '{{ snippet("snippets/99_test/train.py") }}\n\n'


def test_prose_that_types_a_printed_number_fails_the_build(book):
    write(book, "train.py", PUBLISHER)
    manifest = run_snippets(book)
    with pytest.raises(
        BuildError, match=r"part/page\.md: the prose types 0\.965, which a run of this page's snippets prints"
    ):
        render(book, manifest, INCLUDE + "The loss ends at $0.965$.", PAGE)
    # quoted, in code, in a link target, or with fewer than three significant digits: fine
    render(
        book,
        manifest,
        INCLUDE + 'It ends at {{ value("99_test/train", "final_loss", ".3f") }}, near 0.96, after 300 epochs.\n\n'
        "```python\nprint(0.965)\n```\n\n[see](https://example.org/0.965)",
        PAGE,
    )
    book.typed_numbers.write_text('["part/page.md"]\n"0.965" = "a fact of the text, for this test"\n')
    render(book, manifest, INCLUDE + "The loss ends at $0.965$.", PAGE)


def test_a_page_that_only_quotes_a_snippet_is_checked_against_it(book):
    write(book, "train.py", PUBLISHER)
    with pytest.raises(BuildError, match=r"the prose types 0\.965"):
        render(book, run_snippets(book), 'Ends at {{ value("99_test/train", "epochs") }} epochs, loss 0.965.', PAGE)


@pytest.mark.parametrize(
    ("prose", "output", "copies"),
    [
        ("a loss of 1.49", "loss 1.488", ["1.49"]),  # a rounded copy
        ("a loss of 1.48", "loss 1.488", []),  # not the same number
        ("an accuracy of 96.5%", "accuracy 0.965", ["96.5%"]),
        (r"a gap of $9.51 \times 10^{-5}$", "gap 9.51e-05", [r"9.51 \times 10^{-5}"]),
        (r"$235\,146$ parameters", "235146", [r"235\,146"]),
        ("353 of 360", "353/360", ["353"]),
        ("300 epochs and 0.90 accuracy", "300 0.90", []),  # one or two significant digits are not checked
        ("784 inputs", "784.3", []),  # an integer matches only exactly
    ],
)
def test_typed_copies(prose, output, copies):
    assert typed_copies(prose, [output]) == copies
