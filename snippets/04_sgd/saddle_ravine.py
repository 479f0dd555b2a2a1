"""Gradient descent and SGD on a saddle and in a ravine, drawn on contour maps."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.descent import gradient_descent
from lessonlib.functions import quadratic, saddle
from lessonlib.minibatch import minibatch_descent
from lessonlib.optim import SGD

use_book_style()
device = get_device()

# A data set of m random shifts a_j, centred so that they average to exactly zero. Example j has the loss
# f(w − s·a_j): the landscape f moved a little. The average over all examples is f plus a constant, so full-batch
# descent sees f itself, while a mini-batch sees f moved by its batch's average shift: a noisy gradient.
m = 240
gen = torch.Generator().manual_seed(0)
shifts = torch.randn(m, 2, generator=gen, dtype=torch.float64)
shifts = (shifts - shifts.mean(dim=0)).to(device)


def sgd_path(f, w0, lr, batch_size, spread):
    """SGD for one epoch on the examples f(w − spread · a_j)."""
    w = torch.tensor(w0, dtype=torch.float64, device=device, requires_grad=True)
    per_example = lambda A: f(w - spread * A)  # the loss of each example in the batch
    path = minibatch_descent(per_example, lambda losses, _: losses.mean(), shifts, torch.zeros(m, device=device),
                             SGD([w], lr=lr), batch_size=batch_size, epochs=1,
                             generator=torch.Generator().manual_seed(1))
    return torch.stack(path.params).cpu()


def contour(ax, f, xlim, ylim, levels):
    xs = torch.linspace(*xlim, 200, dtype=torch.float64)
    ys = torch.linspace(*ylim, 200, dtype=torch.float64)
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1)
    ax.contour(xs, ys, f(grid), levels=levels, colors="0.65", linewidths=0.8)
    ax.set(xlim=xlim, ylim=ylim, aspect="equal", xlabel="$w_1$", ylabel="$w_2$")


fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))

# The saddle x² − y², starting on the line y = 0 that leads straight into it.
contour(left, saddle, (-2, 2), (-2, 2), levels=[-3, -2, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2, 3])
start, lr, steps = [-1.5, 0.0], 0.05, m // 4
gd = gradient_descent(saddle, saddle.grad, torch.tensor(start, dtype=torch.float64, device=device), lr=lr, steps=steps)
sgd = sgd_path(saddle, start, lr, batch_size=4, spread=0.3)
inside = sgd[:, 1].abs() <= 2  # draw SGD's path until it leaves the picture
left.plot(gd.w[:, 0].cpu(), gd.w[:, 1].cpu(), "o-", ms=2.5, lw=1.2, color="C0", label="gradient descent")
left.plot(sgd[inside, 0], sgd[inside, 1], "o-", ms=2.5, lw=1.2, color="C1", label="SGD, B = 4")
left.plot([0], [0], "kx", ms=8)
left.set_title(f"saddle $w_1^2 - w_2^2$, α = {lr}")
left.legend(loc="lower left", fontsize=9)
end = gd.final.cpu()
saddle_grad_norm = saddle.grad(end).norm().item()
print(f"saddle, {steps} steps from ({start[0]}, {start[1]}):")
print(f"  gradient descent ends at ({end[0].item():.4f}, {end[1].item():.4f}),"
      f" ‖∇L‖ = {saddle_grad_norm:.4f}: stuck at the saddle")
escape = int((sgd[:, 1].abs() > 1).nonzero()[0, 0])
escape_loss = saddle(sgd[escape]).item()
print(f"  SGD (B = 4) has |w₂| > 1 after {escape} steps; its loss then is {escape_loss:.3f}")

# A ravine: a bowl 20 times steeper across than along, with α just below the limit 2/20.
ravine = quadratic(kappa=20.0)
contour(right, ravine, (-2.2, 0.6), (-0.8, 0.8), levels=[0.02, 0.1, 0.3, 0.6, 1, 2, 3.5, 5])
start, lr, steps = [-2.0, 0.5], 0.09, 60
gd = gradient_descent(ravine, ravine.grad, torch.tensor(start, dtype=torch.float64, device=device), lr=lr, steps=steps)
sgd = sgd_path(ravine, start, lr, batch_size=4, spread=0.1)[: steps + 1]
right.plot(gd.w[:, 0].cpu(), gd.w[:, 1].cpu(), "o-", ms=2.5, lw=1.2, color="C0", label="gradient descent")
right.plot(sgd[:, 0], sgd[:, 1], "o-", ms=2.5, lw=1, color="C1", alpha=0.85, label="SGD, B = 4")
right.plot([0], [0], "k*", ms=9)
right.set_title(f"ravine $\\frac{{1}}{{2}}(w_1^2 + 20 w_2^2)$, α = {lr}")
right.legend(loc="lower right", fontsize=9)
print(f"ravine, {steps} steps from ({start[0]}, {start[1]}), α = {lr} (limit 2/20 = {2 / 20}):")
for label, w in [("gradient descent", gd.final.cpu()), ("SGD (B = 4)", sgd[-1])]:
    print(f"  {label:<17} ends at ({w[0].item():+.3f}, {w[1].item():+.3f}), L = {ravine(w).item():.4f}")
savefig(fig, "saddle_ravine")
publish(saddle_gd_grad_norm=saddle_grad_norm, saddle_escape_step=escape, saddle_escape_loss=escape_loss,
        ravine_gd_loss=ravine(gd.final.cpu()).item(), ravine_sgd_loss=ravine(sgd[-1]).item())
