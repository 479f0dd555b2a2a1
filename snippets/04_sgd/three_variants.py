"""Batch, mini-batch and stochastic gradient descent on one linear regression, per step and per example seen."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import linear_data
from lessonlib.losses import mse_loss
from lessonlib.minibatch import minibatch_descent
from lessonlib.optim import SGD

use_book_style()
device = get_device()

m, n = 50, 5
X, y, _ = linear_data(m, n, noise=0.5, seed=0)  # no bias in the data, so the model needs none
X, y = X.to(device, torch.float64), y.to(device, torch.float64)  # float64: the excess loss is a small difference


# The best any weights can do: the least-squares solution, for reference. Rounded, because LAPACK's last digit can
# differ from run to run, and the figure should not.
w_star = torch.linalg.lstsq(X, y[:, None]).solution[:, 0]
best = round(mse_loss(X @ w_star, y).item(), 10)

excess = {}  # the final excess loss of each variant, by batch size
variants = {"batch (B = 50)": 50, "mini-batch (B = 5)": 5, "stochastic (B = 1)": 1}
epochs, lr = 10, 0.05
fig, (per_step, per_example) = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
print(f"m = {m} examples, {epochs} epochs, α = {lr}; least-squares loss {best:.4f}")
print(f"{'variant':<22}{'steps':>7}{'examples seen':>15}{'final loss':>12}{'excess':>10}")
for (label, B), color in zip(variants.items(), ["C0", "C2", "C1"]):
    torch.manual_seed(0)
    w = torch.zeros(n, dtype=torch.float64, device=device, requires_grad=True)
    path = minibatch_descent(lambda X: X @ w, mse_loss, X, y, SGD([w], lr=lr), batch_size=B, epochs=epochs,
                             generator=torch.Generator().manual_seed(0))
    params = torch.stack(path.params)  # θ_0, θ_1, ..., one row per step
    full_loss = ((X @ params.T - y[:, None]) ** 2).mean(dim=0).cpu()  # L(θ_t) on the whole data set
    steps = torch.arange(len(params))
    seen = torch.tensor([0] + path.examples_seen)
    per_step.loglog(steps[1:], full_loss[1:] - best, color=color, lw=1.3, label=label)
    per_example.loglog(seen[1:], full_loss[1:] - best, color=color, lw=1.3, label=label)
    print(f"{label:<22}{len(path.loss):>7}{path.examples_seen[-1]:>15}{full_loss[-1].item():>12.4f}"
          f"{full_loss[-1].item() - best:>10.4f}")
    excess[B] = full_loss[-1].item() - best

per_step.set(xlabel="step $t$", ylabel="$L(\\theta_t) - L(\\theta^*)$", title="Per step")
per_example.set(xlabel="examples seen", title="Per example seen")
per_step.legend()
savefig(fig, "three_variants")
publish(best_loss=best, excess_batch=excess[50], excess_minibatch=excess[5], excess_sgd=excess[1])
