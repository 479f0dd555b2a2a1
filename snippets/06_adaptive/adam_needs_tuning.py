"""Adam still needs a learning rate: the same problem, 300 steps, five values of α."""

import torch

from lessonlib.device import get_device
from lessonlib.functions import rosenbrock
from lessonlib.optim import Adam

device = get_device()

print("   α        L after 300 steps    distance to the minimum (1, 1)")
for lr in [1e-4, 1e-3, 1e-2, 1e-1, 1.0]:
    w = torch.tensor([-1.2, 1.0], dtype=torch.float64, device=device, requires_grad=True)
    opt = Adam([w], lr=lr)  # β₁, β₂ and ε at their defaults
    for _ in range(300):
        w.grad = rosenbrock.grad(w.detach())
        opt.step()
    distance = (w.detach() - torch.tensor([1.0, 1.0], dtype=torch.float64, device=device)).norm().item()
    print(f"{lr:6g}   {rosenbrock(w.detach()).item():18.2e}   {distance:30.3f}")
