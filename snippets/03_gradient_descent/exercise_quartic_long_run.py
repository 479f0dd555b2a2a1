"""Exercise: gradient descent on w⁴ − 3w³ + 2 from w = −1.5 with α = 0.001, for 5000 steps."""

import torch

from lessonlib.book.device import get_device
from lessonlib.descent import gradient_descent
from lessonlib.functions import quartic

device = get_device()

run = gradient_descent(quartic, quartic.grad, torch.tensor([-1.5], dtype=torch.float64, device=device), lr=0.001, steps=5000)
for t in [0, 1, 10, 100, 1000, 5000]:
    w = run.w[t, 0].item()
    print(f"t = {t:4d}: w = {w:+.5f}, L'(w) = {4 * w**3 - 9 * w**2:+.5f}")
