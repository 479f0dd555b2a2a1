"""Fit a line to noisy data with the normal equation, and look at what is left over: the residuals."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.data import linear_data
from lessonlib.linear import add_bias_column, fit_normal_equation, least_squares_loss, predict

use_book_style()
device = get_device()

X, Y, W_true = linear_data(30, 1, noise=0.5, bias=1.0, seed=1)  # m = 30 examples, n = 1 feature, t = 1 target
X, Y = X.to(device, torch.float64), Y.to(device, torch.float64)  # float64: digits that do not depend on the CPU
W = fit_normal_equation(X, Y)  # W̃ = [w; b]: the slope, then the bias
R = predict(X, W) - Y  # residuals, one per example

print(f"true:   w = {W_true[0].item():.3f}, b = {W_true[1].item():.3f}")
print(f"fitted: w = {W[0].item():.3f}, b = {W[1].item():.3f}")
print(f"loss L(W̃) = (1/2m)·Σ residual² = {least_squares_loss(X, Y, W).item():.4f}")
# The normal equation says X̃ᵀ R = 0: the residuals sum to zero and are uncorrelated with x.
print(f"X̃ᵀ R = {[round(v, 4) + 0.0 for v in (add_bias_column(X).T @ R).tolist()]}")

X, Y, R, W = X.cpu(), Y.cpu(), R.cpu(), W.cpu()
x = X[:, 0]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.9), gridspec_kw={"width_ratios": [3, 2]})
line = torch.linspace(x.min().item() - 0.2, x.max().item() + 0.2, 2)
left.vlines(x, Y, Y + R, color="C1", lw=1.2, label=r"residuals $\hat y_i - y_i$")
left.plot(x, Y, "o", color="C0", ms=5, label="data $(x_i, y_i)$")
left.plot(line, W[0] * line + W[1], "k-", lw=1.8, label=rf"fit $\hat y = {W[0]:.2f}\,x + {W[1]:.2f}$")
left.set(xlabel="$x$", ylabel="$y$", title="The least-squares line")
left.legend(loc="upper left", fontsize=9)
right.axhline(0, color="0.4", lw=1)
right.vlines(x, 0, R, color="C1", lw=1.2)
right.plot(x, R, "o", color="C1", ms=4)
right.set(xlabel="$x$", ylabel=r"residual $\hat y_i - y_i$", title="Residuals: no pattern left")
savefig(fig, "fitted_line")
