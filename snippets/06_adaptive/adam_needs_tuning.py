"""Adam still needs a learning rate: the same problem, 300 steps, five values of α."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.descent import optimizer_path
from lessonlib.functions import rosenbrock
from lessonlib.optim import Adam

device = get_device()

start = torch.tensor([-1.2, 1.0], dtype=torch.float64, device=device)
minimum = torch.tensor([1.0, 1.0], dtype=torch.float64, device=device)
distances = {}
print("   α        L after 300 steps    distance to the minimum (1, 1)")
for lr in [1e-4, 1e-3, 1e-2, 1e-1, 1.0]:
    w = start.clone().requires_grad_(True)
    path = optimizer_path(rosenbrock, w, Adam([w], lr=lr), 300, grad=rosenbrock.grad)  # β₁, β₂ and ε at their defaults
    distance = (path.final - minimum).norm().item()
    distances[lr] = distance
    print(f"{lr:6g}   {path.loss[-1].item():18.2e}   {distance:30.3f}")

publish(start_distance=(start - minimum).norm(), distance_default=distances[1e-3],
        best_lr=min(distances, key=distances.get), distance_best=min(distances.values()))
