"""Exercise: how long does gradient descent take to leave the saddle w₁² − w₂² from (1, 10⁻⁸) with α = 0.1?"""

import math

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.functions import saddle

device = get_device()

# By hand: each step multiplies w₂ by 1 + 2α = 1.2, so w₂ = 10⁻⁸ · 1.2^t, and |w₂| > 1 once t > ln(10⁸) / ln(1.2).
predicted = math.floor(math.log(1e8) / math.log(1.2)) + 1

# By running it.
w, t = torch.tensor([1.0, 1e-8], dtype=torch.float64, device=device), 0
while abs(w[1].item()) <= 1:
    w = w - 0.1 * saddle.grad(w)
    t += 1

print(f"predicted: {predicted} steps, counted: {t} steps")
print(f"there w = ({w[0].item():.2e}, {w[1].item():.3f}): w₁ reached the saddle long before w₂ left it")
publish(predicted_steps=predicted, counted_steps=t)
