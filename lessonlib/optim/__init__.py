"""Optimizers that match `torch.optim`, written one equation a line.

Each module holds a readable update function (`sgd_update`, `adam_update`, ...)
and a thin `torch.optim.Optimizer` subclass with PyTorch's name, arguments,
defaults and state, so the two can be swapped and compared.
"""

from lessonlib.optim.adafactor import Adafactor, adafactor_update
from lessonlib.optim.adagrad import Adagrad, adagrad_update
from lessonlib.optim.adam import Adam, adam_update
from lessonlib.optim.adamw import AdamW
from lessonlib.optim.optimizer import Optimizer
from lessonlib.optim.rmsprop import RMSprop, rmsprop_update
from lessonlib.optim.sgd import SGD, sgd_update

__all__ = [
    "SGD",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Optimizer",
    "RMSprop",
    "adafactor_update",
    "adagrad_update",
    "adam_update",
    "rmsprop_update",
    "sgd_update",
]
