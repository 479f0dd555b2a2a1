"""Layers built from tensor code: normalisation (`normalization.py`) and dropout (`dropout.py`).

Everything is re-exported here, so `from lessonlib.nn import BatchNorm1d,
dropout` works like `torch.nn` / `torch.nn.functional`.
"""

from lessonlib.nn.dropout import Dropout, classic_dropout, dropout
from lessonlib.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm, batch_norm, layer_norm

__all__ = [
    "BatchNorm1d",
    "BatchNorm2d",
    "Dropout",
    "LayerNorm",
    "batch_norm",
    "classic_dropout",
    "dropout",
    "layer_norm",
]
