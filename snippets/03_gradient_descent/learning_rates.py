"""Learning rate too small, about right, too large: gradient descent on L(w) = w² from w = 1."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.descent import gradient_descent

use_book_style()
device = get_device()


def loss(w):
    return w**2


def grad(w):
    return 2 * w


cases = {
    "too small (α = 0.02)": 0.02,
    "about right (α = 0.3)": 0.3,
    "oscillates (α = 0.9)": 0.9,
    "diverges (α = 1.05)": 1.05,
}
fig, axes = plt.subplots(1, 4, figsize=(12, 3.2), sharey=True)
curve = torch.linspace(-1.6, 1.6, 200)
print("learning rate    w after 10 steps    factor per step (1 - 2α)")
for ax, (label, lr) in zip(axes, cases.items()):
    run = gradient_descent(loss, grad, torch.tensor(1.0, dtype=torch.float64, device=device), lr=lr, steps=10)
    ws = run.w.cpu()
    ax.plot(curve, curve**2, color="0.6", lw=1.2)
    ax.plot(ws.clamp(-1.6, 1.6), (ws**2).clamp(max=2.6), "o-", ms=3.5, lw=1.1, color="C1")
    ax.set(title=label, xlabel="$w$", ylim=(-0.1, 2.6))
    print(f"{lr:>13}    {ws[-1].item():16.4f}    {1 - 2 * lr:+.2f}")
axes[0].set_ylabel("$L(w) = w^2$")
savefig(fig, "learning_rates")
