"""Regularising a model that underfits makes it worse: the diagnosis comes from the training error."""

import torch

from lessonlib.data import noisy_sine
from lessonlib.device import get_device
from lessonlib.linear import polynomial_features
from lessonlib.publish import publish

device = get_device()

# The same 12 training and 200 validation points as in the overfitting example
m_train, m_val, noise = 12, 200, 0.3
gen = torch.Generator().manual_seed(0)
x_train, y_train = noisy_sine(m_train, noise, jitter=0.1, dtype=torch.float64, generator=gen)
x_val, y_val = noisy_sine(m_val, noise, dtype=torch.float64, generator=gen)
x_train, y_train, x_val, y_val = (t.to(device) for t in (x_train, y_train, x_val, y_val))


def ridge(degree, lam):
    """Minimise ½·mean((Pw − y)²) + (λ/2)·|w without the constant|²."""
    P = polynomial_features(x_train, degree)
    if lam == 0:
        return torch.linalg.lstsq(P, y_train[:, None], driver="gelsd").solution[:, 0]
    D = torch.eye(degree + 1, dtype=torch.float64, device=device)
    D[0, 0] = 0.0
    return torch.linalg.solve(P.T @ P / m_train + lam * D, P.T @ y_train / m_train)


def mse(w, x, y):
    return ((polynomial_features(x, len(w) - 1) @ w - y) ** 2).mean().item()


errors = {}  # (degree, λ) -> (train MSE, val MSE)
print(f"model       λ        train MSE   val MSE      (the noise alone costs {noise**2:.2f})")
for degree in [1, 11]:
    for lam in [0.0, 1e-3, 1e-1]:
        w = ridge(degree, lam)
        errors[degree, lam] = train, val = mse(w, x_train, y_train), mse(w, x_val, y_val)
        print(f"degree {degree:2d}   {lam:6g}   {train:9.3f}   {val:7.3f}")
publish(line_train_mse=errors[1, 0.0][0], line_val_mse=errors[1, 0.0][1],
        line_train_mse_penalised=errors[1, 1e-1][0], line_val_mse_penalised=errors[1, 1e-1][1],
        degree_11_val_mse=errors[11, 0.0][1], degree_11_val_mse_penalised=errors[11, 1e-1][1],
        degree_11_val_mse_mild=errors[11, 1e-3][1])
