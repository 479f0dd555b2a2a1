"""Gradient descent on two 2-D landscapes, drawn as contour maps with the paths of the iterates."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.descent import gradient_descent
from lessonlib.functions import himmelblau, quadratic

use_book_style()
device = get_device()


def contour(ax, fn, lim, levels):
    axis = torch.linspace(-lim, lim, 300, dtype=torch.float64)
    grid = torch.stack(torch.meshgrid(axis, axis, indexing="xy"), dim=-1)
    ax.contour(axis, axis, fn(grid), levels=levels, colors="0.65", linewidths=0.8)
    ax.set(aspect="equal", xlabel="$w_1$", ylabel="$w_2$")


fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 4.4))

bowl = quadratic(kappa=10.0)
contour(left, bowl, 2.2, levels=[0.05, 0.2, 0.5, 1, 2, 4, 8, 14])
run = gradient_descent(bowl, bowl.grad, torch.tensor([-2.0, 0.5], dtype=torch.float64, device=device), lr=0.18, steps=25)
path = run.w.cpu()
left.plot(path[:, 0], path[:, 1], "o-", ms=3, lw=1.2, color="C1")
left.set_title("a narrow bowl (κ = 10), α = 0.18")
print(f"bowl: L from {run.loss[0].item():.3f} to {run.loss[-1].item():.2e} in 25 steps")

contour(right, himmelblau, 5.5, levels=[0.5, 2, 8, 20, 50, 100, 200, 400])
starts = [(-0.5, 4.5), (0.5, 0.0), (-1.0, -1.0), (4.5, -4.5)]
for (x0, y0), color in zip(starts, ["C0", "C1", "C2", "C3"]):
    run = gradient_descent(himmelblau, himmelblau.grad, torch.tensor([x0, y0], dtype=torch.float64, device=device), lr=0.01, steps=100)
    path = run.w.cpu()
    right.plot(path[:, 0], path[:, 1], "o-", ms=2, lw=1.2, color=color)
    print(f"Himmelblau from ({x0:4.1f}, {y0:4.1f}) ends at ({path[-1, 0]:6.3f}, {path[-1, 1]:6.3f})")
minima = torch.tensor(himmelblau.minima)
right.plot(minima[:, 0], minima[:, 1], "k*", ms=10)
right.set_title("Himmelblau: four minima, α = 0.01")
savefig(fig, "contour_paths")
