"""Polynomials of growing degree fitted to 12 noisy points: training error falls, validation error turns up."""

import matplotlib.pyplot as plt
import torch

from lessonlib.device import get_device
from lessonlib.plotting import savefig, use_book_style

use_book_style()
device = get_device()
gen = torch.Generator().manual_seed(0)


def truth(x):
    return torch.sin(torch.pi * x)


# 12 training points, roughly evenly spaced on [-1, 1], and 200 validation points from the same source
m_train, m_val, noise = 12, 200, 0.3
f64 = torch.float64
jitter = 0.1 * (torch.rand(m_train, generator=gen, dtype=f64) - 0.5)
x_train = torch.linspace(-1, 1, m_train, dtype=f64) + jitter
y_train = truth(x_train) + noise * torch.randn(m_train, generator=gen, dtype=f64)
x_val = 2 * torch.rand(m_val, generator=gen, dtype=f64) - 1
y_val = truth(x_val) + noise * torch.randn(m_val, generator=gen, dtype=f64)
x_train, y_train, x_val, y_val = (t.to(device) for t in (x_train, y_train, x_val, y_val))


def features(x, degree):
    """The columns 1, x, x², ..., x^degree."""
    return torch.stack([x**k for k in range(degree + 1)], dim=1)


def fit(degree):
    """Least-squares polynomial of the given degree (solved, never inverted)."""
    P = features(x_train, degree)
    return torch.linalg.lstsq(P, y_train[:, None], driver="gelsd").solution[:, 0]


def mse(w, x, y):
    return ((features(x, len(w) - 1) @ w - y) ** 2).mean().item()


degrees = list(range(12))
train_err, val_err = [], []
print("degree   parameters   train MSE   val MSE   largest |weight|")
for d in degrees:
    w = fit(d)
    train_err.append(mse(w, x_train, y_train))
    val_err.append(mse(w, x_val, y_val))
    largest = w.abs().max().item()
    print(f"{d:6d}   {d + 1:10d}   {train_err[-1]:9.3f}   {val_err[-1]:7.3f}   {largest:16.3g}")
best = min(degrees, key=lambda d: val_err[d])
print(f"lowest validation error: degree {best}; the noise alone costs {noise**2:.2f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
grid = torch.linspace(-1, 1, 400, dtype=torch.float64, device=device)
left.plot(grid.cpu(), truth(grid).cpu(), color="0.6", ls="--", lw=1.5, label="the truth, sin(πx)")
for d, colour in [(1, "C0"), (3, "C2"), (11, "C1")]:
    curve = (features(grid, d) @ fit(d)).cpu().round(decimals=4)
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
