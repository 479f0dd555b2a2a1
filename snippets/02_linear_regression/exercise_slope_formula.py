"""Exercise: the normal equation for one feature, solved by hand, checked against fit_normal_equation."""

import torch

from lessonlib.book.device import get_device
from lessonlib.data import linear_data
from lessonlib.linear import fit_normal_equation

device = get_device()

X, Y, _ = linear_data(30, 1, noise=0.5, bias=1.0, seed=1)  # the data of the fitted-line figure
X, Y = X.to(device, torch.float64), Y.to(device, torch.float64)  # float64: digits that do not depend on the CPU
x = X[:, 0]

# By hand: w = Σ (xᵢ − x̄)(yᵢ − ȳ) / Σ (xᵢ − x̄)²  and  b = ȳ − w x̄.
w = ((x - x.mean()) * (Y - Y.mean())).sum() / ((x - x.mean()) ** 2).sum()
b = Y.mean() - w * x.mean()
W = fit_normal_equation(X, Y)
print(f"by hand:             w = {w.item():.4f}, b = {b.item():.4f}")
print(f"fit_normal_equation: w = {W[0].item():.4f}, b = {W[1].item():.4f}")
