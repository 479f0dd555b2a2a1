"""Polynomials of growing degree fitted to 12 noisy points: training error falls, validation error turns up."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import noisy_sine_split
from lessonlib.losses import mse_loss
from lessonlib.polynomial import evaluate_polynomial, fit_polynomial

use_book_style()
device = get_device()

# y = sin(πx) + noise: 12 training points, roughly evenly spaced on [-1, 1], and 200 validation points
m_train, m_val, noise = 12, 200, 0.3
data = noisy_sine_split(m_train, m_val, noise, dtype=torch.float64, seed=0)
x_train, y_train, x_val, y_val = (t.to(device) for t in data)


degrees = list(range(12))
train_err, val_err, largest = [], [], []
print("degree   parameters   train MSE   val MSE   largest |weight|")
for d in degrees:
    w = fit_polynomial(x_train, y_train, d)  # least squares (solved, never inverted)
    train_err.append(mse_loss(evaluate_polynomial(w, x_train), y_train).item())
    val_err.append(mse_loss(evaluate_polynomial(w, x_val), y_val).item())
    largest.append(w.abs().max().item())
    print(f"{d:6d}   {d + 1:10d}   {train_err[-1]:9.3f}   {val_err[-1]:7.3f}   {largest[-1]:16.3g}")
best = min(degrees, key=lambda d: val_err[d])
print(f"lowest validation error: degree {best}; the noise alone costs {noise**2:.2f}")
publish(best_degree=best, val_mse_best=val_err[best], largest_weight_degree_3=largest[3],
        val_mse_degree_11=val_err[11], largest_weight_degree_11=largest[11])

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
grid = torch.linspace(-1, 1, 400, dtype=torch.float64, device=device)
left.plot(grid.cpu(), torch.sin(torch.pi * grid).cpu(), color="0.6", ls="--", lw=1.5, label="the truth, sin(πx)")
for d, colour in [(1, "C0"), (3, "C2"), (11, "C1")]:
    curve = evaluate_polynomial(fit_polynomial(x_train, y_train, d), grid).cpu().round(decimals=4)
    left.plot(grid.cpu(), curve, color=colour, label=f"degree {d}")
left.plot(x_train.cpu(), y_train.cpu(), "ko", ms=5, label="12 training points")
left.set(ylim=(-2, 2), xlabel="x", ylabel="y", title="Three fits to the same 12 points")
left.legend(loc="lower right", fontsize=8)
floor = 1e-3  # degree 11 passes through every training point: a training error of 0, off a log scale
right.plot(degrees, [max(round(e, 4), floor) for e in train_err], "o-", label="training")
right.plot(degrees, [round(e, 4) for e in val_err], "s-", label="validation")
right.axvline(best, color="0.5", ls=":", lw=1)
right.annotate("0", (11, floor), textcoords="offset points", xytext=(0, 8), ha="center", color="C0")
right.set(yscale="log", ylim=(floor / 1.5, 10), xlabel="polynomial degree", ylabel="mean squared error",
          title="Error against model size")
right.legend(loc="upper left")
savefig(fig, "overfitting_degree")
