"""Exercise: the largest stable learning rate for L(w) = 3w², found by the formula and checked by running."""

import torch

from lessonlib.book.device import get_device
from lessonlib.descent import gradient_descent

device = get_device()

curvature = 6.0  # L''(w) = 6
limit = 2 / curvature
print(f"stability limit 2/L'' = {limit:.4f}")

for lr in [0.30, 0.33, 0.34, 0.40]:
    run = gradient_descent(lambda w: 3 * w**2, lambda w: 6 * w, torch.tensor(1.0, dtype=torch.float64, device=device), lr=lr, steps=50)
    verdict = "converges" if abs(run.final.item()) < 1 else "diverges"
    print(f"α = {lr:.2f}: |w_50| = {abs(run.final.item()):.3e}  {verdict}")
