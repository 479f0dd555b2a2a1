"""One gradient step on L(w) = w⁴ − 3w³ + 2 from w = −1.5, by hand and by autograd."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish

device = get_device()

w = torch.tensor(-1.5, dtype=torch.float64, device=device, requires_grad=True)
lr = 0.001

loss = w**4 - 3 * w**3 + 2
loss.backward()  # autograd computes dL/dw

by_hand = 4 * (-1.5) ** 3 - 9 * (-1.5) ** 2  # L'(w) = 4w³ − 9w², with the sign of w kept
print(f"L(-1.5)            = {loss.item():.4f}")
print(f"dL/dw by hand      = {by_hand:.4f}")
print(f"dL/dw by autograd  = {w.grad.item():.4f}")

with torch.no_grad():
    w_next = w - lr * w.grad
print(f"next w = -1.5 - 0.001 * ({w.grad.item():.2f}) = {w_next.item():.5f}")

# The slip to avoid: 4(1.5)³ drops the sign of w and gives a different number.
print(f"4 * 1.5**3 - 9 * 1.5**2 = {4 * 1.5**3 - 9 * 1.5**2:.4f}  (wrong: the sign of w was dropped)")

publish(gradient=w.grad, w_next=w_next)
