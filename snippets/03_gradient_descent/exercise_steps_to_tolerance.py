"""Exercise: how many steps does gradient descent on w² need, from w = 5 with α = 0.1, to reach |w| < 10⁻³?"""

import math

import torch

from lessonlib.book.device import get_device

device = get_device()

# By hand: w_t = 5 · 0.8^t, so we need 0.8^t < 10⁻³ / 5, that is t > log(2·10⁻⁴) / log(0.8).
predicted = math.ceil(math.log(1e-3 / 5) / math.log(0.8))

# By running it.
w, t = torch.tensor(5.0, dtype=torch.float64, device=device), 0
while abs(w.item()) >= 1e-3:
    w = w - 0.1 * (2 * w)
    t += 1

print(f"predicted: {predicted} steps, counted: {t} steps, |w_{t}| = {abs(w.item()):.2e}")
