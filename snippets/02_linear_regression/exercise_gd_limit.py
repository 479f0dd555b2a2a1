"""Exercise: gradient descent reaches the normal equation's answer, if its step is below 2 / λ_max(X̃ᵀX̃/m)."""

import torch

from lessonlib.book.device import get_device
from lessonlib.data import linear_data
from lessonlib.linear import add_bias_column, fit_gradient_descent, fit_normal_equation

device = get_device()

X, Y, _ = linear_data(200, 5, noise=0.1, bias=2.0, seed=0)
X, Y = X.to(device, torch.float64), Y.to(device, torch.float64)
X_tilde = add_bias_column(X)
m = X.shape[0]
lam_max = torch.linalg.eigvalsh(X_tilde.T @ X_tilde / m).max().item()
limit = 2 / lam_max
print(f"λ_max(X̃ᵀX̃/m) = {lam_max:.4f}, so the step must be below 2/λ_max = {limit:.4f}")

W_star = fit_normal_equation(X, Y)
for lr in [0.5 * limit, 0.95 * limit, 1.05 * limit]:
    W, losses = fit_gradient_descent(X, Y, lr=lr, n_steps=500)
    distance = (W - W_star).norm().item()
    shown = "below 1e-12" if distance < 1e-12 else f"{distance:.2e}"
    print(f"α = {lr:.4f} ({lr / limit:.2f} of the limit): distance to the normal equation's W̃ after 500 steps {shown}")
