"""Time the normal equation and 100 steps of gradient descent as the number of features n grows (m = 4n examples)."""

import math
import os
import platform

import matplotlib.pyplot as plt
import torch

from lessonlib.book.bench import best_time
from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import linear_data
from lessonlib.linear import add_bias_column, fit_gradient_descent, fit_normal_equation, least_squares_loss

# downhill: output varies (timings depend on the machine and on what else it is doing)
use_book_style()
device = get_device()
torch.set_num_threads(1)  # one thread: less disturbed by other work (the book's build runs two snippets at once)
print(f"machine: {platform.machine()} {platform.processor() or ''}".rstrip()
      + f", {os.cpu_count()} CPU cores; torch {torch.__version__} on {device}, using {torch.get_num_threads()} thread(s)")


sizes = [16, 32, 64, 128, 256, 512, 1024]
closed, descent, ratios, hessian_conds = [], [], [], []
print("    n      m   closed form (s)   gradient descent (s)   GD loss / optimal loss   κ(X̃ᵀX̃/m)")
for n in sizes:
    X, Y, _ = linear_data(4 * n, n, noise=0.1, seed=0)
    X, Y = X.to(device), Y.to(device)
    repeats = 3 if n <= 256 else 1  # large sizes take long enough to time once
    t_closed, W = best_time(lambda: fit_normal_equation(X, Y), repeats)
    t_descent, (W_gd, _) = best_time(lambda: fit_gradient_descent(X, Y, lr=0.4, n_steps=100), repeats)
    ratio = (least_squares_loss(X, Y, W_gd) / least_squares_loss(X, Y, W)).item()
    # The condition number of the Hessian X̃ᵀX̃/m sets how many steps gradient descent needs (chapter 3).
    X_tilde = add_bias_column(X.double())
    eigenvalues = torch.linalg.eigvalsh(X_tilde.T @ X_tilde / (4 * n))
    hessian_conds.append((eigenvalues.max() / eigenvalues.min()).item())
    closed.append(t_closed)
    descent.append(t_descent)
    ratios.append(ratio)
    print(f"{n:5d}  {4 * n:5d}   {t_closed:15.2e}   {t_descent:20.2e}   {ratio:22.4f}   {hessian_conds[-1]:10.1f}")

# On log axes a straight line of slope p means time growing like n^p; measure p over the three largest sizes.
def growth(times):
    return math.log(times[-1] / times[-3]) / math.log(sizes[-1] / sizes[-3])


print(f"measured growth from n = {sizes[-3]} to {sizes[-1]}: closed form like n^{growth(closed):.1f}, "
      f"gradient descent like n^{growth(descent):.1f}")

publish(
    growth_closed=growth(closed),
    growth_descent=growth(descent),
    descent_over_closed_smallest=descent[0] / closed[0],
    descent_over_closed_largest=descent[-1] / closed[-1],
    worst_loss_ratio=max(ratios),
    hessian_cond_min=min(hessian_conds),
    hessian_cond_max=max(hessian_conds),
)

fig, ax = plt.subplots()
ax.loglog(sizes, closed, "o-", label=r"normal equation (form $\tilde X^\top \tilde X$, solve)")
ax.loglog(sizes, descent, "s-", label="gradient descent, 100 steps")
large = [n for n in sizes if n >= 128]  # guides for the large sizes, drawn through each curve's last point
ax.loglog(large, [closed[-1] * (n / sizes[-1]) ** 3 for n in large], "--", color="0.5", lw=1, label="grows like $n^3$")
ax.loglog(large, [descent[-1] * (n / sizes[-1]) ** 2 for n in large], ":", color="0.5", lw=1.3, label="grows like $n^2$")
ax.set(xlabel="number of features $n$ (with $m = 4n$ examples)", ylabel="time (s)",
       title="Cost as the problem grows (measured in this build)")
ax.legend(fontsize=9)
savefig(fig, "closed_form_vs_gd_time")
