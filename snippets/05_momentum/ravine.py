"""Plain gradient descent, momentum and Nesterov momentum in a ravine: an ill-conditioned quadratic bowl."""

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

bowl = quadratic(kappa=50.0)  # L = ½(w₁² + 50 w₂²): 50 times steeper across the ravine than along it
lr, beta, steps = 0.025, 0.9, 120


def run(**momentum):
    w = torch.tensor([-2.0, 0.5], dtype=torch.float64, device=device, requires_grad=True)
    # the gradient, written out by hand in lessonlib.functions
    return optimizer_path(bowl, w, SGD([w], lr=lr, **momentum), steps, grad=bowl.grad).w.cpu()


paths = {
    "gradient descent": run(),
    "momentum, β = 0.9": run(momentum=beta),
    "Nesterov, β = 0.9": run(momentum=beta, nesterov=True),
}

print(f"α = {lr} for all three; L(w_0) = {bowl(paths['gradient descent'][0]).item():.3f}")
first_below = {}  # the first step with L < 1e-6, or None
final_loss = {}
print(f"{'method':<20}{'L after 20':>12}{'L after 60':>12}{'L after 120':>13}{'steps to L < 1e-6':>20}")
for name, path in paths.items():
    losses = bowl(path)
    below = (losses < 1e-6).nonzero()
    first = str(below[0].item()) if len(below) else f"> {steps}"
    first_below[name] = below[0].item() if len(below) else None
    final_loss[name] = losses[steps].item()
    print(f"{name:<20}{losses[20].item():12.2e}{losses[60].item():12.2e}{losses[120].item():13.2e}{first:>20}")

# Momentum moves along the valley as fast as plain steps of α/(1 - β) would; plain steps that large diverge.
w = torch.tensor([-2.0, 0.5], dtype=torch.float64, device=device)
for _ in range(20):
    w = w - lr / (1 - beta) * bowl.grad(w)
big_steps_loss = bowl(w).item()
print(f"gradient descent with α/(1-β) = {lr / (1 - beta):.2f}: L after 20 steps = {big_steps_loss:.2e}")

axis1, axis2 = torch.linspace(-2.3, 2.3, 300, dtype=torch.float64), torch.linspace(-0.75, 0.75, 200, dtype=torch.float64)
grid = torch.stack(torch.meshgrid(axis1, axis2, indexing="xy"), dim=-1)
fig, axes = plt.subplots(3, 1, figsize=(7.5, 7.2), sharex=True)
for ax, (name, path), color in zip(axes, paths.items(), ["C0", "C1", "C2"]):
    ax.contour(axis1, axis2, bowl(grid), levels=[0.01, 0.05, 0.2, 0.5, 1, 2, 4, 8], colors="0.7", linewidths=0.8)
    ax.plot(path[:61, 0], path[:61, 1], "o-", ms=2.5, lw=1.1, color=color)
    ax.plot([0], [0], "k*", ms=9)
    ax.set(title=f"{name}: the first 60 steps", ylabel="$w_2$", aspect="equal")
axes[-1].set_xlabel("$w_1$")
savefig(fig, "ravine_paths")
publish(gd_loss_final=final_loss["gradient descent"], momentum_loss_final=final_loss["momentum, β = 0.9"],
        nesterov_loss_final=final_loss["Nesterov, β = 0.9"], gd_reaches_1e_6=first_below["gradient descent"] is not None,
        momentum_steps_to_1e_6=first_below["momentum, β = 0.9"], nesterov_steps_to_1e_6=first_below["Nesterov, β = 0.9"],
        big_steps_loss=big_steps_loss)
