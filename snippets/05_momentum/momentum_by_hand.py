"""Momentum by hand and with lessonlib.optim.SGD: five steps on L(w) = w² from w = 1."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.optim import SGD

device = get_device()
lr, beta = 0.1, 0.9

# By hand: v_t = β v_{t-1} + g_t, then w_t = w_{t-1} - α v_t (with v_0 = 0).
w, v = 1.0, 0.0
by_hand, gs, vs = [], [], []
print(" t     g_t     v_t     w_t")
for t in range(1, 6):
    g = 2 * w  # dL/dw for L(w) = w²
    v = beta * v + g
    w = w - lr * v
    by_hand.append(w)
    gs.append(g)
    vs.append(v)
    print(f"{t:2d}  {g:+.4f} {v:+.4f} {w:+.4f}")

# The same five steps with the optimizer a training loop would use.
theta = torch.tensor([1.0], dtype=torch.float64, device=device, requires_grad=True)
opt = SGD([theta], lr=lr, momentum=beta)
for _ in range(5):
    opt.zero_grad()
    (theta**2).sum().backward()
    opt.step()
print(f"lessonlib SGD after 5 steps: w = {theta.item():+.4f} (by hand: {by_hand[-1]:+.4f})")

# The steps the prose describes: the velocity grows until step `peak`, w crosses 0 at step `crossed`, and the
# gradient first points back at step `braking` (steps count from 1).
peak = max(range(5), key=lambda i: vs[i]) + 1
crossed = next(t for t, w_t in enumerate(by_hand, start=1) if w_t < 0)
braking = next(t for t, g_t in enumerate(gs, start=1) if g_t < 0)
publish(velocity_peak_step=peak, crossing_step=crossed, braking_step=braking, w_final=theta)
