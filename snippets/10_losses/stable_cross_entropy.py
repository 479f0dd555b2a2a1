"""Cross-entropy on extreme logits: softmax-then-log breaks, log-sum-exp does not."""

import torch

from lessonlib.activations import log_softmax
from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.losses import nll_loss

device = get_device()


def naive_cross_entropy(z, y):
    """The textbook formula, done literally: exponentiate, normalise, take the log."""
    p = torch.exp(z) / torch.exp(z).sum(dim=1, keepdim=True)
    return -torch.log(p.gather(1, y[:, None])).squeeze(1)


def stable_cross_entropy(z, y):
    """log_softmax (shift by the maximum, then log-sum-exp), then the negative log-likelihood."""
    return nll_loss(log_softmax(z, dim=1), y, reduction="none")


cases = [  # (logits, target), float32 as in a network
    ([2.0, 1.0, 0.0], 0),
    ([0.0, -200.0, 0.0], 1),
    ([100.0, 0.0, -100.0], 0),
    ([100.0, 0.0, -100.0], 2),
    ([-1000.0, -1000.0, -1000.0], 0),
]
stable = []
print("logits                       target    naive loss  naive grad   stable loss  stable grad")
for logits, target in cases:
    row = []
    for fn in (naive_cross_entropy, stable_cross_entropy):
        z = torch.tensor([logits], device=device, requires_grad=True)
        loss = fn(z, torch.tensor([target], device=device))
        loss.sum().backward()
        finite = "finite" if torch.isfinite(z.grad).all() else "NaN"
        row.append(f"{loss.item() + 0.0:10.4f}  {finite:>10}")
    stable.append(loss.item())  # the stable form's loss, the last one computed
    print(f"{str(logits):29}{target:4d}    " + "   ".join(row))

publish(stable_loss_underflow=stable[1], stable_loss_all_equal=stable[4])
