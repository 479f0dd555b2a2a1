"""The degree-11 polynomial with an L2 penalty of growing strength: from overfitting to underfitting."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import noisy_sine_split
from lessonlib.linear import polynomial_features
from lessonlib.polynomial import fit_polynomial

use_book_style()
device = get_device()

# The same 12 training and 200 validation points as in the overfitting example.
x_train, y_train, x_val, y_val = (t.to(device) for t in noisy_sine_split(12, 200, 0.3, dtype=torch.float64, seed=0))

degree = 11
P_train = polynomial_features(x_train, degree)
P_val = polynomial_features(x_val, degree)


def ridge(lam):
    """Minimise ½·mean((Pw − y)²) + (λ/2)·|w₁..w₁₁|², that is, solve (PᵀP/m + λD) w = Pᵀy/m, D = diag(0, 1, .., 1)."""
    return fit_polynomial(x_train, y_train, degree, lam=lam)


def mse(P, w, y):
    return ((P @ w - y) ** 2).mean().item()


lams = [10.0**k for k in range(-9, 2)]
rows = [(lam, ridge(lam)) for lam in lams]
train_err = [mse(P_train, w, y_train) for _, w in rows]
val_err = [mse(P_val, w, y_val) for _, w in rows]
print("     λ    train MSE   val MSE   |w| (without the constant)")
for (lam, w), tr, va in zip(rows, train_err, val_err):
    print(f"{lam:6.0e}   {tr:9.3f}   {va:7.3f}   {w[1:].norm().item():10.3g}")
best = min(range(len(lams)), key=lambda i: val_err[i])
print(f"lowest validation error at λ = {lams[best]:.0e}")
norms = [w[1:].norm().item() for _, w in rows]
publish(best_lambda_log10=round(math.log10(lams[best])), val_mse_best=val_err[best], weight_norm_best=norms[best],
        val_mse_weakest=val_err[0], weight_norm_weakest=norms[0],  # λ = 1e-9
        train_mse_strongest=train_err[-1], val_mse_strongest=val_err[-1])  # λ = 10

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
grid = torch.linspace(-1, 1, 400, dtype=torch.float64, device=device)
P_grid = polynomial_features(grid, degree)
left.plot(grid.cpu(), torch.sin(torch.pi * grid).cpu(), color="0.6", ls="--", lw=1.5, label="the truth, sin(πx)")
for lam, colour, label in [(1e-9, "C1", "λ = 1e-9: overfits"), (1e-3, "C2", "λ = 1e-3: about right"),
                          (1.0, "C0", "λ = 1: underfits")]:
    left.plot(grid.cpu(), (P_grid @ ridge(lam)).cpu().round(decimals=4), color=colour, label=label)
left.plot(x_train.cpu(), y_train.cpu(), "ko", ms=5)
left.set(ylim=(-2, 2), xlabel="x", ylabel="y", title="Degree 11, three penalty strengths")
left.legend(loc="lower right", fontsize=8)
right.plot(lams, [round(e, 4) for e in train_err], "o-", label="training")
right.plot(lams, [round(e, 4) for e in val_err], "s-", label="validation")
right.axvline(lams[best], color="0.5", ls=":", lw=1)
right.text(1e-8, 0.03, "overfitting", color="0.3")
right.text(3e-2, 0.03, "underfitting", color="0.3")
right.set(xscale="log", yscale="log", xlabel="penalty strength λ", ylabel="mean squared error",
          title="Error against penalty strength")
right.legend(loc="upper center")
savefig(fig, "ridge_strength")
