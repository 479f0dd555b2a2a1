"""Exercise: with no gradient from the data, weight decay halves a weight in ln 2/−ln(1 − αλ) steps."""

import math

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.optim import SGD

device = get_device()
torch.set_num_threads(1)  # tiny tensors: one thread is fastest
lr, lam = 0.1, 0.01
half_life = math.log(2) / -math.log(1 - lr * lam)
print(f"predicted half-life: {half_life:.1f} steps (about ln 2/(αλ) = {math.log(2) / (lr * lam):.1f})")

w = torch.tensor([1.0], dtype=torch.float64, device=device, requires_grad=True)
opt = SGD([w], lr=lr, weight_decay=lam)
steps = 0
while w.item() > 0.5:
    w.grad = torch.zeros_like(w)  # the data pull nothing: only the decay acts
    opt.step()
    steps += 1
print(f"measured: the weight first drops below 0.5 after {steps} steps (w = {w.item():.4f})")
publish(half_life=half_life, steps_below_half=steps)
