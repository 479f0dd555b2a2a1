"""Regularisation paths of the lasso, the elastic net and ridge regression: L1 gives exact zeros."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.regularization import elastic_net_penalty

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tiny tensors: one thread is fastest
gen = torch.Generator().manual_seed(0)

# 50 examples, 8 standardised features. Features 0 and 1 are near-copies of each other
# (correlation about 0.995); the true weights are 1.5, 1.5, -2, 1 for features 0-3 and 0 for 4-7.
m, n = 50, 8
X = torch.randn(m, n, generator=gen, dtype=torch.float64)
X[:, 1] = X[:, 0] + 0.1 * torch.randn(m, generator=gen, dtype=torch.float64)
X = (X - X.mean(dim=0)) / X.std(dim=0, unbiased=False)
w_true = torch.tensor([1.5, 1.5, -2.0, 1.0, 0.0, 0.0, 0.0, 0.0], dtype=torch.float64)
y = X @ w_true + torch.randn(m, generator=gen, dtype=torch.float64)
y = y - y.mean()  # centred data: no intercept needed
X, y, w_true = X.to(device), y.to(device), w_true.to(device)

A, b = X.T @ X / m, X.T @ y / m  # the loss ½·mean((Xw − y)²) has gradient Aw − b
step = 1 / torch.linalg.eigvalsh(A).max().item()  # 1/L, L the largest curvature of the loss


def elastic_net(lams, r, iters=2000):
    """Minimise ½·mean((Xw − y)²) + λ·[r|w|₁ + (1 − r)/2·|w|²], every λ at once (a column each).

    Proximal gradient descent, accelerated (FISTA): a gradient step on the smooth loss, then the
    exact minimiser of the penalty plus the distance to that step, which soft-thresholds (L1)
    and shrinks (L2) each weight.
    """
    w = torch.zeros(n, len(lams), dtype=torch.float64, device=device)
    z, t = w.clone(), 1.0
    for _ in range(iters):
        v = z - step * (A @ z - b[:, None])  # gradient step on the loss
        w_next = v.sign() * (v.abs() - step * lams * r).clamp(min=0)  # soft threshold (L1)
        w_next = w_next / (1 + step * lams * (1 - r))  # shrink (L2)
        t_next = (1 + (1 + 4 * t * t) ** 0.5) / 2
        z = w_next + (t - 1) / t_next * (w_next - w)  # Nesterov-style extrapolation
        w, t = w_next, t_next
    return w


lams = torch.logspace(-2.5, 1.5, 41, dtype=torch.float64, device=device)
eye = torch.eye(n, dtype=torch.float64, device=device)
paths = {
    "lasso (L1), r = 1": elastic_net(lams, 1.0),
    "elastic net, r = 0.5": elastic_net(lams, 0.5),
    "ridge (L2), r = 0": torch.linalg.solve(A + lams[:, None, None] * eye, b.expand(len(lams), n)).T,
}
correlation = torch.corrcoef(X[:, :2].T)[0, 1].item()
lam_max = (X.T @ y / m).abs().max().item()
print(f"correlation of features 0 and 1: {correlation:.3f}")
print(f"lasso: every weight is 0 once λ ≥ max|Xᵀy|/m = {lam_max:.3f}")

k = 20  # the column of λ = 10^-0.5 ≈ 0.32 in the grid
lam = lams[k].item()
print(f"\nweights at λ = {lam:.2f}     w0    w1    w2    w3    w4    w5    w6    w7  zeros")
print("true weights         " + "".join(f"{v:6.2f}" for v in w_true.tolist()))
for name, W in paths.items():
    w = W[:, k]
    print(f"{name:20s} " + "".join(f"{v + 0.0:6.2f}" for v in w.tolist()) + f"  {int((w == 0).sum()):5d}")


lasso, enet, ridge = (W[:, k] for W in paths.values())
publish(correlation=correlation, lam_max=lam_max,
        lasso_w0=lasso[0], lasso_w1=lasso[1], lasso_zeros=int((lasso == 0).sum()),
        enet_w0=enet[0], enet_w1=enet[1], enet_zeros=int((enet == 0).sum()),
        ridge_w0=ridge[0], ridge_w1=ridge[1], ridge_zeros=int((ridge == 0).sum()))


def objective(w, r):
    return 0.5 * ((X @ w - y) ** 2).mean() + lam * elastic_net_penalty([w], l1_ratio=r)


# A check that the solver converged: nudging any one weight by ±0.001 only raises the objective.
nudges = 0.001 * torch.cat([eye, -eye])
for name, r in zip(paths, [1.0, 0.5, 0.0]):
    w = paths[name][:, k]
    rises = all(objective(w + d, r) > objective(w, r) for d in nudges)
    print(f"{name}: every nudge raises the objective: {rises}")

fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), sharey=True)
for ax, (name, W) in zip(axes, paths.items()):
    for j in range(n):
        style = {"color": f"C{j}" if j < 4 else "0.55", "lw": 2 if j < 4 else 1.2}
        ax.plot(lams.cpu(), W[j].cpu().round(decimals=4), label=f"w{j}" if j < 4 else None, **style)
    ax.axvline(lam, color="0.3", ls=":", lw=1)
    ax.set(xscale="log", xlabel="λ", title=name)
axes[0].plot([], [], color="0.55", lw=1.2, label="w4-w7 (true 0)")
axes[0].set_ylabel("weight")
axes[0].legend(loc="upper right", fontsize=8)
savefig(fig, "l1_l2_paths")
