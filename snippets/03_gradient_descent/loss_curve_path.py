"""The path of gradient descent on the curve L(w) = w⁴ − 3w³ + 2, from two starting points."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.descent import gradient_descent
from lessonlib.functions import quartic

use_book_style()
device = get_device()

starts = {"start at w = 3.0": 3.0, "start at w = -1.0": -1.0}
runs = {
    label: gradient_descent(quartic, quartic.grad, torch.tensor([w0], dtype=torch.float64, device=device), lr=0.01, steps=60)
    for label, w0 in starts.items()
}

w = torch.linspace(-1.3, 3.2, 400, dtype=torch.float64)[:, None]
fig, ax = plt.subplots()
ax.plot(w[:, 0], quartic(w), color="0.3", lw=1.5, label="$L(w) = w^4 - 3w^3 + 2$")
for (label, run), color in zip(runs.items(), ["C0", "C1"]):
    ws, losses = run.w[:, 0].cpu(), run.loss.cpu()
    ax.plot(ws, losses, "o-", color=color, ms=4, lw=1, label=label)
    print(f"{label}: after 60 steps w = {ws[-1].item():.4f}, L(w) = {losses[-1].item():.4f}")
ax.axvline(2.25, color="0.6", ls=":", lw=1)
ax.set(xlabel="$w$", ylabel="$L(w)$", ylim=(-8, 12), title="Gradient descent with α = 0.01")
ax.legend(loc="upper center")
savefig(fig, "quartic_paths")

print(f"the minimum is at w = 9/4 = {9 / 4}, where L = {quartic(torch.tensor([2.25])).item():.4f}")
