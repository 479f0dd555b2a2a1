"""The linear scaling rule on a small regression: multiply the batch by k, multiply the learning rate by k."""

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

m, n = 512, 8
X, y, _ = linear_data(m, n, noise=0.5, seed=1)
X, y = X.to(device, torch.float64), y.to(device, torch.float64)  # float64: the excess loss is a small difference


# The least-squares loss and the largest curvature of L, rounded: LAPACK's last digit can differ between runs.
best = round(mse_loss(X @ torch.linalg.lstsq(X, y[:, None]).solution[:, 0], y).item(), 10)
lam_max = round(torch.linalg.eigvalsh(2 / m * X.T @ X).max().item(), 10)
B0, lr0, epochs = 4, 0.01, 2  # the base run, and the same budget of examples for every run
print(f"base: B₀ = {B0}, α₀ = {lr0}; {epochs} epochs of m = {m} for every run")
print(f"stability limit of full-batch descent 2/λ_max = {2 / lam_max:.3f},"
      f" which the rule reaches at B = {2 / lam_max / lr0 * B0:.0f}")


def run(B, lr):
    torch.manual_seed(0)
    w = torch.zeros(n, dtype=torch.float64, device=device, requires_grad=True)
    path = minibatch_descent(lambda X: X @ w, mse_loss, X, y, SGD([w], lr=lr), batch_size=B, epochs=epochs,
                             generator=torch.Generator().manual_seed(0))
    params = torch.stack(path.params)
    excess = ((X @ params.T - y[:, None]) ** 2).mean(dim=0).cpu() - best
    return torch.tensor([0] + path.examples_seen), excess


sizes = [4, 16, 64, 256, 512]
fig, (curves, finals) = plt.subplots(1, 2, figsize=(10, 3.8))
scaled, fixed = [], []
print("    B    α = α₀·B/B₀    excess loss (scaled α)    excess loss (α₀ kept)")
for B, color in zip(sizes, ["C0", "C5", "C2", "C4", "C1"]):
    lr = lr0 * B / B0
    seen, excess = run(B, lr)
    scaled.append(excess[-1].item())
    fixed.append(scaled[-1] if B == B0 else run(B, lr0)[1][-1].item())  # at B₀ the two runs are the same run
    curves.semilogy(seen, excess.clamp(max=1e3), color=color, lw=1.3, label=f"B = {B}, α = {lr:g}")
    print(f"{B:5d}    {lr:11.2f}    {scaled[-1]:22.4f}    {fixed[-1]:21.4f}")

curves.set(xlabel="examples seen", ylabel="$L(\\theta) - L(\\theta^*)$", ylim=(1e-3, 1e3),
           title="α scaled with B: one curve, until it breaks")
curves.legend(fontsize=8, ncol=2)
finals.loglog(sizes, scaled, "o-", label="α = α₀·B/B₀ (linear scaling)")
finals.loglog(sizes, fixed, "s-", label="α = α₀ for every B")
finals.axvline(2 / lam_max / lr0 * B0, color="0.5", ls="--", lw=1, label="α reaches 2/λ_max")
finals.set(xlabel="batch size $B$", ylabel=f"excess loss after {epochs} epochs", title="The same budget of examples")
finals.legend(fontsize=8)
savefig(fig, "linear_scaling")
publish(stability_limit=2 / lam_max, limit_batch=2 / lam_max / lr0 * B0, lr_full_batch=lr0 * m / B0)
