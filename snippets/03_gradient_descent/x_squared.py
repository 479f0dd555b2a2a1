"""Gradient descent on L(w) = w², from w = 5 with learning rate 0.1, for 20 steps."""

import torch

from lessonlib.book.device import get_device

device = get_device()

w = torch.tensor(5.0, dtype=torch.float64, device=device)
lr = 0.1

print(" t         w_t      L(w_t)")
print(f"{0:2d}  {w.item():10.6f}  {(w**2).item():10.6f}")
for t in range(1, 21):
    grad = 2 * w  # dL/dw for L(w) = w²
    w = w - lr * grad  # the update rule
    print(f"{t:2d}  {w.item():10.6f}  {(w**2).item():10.6f}")

# Each step multiplies w by (1 - 2·lr) = 0.8, so after 20 steps w = 5 · 0.8²⁰.
print(f"5 * 0.8**20 = {5 * 0.8**20:.6f}")
print(f"w_20 equals it to 12 decimals: {abs(w.item() - 5 * 0.8**20) < 1e-12}")
