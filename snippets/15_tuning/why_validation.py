"""Why hyperparameters are chosen on validation data: the training loss always prefers no regularisation."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.linear import fit_ridge, polynomial_features, predict

use_book_style()
device = get_device()

# 15 noisy training points of a sine and 200 validation points; a degree-9 polynomial can fit the noise.
gen = torch.Generator().manual_seed(0)
x_train, x_val = torch.rand(15, generator=gen) * 2 - 1, torch.rand(200, generator=gen) * 2 - 1
y_train = torch.sin(torch.pi * x_train) + 0.3 * torch.randn(15, generator=gen)
y_val = torch.sin(torch.pi * x_val) + 0.3 * torch.randn(200, generator=gen)


def features(x):
    """x, x², ..., x⁹ as the columns of a matrix (the bias is added by fit_ridge)."""
    return polynomial_features(x, 9, include_bias=False).to(device, torch.float64)


def mse(x, y, W):
    return ((predict(features(x), W) - y.to(device, torch.float64)) ** 2).mean().item()


lams = [10.0**k for k in range(-6, 3)]
train_mse, val_mse = [], []
print("  lambda   training MSE   validation MSE")
for lam in lams:
    W = fit_ridge(features(x_train), y_train.to(device, torch.float64), lam)  # ridge regression, λ = lam
    train_mse.append(mse(x_train, y_train, W))
    val_mse.append(mse(x_val, y_val, W))
    print(f"{lam:8.0e}   {train_mse[-1]:12.4f}   {val_mse[-1]:14.4f}")
best_train = lams[min(range(len(lams)), key=train_mse.__getitem__)]
best_val = lams[min(range(len(lams)), key=val_mse.__getitem__)]
print(f"the training loss picks lambda = {best_train:.0e}, the validation loss picks lambda = {best_val:.0e}")
publish(train_mse_weakest=train_mse[0], train_mse_strongest=train_mse[-1], val_mse_weakest=val_mse[0],
        val_mse_best=min(val_mse), lambda_best_training=best_train, lambda_best_validation=best_val)

fig, ax = plt.subplots()
ax.plot(lams, train_mse, "o-", label="training MSE")
ax.plot(lams, val_mse, "s-", label="validation MSE")
ax.plot([best_val], [min(val_mse)], "*", ms=16, color="C1", mec="black", label="best on validation")
ax.set(xscale="log", yscale="log", xlabel="ridge strength λ", ylabel="mean squared error",
       title="Degree-9 polynomial, 15 training points")
ax.legend()
savefig(fig, "why_validation")
