"""Exercise: a parabola is still linear regression, because the model is linear in W."""

import torch

from lessonlib.book.device import get_device
from lessonlib.linear import fit_normal_equation, least_squares_loss

device = get_device()
g = torch.Generator().manual_seed(0)

x = torch.linspace(-3, 3, 40, dtype=torch.float64)
y = 1.0 - 2.0 * x + 0.5 * x**2 + 0.3 * torch.randn(40, generator=g, dtype=torch.float64)
x, y = x.to(device), y.to(device)

X_line = x[:, None]  # one feature: x
X_parabola = torch.stack([x, x**2], dim=1)  # two features: x and x²; the model ŷ = w₁x + w₂x² + b
for name, X in [("line     ", X_line), ("parabola ", X_parabola)]:
    W = fit_normal_equation(X, y)
    print(f"{name} W̃ = {[round(v, 3) for v in W.tolist()]}, loss = {least_squares_loss(X, y, W).item():.4f}")
print("true      w₁ = -2.0, w₂ = 0.5, b = 1.0")
