"""The stability limit α < 2/λ_max on a quadratic, predicted and measured."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.descent import gradient_descent
from lessonlib.functions import quadratic

use_book_style()
device = get_device()


def converges(fn, lr, steps=100):
    w0 = torch.tensor([1.0, 1.0], dtype=torch.float64, device=device)
    run = gradient_descent(fn, fn.grad, w0, lr=lr, steps=steps)
    return bool(run.loss[-1] < run.loss[0])


def largest_stable_lr(fn, low=1e-4, high=10.0, iters=30):
    """Bisect for the learning rate where gradient descent stops converging."""
    for _ in range(iters):
        mid = (low + high) / 2
        low, high = (mid, high) if converges(fn, mid) else (low, mid)
    return low


print("kappa   predicted 2/kappa   measured")
for kappa in [1.0, 10.0, 100.0]:
    measured = largest_stable_lr(quadratic(kappa))
    print(f"{kappa:5.0f}   {2 / kappa:17.4f}   {measured:8.4f}")

# Per step, each coordinate is multiplied by (1 - α λ); it shrinks only while |1 - α λ| < 1.
alphas = torch.linspace(0, 0.25, 300)
fig, ax = plt.subplots()
for lam in [1.0, 10.0]:
    ax.plot(alphas, (1 - alphas * lam).abs(), label=f"$|1 - \\alpha\\lambda|$, λ = {lam:g}")
ax.axhline(1, color="0.5", ls="--", lw=1)
ax.axvline(2 / 10, color="C1", ls=":", lw=1.2)
ax.annotate("α = 2/λ_max = 0.2", xy=(0.2, 1.6), xytext=(0.125, 1.75), arrowprops=dict(arrowstyle="->"))
ax.set(xlabel="learning rate α", ylabel="factor per step", ylim=(0, 2), title="κ = 10: the steep direction sets the limit")
ax.legend(loc="upper left")
savefig(fig, "stability_factor")
