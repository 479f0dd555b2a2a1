"""The optimizer-state sizes "How this book is built" states, from first principles.

Adam keeps two float32 tensors the size of the parameter, plus a step count;
Adafactor keeps a row and a column of second moments, plus a step count. The
sizes are computed here by hand and compared with the optimizers' real state.
"""

import torch

from lessonlib.book.bench import state_bytes
from lessonlib.optim import Adafactor, Adam


def _state_after_one_step(make_opt, shape=(4096, 4096)):
    w = torch.zeros(shape, requires_grad=True)
    opt = make_opt([w])
    w.grad = torch.ones(shape)
    opt.step()
    return state_bytes(opt)


def test_adam_and_adafactor_state_for_a_4096_square_matrix():
    rows = cols = 4096
    step = torch.tensor(0.0).element_size()  # the step count is a float32 scalar tensor
    adam = _state_after_one_step(lambda p: Adam(p))
    adafactor = _state_after_one_step(lambda p: Adafactor(p))
    assert adam == 2 * rows * cols * 4 + step == 134_217_732
    assert adafactor == (rows + cols) * 4 + step == 32_772
    assert (adam - step) // (adafactor - step) == 4096


def test_the_build_page_names_exactly_the_snippets_declared_to_vary():
    """ "Every snippet passes except the two that declare ...": the count and the names are those of the tree."""
    import re

    from bookbuild.runs import VARIES
    from tests.conftest import DOCS, OTHER_ARITHMETIC, snippet_files

    page = (DOCS / "appendix" / "how-this-book-is-built.md").read_text(encoding="utf-8")
    varying = sorted(f"{p.parent.name}/{p.name}" for p in snippet_files() if VARIES in p.read_text(encoding="utf-8"))
    words = {1: "one", 2: "two", 3: "three"}
    sentence = re.search(
        r"Every snippet passes except the (\w+) that declare[s]? `# downhill: output varies`:(.*?)\. ", page, re.S
    )
    assert sentence, "the build page should say which snippets are declared to vary"
    assert sentence[1] == words[len(varying)]
    assert sorted(re.findall(r"`(\d\d_\w+/\w+\.py)`", sentence[2])) == varying
    for name, setting in OTHER_ARITHMETIC.items():
        assert f"{name}={setting}" in page, f"the build page should state {name}={setting}"
