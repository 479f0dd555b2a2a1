"""Regularising a model that underfits makes it worse: the diagnosis comes from the training error."""

import torch

from lessonlib.device import get_device

device = get_device()
gen = torch.Generator().manual_seed(0)


def truth(x):
    return torch.sin(torch.pi * x)


# The same 12 training and 200 validation points as in the overfitting example
m_train, m_val, noise = 12, 200, 0.3
f64 = torch.float64
jitter = 0.1 * (torch.rand(m_train, generator=gen, dtype=f64) - 0.5)
x_train = torch.linspace(-1, 1, m_train, dtype=f64) + jitter
y_train = truth(x_train) + noise * torch.randn(m_train, generator=gen, dtype=f64)
x_val = 2 * torch.rand(m_val, generator=gen, dtype=f64) - 1
y_val = truth(x_val) + noise * torch.randn(m_val, generator=gen, dtype=f64)
x_train, y_train, x_val, y_val = (t.to(device) for t in (x_train, y_train, x_val, y_val))


def features(x, degree):
    return torch.stack([x**k for k in range(degree + 1)], dim=1)


def ridge(degree, lam):
    """Minimise ½·mean((Pw − y)²) + (λ/2)·|w without the constant|²."""
    P = features(x_train, degree)
    if lam == 0:
        return torch.linalg.lstsq(P, y_train[:, None], driver="gelsd").solution[:, 0]
    D = torch.eye(degree + 1, dtype=torch.float64, device=device)
    D[0, 0] = 0.0
    return torch.linalg.solve(P.T @ P / m_train + lam * D, P.T @ y_train / m_train)


def mse(w, x, y):
    return ((features(x, len(w) - 1) @ w - y) ** 2).mean().item()


print(f"model       λ        train MSE   val MSE      (the noise alone costs {noise**2:.2f})")
for degree in [1, 11]:
    for lam in [0.0, 1e-3, 1e-1]:
        w = ridge(degree, lam)
        train, val = mse(w, x_train, y_train), mse(w, x_val, y_val)
        print(f"degree {degree:2d}   {lam:6g}   {train:9.3f}   {val:7.3f}")
