"""The bias-absorption trick: a column of ones turns XW + b into one matrix product, for any number of targets."""

import torch

from lessonlib.book.device import get_device
from lessonlib.data import linear_data
from lessonlib.linear import add_bias_column, fit_normal_equation

device = get_device()

X = torch.tensor([[2.0, 3.0], [4.0, 5.0], [6.0, 1.0]], device=device)
print("X̃ = [X 1] =")
print(add_bias_column(X).cpu())

# m = 50 examples, n = 3 features, t = 2 targets, made by a known W (3 × 2) and bias b = 0.5.
X, Y, W_true = linear_data(50, 3, noise=0.0, bias=0.5, t=2, seed=0)
X, Y = X.to(device, torch.float64), Y.to(device, torch.float64)  # float64: the fit's own rounding stays far below 1e-5
print(f"X: {tuple(X.shape)}, Y: {tuple(Y.shape)}, X̃: {tuple(add_bias_column(X).shape)}")

W = fit_normal_equation(X, Y)  # W̃ = [W; bᵀ], shape (n + 1) × t
same = fit_normal_equation(add_bias_column(X), Y, bias=False)  # the trick done by hand: no bias, one more column
print(f"W̃: {tuple(W.shape)}; its last row is the bias: {[round(v, 4) for v in W[-1].tolist()]}")
print(f"every entry within 1e-5 of the true W̃: {torch.allclose(W.cpu(), W_true.double(), atol=1e-5)}")
print(f"bias=True and [X 1] with bias=False give the same W̃: {torch.equal(W, same)}")
