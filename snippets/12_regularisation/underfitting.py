"""Regularising a model that underfits makes it worse: the diagnosis comes from the training error."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.data import noisy_sine_split
from lessonlib.losses import mse_loss
from lessonlib.polynomial import evaluate_polynomial, fit_polynomial

device = get_device()

# The same 12 training and 200 validation points as in the overfitting example
noise = 0.3
x_train, y_train, x_val, y_val = (t.to(device) for t in noisy_sine_split(12, 200, noise, dtype=torch.float64, seed=0))


def mse(w, x, y):
    return mse_loss(evaluate_polynomial(w, x), y).item()


errors = {}  # (degree, λ) -> (train MSE, val MSE)
print(f"model       λ        train MSE   val MSE      (the noise alone costs {noise**2:.2f})")
for degree in [1, 11]:
    for lam in [0.0, 1e-3, 1e-1]:
        w = fit_polynomial(x_train, y_train, degree, lam=lam)  # minimises ½·mean((Pw − y)²) + (λ/2)·|w₁..w_d|²
        errors[degree, lam] = train, val = mse(w, x_train, y_train), mse(w, x_val, y_val)
        print(f"degree {degree:2d}   {lam:6g}   {train:9.3f}   {val:7.3f}")
publish(line_train_mse=errors[1, 0.0][0], line_val_mse=errors[1, 0.0][1],
        line_train_mse_penalised=errors[1, 1e-1][0], line_val_mse_penalised=errors[1, 1e-1][1],
        degree_11_val_mse=errors[11, 0.0][1], degree_11_val_mse_penalised=errors[11, 1e-1][1],
        degree_11_val_mse_mild=errors[11, 1e-3][1])
