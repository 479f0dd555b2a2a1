"""A rolling ball can cross a small hump: momentum on a curve with a shallow local minimum."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.descent import optimizer_path
from lessonlib.optim import SGD

use_book_style()
device = get_device()


def loss(w):
    return w**4 - 4 * w**2 + 2.5 * w  # a shallow well on the right, a deep one on the left


def grad(w):
    return 4 * w**3 - 8 * w + 2.5


lr, steps = 0.01, 200
starts = torch.tensor([2.0, 1.8], dtype=torch.float64, device=device)
paths = {}
print("  β     from w = 2.0        from w = 1.8")
for beta in [0.0, 0.5, 0.8, 0.9, 0.95]:
    w = starts.clone().requires_grad_(True)  # two runs at once: SGD treats every coordinate alike
    paths[beta] = optimizer_path(loss, w, SGD([w], lr=lr, momentum=beta), steps, grad=grad).w.cpu()
    ends = [f"{x:+.3f} ({'deep' if x < 0 else 'shallow'})" for x in w.detach().cpu().tolist()]
    print(f"{beta:4.2f}   {ends[0]:>17}   {ends[1]:>17}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
curve = torch.linspace(-2.15, 2.1, 300, dtype=torch.float64)
left.plot(curve, loss(curve), color="0.4", lw=1.5)
for beta, color in [(0.0, "C0"), (0.9, "C1")]:
    path = paths[beta][:, 0]
    left.plot(path, loss(path), "o-", ms=3, lw=0.8, color=color, label=f"β = {beta}")
    right.plot(path, color=color, label=f"β = {beta}")
left.set(xlabel="$w$", ylabel="$L(w) = w^4 - 4w^2 + 2.5w$", title="Both start at w = 2, α = 0.01")
left.legend(loc="upper center")
right.axhline(0.33, color="0.6", ls=":", lw=1)  # the top of the hump, where L'(w) = 0 between the wells
right.set(xlabel="step $t$", ylabel="$w_t$", title="Momentum carries the ball over the hump")
right.legend()
savefig(fig, "shallow_minimum")
