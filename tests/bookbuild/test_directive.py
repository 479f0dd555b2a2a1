"""``{{ snippet(...) }}``, ``{{ value(...) }}`` and ``{{ source(...) }}``: what they expand to, and the errors."""

import pytest

from bookbuild import BuildError
from bookbuild.directive import expand_snippets, expand_values, lessonlib_source, parse_value, section
from bookbuild.runs import run_snippets
from tests.bookbuild.conftest import PUBLISHER, write

PAGE = "part/page.md"

SECTIONED = """'''Train, then test.'''
# --8<-- [start:model]
model = 'linear'
# --8<-- [end:model]
print(model)
    # --8<-- [start:test]
print('tested')
    # --8<-- [end:test]
"""


def test_a_snippet_becomes_its_code_a_link_and_its_output(book):
    write(book, "hello.py", "'''Say hello.'''\nprint('hello')\nprint('again')\n")
    md = expand_snippets(book, run_snippets(book), 'Text\n\n    {{ snippet("snippets/99_test/hello.py") }}\n', PAGE)
    assert "    ```python title=\"hello.py\"\n    '''Say hello.'''\n    print('hello')\n" in md
    assert "(../snippets/99_test/hello.py) (download)" in md
    # the output, in a block with no copy button (Material's no-copy): the button copies code, never output
    assert '    ```{ .text .no-copy title="Output" }\n    hello\n    again\n    ```' in md
    assert md.count("no-copy") == 1


def test_a_section_shows_only_its_lines_and_no_markers(book):
    write(book, "train.py", SECTIONED)
    md = expand_snippets(book, run_snippets(book), '{{ snippet("snippets/99_test/train.py", section="model") }}', PAGE)
    assert "```python title=\"train.py (part: model)\"\nmodel = 'linear'\n```" in md and "8<" not in md
    # the line under it says the code is a part, and links the whole file
    link = "[:material-file-code: `snippets/99_test/train.py`](../snippets/99_test/train.py)"
    assert f"This is part of {link} (the whole file) · run it with `python snippets/99_test/train.py`" in md
    whole = expand_snippets(book, run_snippets(book), '{{ snippet("snippets/99_test/train.py", output=False) }}', PAGE)
    assert "8<" not in whole and "print('tested')" in whole and "Output" not in whole


def test_a_section_that_does_not_exist_fails_naming_the_page_and_the_sections():
    with pytest.raises(BuildError, match=r"part/page\.md: .*no section 'loop'.*its sections are \['model', 'test'\]"):
        section(SECTIONED, "loop", "part/page.md: snippet(...)")
    with pytest.raises(BuildError, match=r"no section 'model'"):
        section("# --8<-- [end:model]\nx = 1\n# --8<-- [start:model]\n", "model", PAGE)  # the wrong way round


def test_unknown_snippet_and_unknown_option_are_errors(book):
    manifest = run_snippets(book)
    with pytest.raises(BuildError, match=r"part/page\.md: no snippet 'snippets/99_test/nope\.py'"):
        expand_snippets(book, manifest, '{{ snippet("snippets/99_test/nope.py") }}', PAGE)
    with pytest.raises(BuildError, match=r"unknown options \['colour'\]"):
        expand_snippets(book, manifest, '{{ snippet("snippets/99_test/nope.py", colour="red") }}', PAGE)
    with pytest.raises(BuildError, match=r"lines"):  # line numbers are gone: they shift when the code above changes
        expand_snippets(book, manifest, '{{ snippet("snippets/99_test/nope.py", lines="1:2") }}', PAGE)


def test_a_snippet_that_prints_nothing_needs_output_false(book):
    write(book, "quiet.py", "x = 1\n")
    with pytest.raises(BuildError, match=r"snippets/99_test/quiet\.py printed nothing; pass output=False"):
        expand_snippets(book, run_snippets(book), '{{ snippet("snippets/99_test/quiet.py") }}', PAGE)


def test_a_snippet_that_declares_its_output_varies_gets_a_note(book):
    write(book, "timing.py", "# downhill: output varies (a timing)\nprint('0.01 s')\n")
    write(book, "steady.py", "print('1')\n")
    manifest = run_snippets(book)
    md = expand_snippets(book, manifest, '{{ snippet("snippets/99_test/timing.py") }}', PAGE)
    assert '!!! note "Measured on the machine that built this page"' in md and "yours will differ" in md
    assert "!!! note" not in expand_snippets(book, manifest, '{{ snippet("snippets/99_test/steady.py") }}', PAGE)


