"""Polynomials of growing degree fitted to 12 noisy points: training error falls, validation error turns up."""

import matplotlib.pyplot as plt
import torch

from lessonlib.data import noisy_sine
from lessonlib.device import get_device
from lessonlib.linear import polynomial_features
from lessonlib.plotting import savefig, use_book_style
from lessonlib.publish import publish

use_book_style()
device = get_device()

# y = sin(πx) + noise: 12 training points, roughly evenly spaced on [-1, 1], and 200 validation points
m_train, m_val, noise = 12, 200, 0.3
gen = torch.Generator().manual_seed(0)
x_train, y_train = noisy_sine(m_train, noise, jitter=0.1, dtype=torch.float64, generator=gen)
x_val, y_val = noisy_sine(m_val, noise, dtype=torch.float64, generator=gen)
x_train, y_train, x_val, y_val = (t.to(device) for t in (x_train, y_train, x_val, y_val))


def fit(degree):
    """Least-squares polynomial of the given degree (solved, never inverted)."""
    P = polynomial_features(x_train, degree)
    return torch.linalg.lstsq(P, y_train[:, None], driver="gelsd").solution[:, 0]


def mse(w, x, y):
    return ((polynomial_features(x, len(w) - 1) @ w - y) ** 2).mean().item()


degrees = list(range(12))
train_err, val_err, largest = [], [], []
print("degree   parameters   train MSE   val MSE   largest |weight|")
for d in degrees:
    w = fit(d)
    train_err.append(mse(w, x_train, y_train))
    val_err.append(mse(w, x_val, y_val))
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
    curve = (polynomial_features(grid, d) @ fit(d)).cpu().round(decimals=4)
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
