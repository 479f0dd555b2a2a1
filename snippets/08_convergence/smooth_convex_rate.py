"""The O(1/t) bound for smooth convex functions, against gradient descent on nearly flat bowls."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.descent import optimizer_path
from lessonlib.functions import quadratic
from lessonlib.optim import SGD

use_book_style()
device = get_device()

# ½(w₁² + κ w₂²) with κ ≤ 1 is convex and 1-smooth (L = 1), and almost flat along w₂ when κ is small.
L, w0 = 1.0, [0.0, 1.0]  # start on the flat axis: ‖w0 - w*‖² = 1


def losses(kappa, steps):
    """f(w_t) for t = 0..steps: gradient descent with α = 1/L, run by lessonlib's SGD without momentum."""
    bowl = quadratic(kappa)
    w = torch.tensor(w0, dtype=torch.float64, device=device, requires_grad=True)
    return bowl(optimizer_path(bowl, w, SGD([w], lr=1 / L), steps, grad=bowl.grad).w).tolist()


def losses_by_hand(kappa, steps):
    """The same run written out, w ← w - α∇f(w): the long curves of the figure, without the optimizer's overhead."""
    bowl = quadratic(kappa)
    w = torch.tensor(w0, dtype=torch.float64, device=device)
    path = [w]
    for _ in range(steps):
        w = w - bowl.grad(w) / L
        path.append(w)
    return bowl(torch.stack(path)).tolist()


def bound(t):
    return L * 1.0 / (2 * t)  # L ‖w0 - w*‖² / (2t)


print("  t   bound L‖w0-w*‖²/(2t)   worst bowl κ = 1/(2t+1)   f(w_t)     f(w_t) / bound")
ratios = {}
for t in [10, 100, 1000]:
    worst = losses(1 / (2 * t + 1), t)[t]
    assert worst == losses_by_hand(1 / (2 * t + 1), t)[t]  # the optimizer and the formula take the same steps
    ratios[t] = worst / bound(t)
    print(f"{t:4d}   {bound(t):16.6f}        {1 / (2 * t + 1):14.6f}        {worst:.6f}   {ratios[t]:.4f}")
print(f"the ratio tends to 1/(2e) = {1 / (2 * math.e):.4f}")

steps = 2000
fig, ax = plt.subplots(figsize=(6.4, 4.2))
ts = torch.arange(1, steps + 1, dtype=torch.float64)
ax.loglog(ts, bound(ts), "k--", lw=1.5, label="bound $L\\|w_0 - w^*\\|^2/(2t)$")
for kappa, color in [(1e-1, "C0"), (1e-2, "C1"), (1e-3, "C2")]:
    ax.loglog(ts, losses_by_hand(kappa, steps)[1:], color=color, label=f"κ = {kappa:g}")
kappas = torch.logspace(-5, 0, 4000, dtype=torch.float64)
envelope = (0.5 * kappas * (1 - kappas) ** (2 * ts[:, None])).amax(dim=1)  # max over κ, for each t
ax.loglog(ts, envelope, ":", color="0.4", label="worst bowl at each t")
ax.set(xlabel="step t", ylabel="$f(w_t) - f^*$", ylim=(1e-6, 1), title="Gradient descent, α = 1/L, on ½(w₁² + κw₂²)")
ax.legend(loc="lower left")
savefig(fig, "smooth_convex_rate")
publish(ratio_10=ratios[10], ratio_100=ratios[100], ratio_1000=ratios[1000])
