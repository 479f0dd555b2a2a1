"""Each loss and its gradient, plotted against the error (or the logit, or the distance)."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.losses import binary_cross_entropy_with_logits, contrastive_loss, huber_loss, l1_loss, mse_loss

use_book_style()
device = get_device()


def loss_and_grad(loss_fn, x):
    """Per-element losses and their derivatives with respect to x, by autograd."""
    x = x.detach().clone().requires_grad_(True)
    loss = loss_fn(x)
    loss.sum().backward()  # each loss depends on its own x only, so this gives every derivative at once
    return loss.detach().cpu(), x.grad.cpu()


# Regression losses, as functions of the error d = x - y (we put the target at y = 0).
regression = {
    "MSE": lambda x: mse_loss(x, torch.zeros_like(x), reduction="none"),
    "L1": lambda x: l1_loss(x, torch.zeros_like(x), reduction="none"),
    "Huber, δ = 1": lambda x: huber_loss(x, torch.zeros_like(x), reduction="none", delta=1.0),
}
# Binary cross-entropy, as a function of the logit x, for a positive (y = 1) and a negative (y = 0) example.
bce = {
    f"y = {y:g}": (lambda x, y=y: binary_cross_entropy_with_logits(x, torch.full_like(x, y), reduction="none"))
    for y in (1.0, 0.0)
}
# Contrastive loss, as a function of the distance d between two embeddings (margin m = 1).
contrastive = {
    f"{name} pair (s = {s:g})": (
        lambda d, s=s: contrastive_loss(torch.zeros_like(d)[:, None], d[:, None], torch.full_like(d, s), reduction="none")
    )
    for name, s in (("similar", 1.0), ("dissimilar", 0.0))
}

print("derivative of the loss with respect to the prediction, at error d")
print("     d      MSE     L1   Huber")
for d in [0.5, 2.0, 10.0]:
    x = torch.tensor([d], dtype=torch.float64, device=device)
    grads = [loss_and_grad(fn, x)[1].item() for fn in regression.values()]
    print(f"{d:6.1f}  " + "  ".join(f"{g:6.3f}" for g in grads))

print("\nbinary cross-entropy with logits, target y = 1")
print("     x      loss   dloss/dx = σ(x) - 1")
for x0 in [-10.0, 0.0, 10.0]:
    loss, grad = loss_and_grad(bce["y = 1"], torch.tensor([x0], dtype=torch.float64, device=device))
    print(f"{x0:6.1f}  {loss.item():8.4f}  {grad.item():12.6f}")

panels = [
    ("regression losses", "error $d = x - y$", torch.linspace(-3, 3, 301, dtype=torch.float64), regression),
    ("binary cross-entropy", "logit $x$", torch.linspace(-6, 6, 301, dtype=torch.float64), bce),
    ("contrastive, margin 1", "distance $d$", torch.linspace(0.001, 2, 300, dtype=torch.float64), contrastive),
]
fig, axes = plt.subplots(2, 3, figsize=(12, 6.2), sharex="col")
for col, (title, xlabel, grid, fns) in enumerate(panels):
    grid = grid.to(device)
    for label, fn in fns.items():
        loss, grad = loss_and_grad(fn, grid)
        axes[0, col].plot(grid.cpu(), loss, label=label)
        axes[1, col].plot(grid.cpu(), grad, label=label)
    axes[0, col].set(title=title)
    axes[1, col].set(xlabel=xlabel)
    axes[0, col].legend(loc="upper center")
    axes[1, col].axhline(0, color="0.6", lw=0.8)
axes[0, 0].set(ylabel="loss", ylim=(-0.2, 4.5))
axes[1, 0].set(ylabel="derivative of the loss")
savefig(fig, "losses_and_gradients")