def test_published_values_are_quoted_with_their_format(book):
    write(book, "train.py", PUBLISHER)
    manifest = run_snippets(book)
    md = expand_values(
        manifest,
        'The loss ends at ${{ value("99_test/train", "final_loss", ".3f") }}$ after '
        '{{value("snippets/99_test/train.py", "epochs")}} epochs '
        '({{ value("99_test/train", "final_loss", format=".1%") }}).',
        PAGE,
    )
    assert md == "The loss ends at $0.965$ after 300 epochs (96.5%)."
    shown = (
        'Quote it with `{{ value("99_test/train", "final_loss", ".3f") }}`.\n\n```text\n{{ value("a/b", "c") }}\n```'
    )
    assert expand_values(manifest, shown, PAGE) == shown  # the syntax shown in code stays as written


def test_a_value_no_snippet_publishes_fails_naming_both(book):
    write(book, "train.py", PUBLISHER)
    manifest = run_snippets(book)
    with pytest.raises(
        BuildError,
        match=r"part/page\.md: .*snippets/99_test/train\.py publishes no value 'val_loss' "
        r"\(it publishes converged, epochs, final_loss",
    ):
        expand_values(manifest, '{{ value("99_test/train", "val_loss", ".3f") }}', PAGE)
    with pytest.raises(BuildError, match=r"quotes snippets/99_test/nope\.py, which is not a snippet"):
        expand_values(manifest, '{{ value("99_test/nope", "x") }}', PAGE)
    with pytest.raises(BuildError, match=r"cannot format 300 with 'q'"):
        expand_values(manifest, '{{ value("99_test/train", "epochs", "q") }}', PAGE)


@pytest.mark.parametrize("args", ['"a/b"', '"a/b", "c", ".3f", "x"', '"a/b", 3', "a/b, c"])
def test_a_malformed_value_names_the_page(args):
    with pytest.raises(BuildError, match=r"^part/page\.md: "):
        parse_value(args, PAGE)


LIBRARY = {
    "lessonlib/__init__.py": "",
    "lessonlib/optim/__init__.py": "from lessonlib.optim.step import Skeleton, step_update\n",
    "lessonlib/optim/step.py": (
        "import torch\n\n\n"
        "def step_update(param, grad, *, lr):\n"
        '    """Take one step.\n\n    Args:\n        lr: the learning rate.\n    """\n'
        "    param.add_(grad, alpha=-lr)  # θ_t = θ_{t-1} - α g_t\n\n\n"
        "class Skeleton:\n"
        '    """A class."""\n\n'
        "    @torch.no_grad()\n"
        "    def step(self):\n"
        '        """Step."""\n'
        "        return 1\n"
    ),
}


def _library(book):
    for rel, text in LIBRARY.items():
        (book.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (book.root / rel).write_text(text, encoding="utf-8")


def test_source_shows_a_function_without_its_docstring_and_links_its_api_entry(book):
    _library(book)
    md = expand_snippets(book, run_snippets(book), 'Text\n\n{{ source("lessonlib.optim.step_update") }}\n', PAGE)
    assert (
        '```python title="lessonlib/optim/step.py · step_update"\n'
        "def step_update(param, grad, *, lr):\n"
        "    param.add_(grad, alpha=-lr)  # θ_t = θ_{t-1} - α g_t\n```"
    ) in md
    assert "Take one step" not in md
    assert "(../appendix/api.md#lessonlib.optim.step_update)" in md


def test_source_shows_a_method_dedented_with_its_decorator(book):
    _library(book)
    file, code = lessonlib_source(book, "lessonlib.optim.Skeleton.step", PAGE)
    assert (file, code) == ("lessonlib/optim/step.py", "@torch.no_grad()\ndef step(self):\n    return 1\n")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("lessonlib.optim.nothing", r"lessonlib\.optim \(lessonlib/optim/__init__\.py\) defines no 'nothing'"),
        ("lessonlib.optim.Skeleton.jump", r"lessonlib\.optim\.step \(lessonlib/optim/step\.py\) defines no"),
        ("lessonlib.optim", "names a module; name a function, class or method in it"),
        ("numpy.linalg.norm", "no lessonlib module in 'numpy.linalg.norm'"),
    ],
)
def test_source_of_a_name_lessonlib_does_not_define_fails_naming_the_page(book, name, message):
    _library(book)
    with pytest.raises(BuildError, match=f"^{PAGE}: source.*{message}"):
        expand_snippets(book, run_snippets(book), f'{{{{ source("{name}") }}}}\n', PAGE)
