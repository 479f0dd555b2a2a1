"""The linear rate on strongly convex bowls: measured factors per step against the bounds, for κ = 10 and 100."""

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


def run(bowl, lr, steps):
    """The iterates w_0..w_steps of gradient descent (lessonlib's SGD, no momentum) from w_0 = (1, 1)."""
    w = torch.tensor([1.0, 1.0], dtype=torch.float64, device=device, requires_grad=True)
    return optimizer_path(bowl, w, SGD([w], lr=lr), steps, grad=bowl.grad).w


def factor(sequence, start, end):
    """The measured factor per step between two steps: (x_end / x_start)^(1/(end - start))."""
    return (sequence[end] / sequence[start]).item() ** (1 / (end - start))


print("  κ   step α        f gap: measured  bound 1-μ/L    distance: measured  bound max|1-αλ|")
measured = {}
curves = {}
for kappa in [10.0, 100.0]:
    bowl, mu, L = quadratic(kappa), 1.0, kappa  # curvatures 1 and κ: μ = 1, L = κ
    steps = int(4 * kappa)
    for name, lr in [("1/L", 1 / L), ("2/(μ+L)", 2 / (mu + L))]:
        path = run(bowl, lr, steps)
        gap, dist = bowl(path), path.norm(dim=1)  # f* = 0 and w* = 0
        f_rate, d_rate = factor(gap, steps // 2, steps), factor(dist, steps // 2, steps)
        contraction = max(abs(1 - lr * mu), abs(1 - lr * L))
        f_bound = f"{1 - mu / L:.4f}" if name == "1/L" else "   —  "
        print(f"{kappa:4.0f}   {name:<9}  {f_rate:14.4f}    {f_bound:>10}    {d_rate:16.4f}   {contraction:14.4f}")
        measured[(kappa, name)] = (f_rate, d_rate)
        if name == "1/L":
            curves[kappa] = (gap, (1 - mu / L) ** torch.arange(steps + 1, dtype=torch.float64) * gap[0])
            # the bound of the theorem holds at every step, not only on average
            assert bool((gap <= curves[kappa][1]).all())

fig, ax = plt.subplots(figsize=(6.4, 4.2))
for (kappa, (gap, bound)), color in zip(curves.items(), ["C0", "C1"]):
    ax.semilogy(gap.cpu(), color=color, label=f"κ = {kappa:g}: $f(w_t) - f^*$")
    ax.semilogy(bound.cpu(), "--", color=color, lw=1.5, label=f"κ = {kappa:g}: bound $(1 - μ/L)^t\\,(f(w_0) - f^*)$")
ax.set(xlabel="step t", ylabel="$f(w_t) - f^*$", ylim=(1e-8, 100), title="Gradient descent with α = 1/L on ½(w₁² + κw₂²)")
ax.legend(loc="upper right", fontsize=9)
savefig(fig, "strongly_convex_rate")
publish(f_rate_10=measured[(10.0, "1/L")][0], d_rate_10=measured[(10.0, "1/L")][1],
        f_rate_100=measured[(100.0, "1/L")][0], d_rate_100=measured[(100.0, "1/L")][1],
        d_rate_100_best=measured[(100.0, "2/(μ+L)")][1])
