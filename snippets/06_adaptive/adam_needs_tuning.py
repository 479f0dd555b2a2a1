"""Adam still needs a learning rate: the same problem, 300 steps, five values of α."""

import torch

from lessonlib.device import get_device
from lessonlib.functions import rosenbrock
from lessonlib.optim import Adam
from lessonlib.publish import publish

device = get_device()

start = torch.tensor([-1.2, 1.0], dtype=torch.float64, device=device)
minimum = torch.tensor([1.0, 1.0], dtype=torch.float64, device=device)
distances = {}
print("   α        L after 300 steps    distance to the minimum (1, 1)")
for lr in [1e-4, 1e-3, 1e-2, 1e-1, 1.0]:
    w = start.clone().requires_grad_(True)
    opt = Adam([w], lr=lr)  # β₁, β₂ and ε at their defaults
    for _ in range(300):
        w.grad = rosenbrock.grad(w.detach())
        opt.step()
    distance = (w.detach() - minimum).norm().item()
    distances[lr] = distance
    print(f"{lr:6g}   {rosenbrock(w.detach()).item():18.2e}   {distance:30.3f}")

publish(start_distance=(start - minimum).norm(), distance_default=distances[1e-3],
        best_lr=min(distances, key=distances.get), distance_best=min(distances.values()))
