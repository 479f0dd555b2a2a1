"""The optimizer-state sizes "How this book is built" states, from first principles.

Adam keeps two float32 tensors the size of the parameter, plus a step count;
Adafactor keeps a row and a column of second moments, plus a step count. The
sizes are computed here by hand and compared with the optimizers' real state.
"""

import torch

from lessonlib.bench import state_bytes
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
