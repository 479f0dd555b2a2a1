r"""The training pipeline's experiment in one call, for the exercises that vary it.

Chapter 13 builds the pipeline step by step; its exercises change one thing
(the learning rate, a forgotten ``model.eval()``) and need the rest as it
was. `train_digits` is that rest: the 8×8 digits split 60/20/20 with seed 0
in float64, a network with one batch-normalised hidden layer,

$$
\text{Linear}(64, h) \to \text{BatchNorm}(h) \to \text{ReLU} \to \text{Linear}(h, 10),
$$

and AdamW on mini-batches of the cross-entropy, the model put in training
mode for each epoch and evaluated in evaluation mode on the validation set
after it. Each step is the loop of the chapter:

$$
g_t = \nabla_\theta \frac{1}{|\mathcal{B}_t|} \sum_{i \in \mathcal{B}_t} \ell(\theta_t; x_i, y_i),
\qquad \theta_{t+1} = \operatorname{AdamW}(\theta_t, g_t)
$$

(``optimizer.zero_grad()``, forward, ``loss.backward()``, ``optimizer.step()``).
"""

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib._checks import check_integer, check_lr, check_non_negative, check_real
from lessonlib.data import digits, train_val_test_split

__all__ = ["DigitsRun", "train_digits"]


@dataclass
class DigitsRun:
    """A trained digits network and its validation scores after each epoch.

    Attributes:
        model: the network after the last epoch, in evaluation mode.
        val_loss: the mean cross-entropy on the validation set after each epoch.
        val_accuracy: the fraction of the validation set classified right after each epoch.
    """

    model: nn.Sequential
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)


def train_digits(
    lr: float = 3e-3,
    *,
    weight_decay: float = 1e-2,
    epochs: int = 5,
    batch_size: int = 64,
    hidden: int = 128,
    seed: int = 0,
    device: torch.device | str | None = None,
) -> DigitsRun:
    r"""Train the pipeline's digits network with AdamW and validate it after every epoch.

    The network's initial weights come from ``torch.manual_seed(seed)`` (the
    global generator, as in the chapter's snippets), the order of the
    mini-batches from a ``torch.Generator`` seeded with ``seed``: two calls
    with the same arguments are the same run.

    Args:
        lr: AdamW's learning rate $\alpha \ge 0$.
        weight_decay: AdamW's decoupled weight decay $\lambda \ge 0$.
        epochs: the passes over the training set, $\ge 1$.
        batch_size: the examples per step, $\ge 1$.
        hidden: $h$, the width of the hidden layer, $\ge 1$.
        seed: seeds the initial weights and the shuffling.
        device: where to train (default: the CPU).

    Returns:
        A [`DigitsRun`][lessonlib.pipeline.DigitsRun]: the network, and one
            validation loss and accuracy per epoch.

    Raises:
        TypeError: a number is not a number, or a count not an integer.
        ValueError: ``lr`` or ``weight_decay`` is negative, or a count is
            less than 1.

    Examples:
        >>> run = train_digits(epochs=2, hidden=16)
        >>> len(run.val_loss), run.val_loss[1] < run.val_loss[0], run.model.training
        (2, True, False)
        >>> run.val_accuracy[-1] > 0.7  # from 0.1, a guess, in two epochs
        True
    """
    check_lr(lr)
    check_real("weight_decay", weight_decay)
    check_non_negative("weight_decay", weight_decay)
    epochs = check_integer("epochs", epochs, minimum=1)
    batch_size = check_integer("batch_size", batch_size, minimum=1)
    hidden = check_integer("hidden", hidden, minimum=1)
    seed = check_integer("seed", seed)
    device = torch.device("cpu") if device is None else torch.device(device)

    X, y = digits()
    splits = train_val_test_split(X.double(), y, seed=0)  # float64, as the pipeline
    X_train, X_val, _, y_train, y_val, _ = (t.to(device) for t in splits)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, hidden, bias=False), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, 10))
    model = model.to(device, torch.float64)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    shuffle = torch.Generator().manual_seed(seed)
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True, generator=shuffle)
    run = DigitsRun(model)
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            logits = model(X_val)
        run.val_loss.append(F.cross_entropy(logits, y_val).item())
        run.val_accuracy.append((logits.argmax(dim=1) == y_val).float().mean().item())
    return run
