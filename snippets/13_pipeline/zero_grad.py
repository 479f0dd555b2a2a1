"""Gradients accumulate in p.grad: why zero_grad comes once per step, and what accumulation is good for."""

import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
model = nn.Linear(8, 3).double()  # float64: the printed digits do not depend on the machine's rounding
X, y = torch.randn(32, 8, dtype=torch.float64), torch.randint(0, 3, (32,))

# backward() ADDS the new gradient to whatever p.grad already holds.
F.cross_entropy(model(X), y).backward()
once = model.weight.grad.clone()
F.cross_entropy(model(X), y).backward()  # the same batch again, no zero_grad in between
print(f"after one backward: {once.norm():.4f}; after two: {model.weight.grad.norm():.4f} "
      f"(ratio {model.weight.grad.norm() / once.norm():.4f})")

model.zero_grad()  # set_to_none=True by default: the next backward writes a fresh gradient
print("after zero_grad, weight.grad is", model.weight.grad)

# The same rule, used on purpose: four micro-batches of 8, each loss divided by 4,
# add up to the gradient of the whole batch of 32 (gradient accumulation).
F.cross_entropy(model(X), y).backward()
full = model.weight.grad.clone()
model.zero_grad()
for X_micro, y_micro in zip(X.split(8), y.split(8)):
    (F.cross_entropy(model(X_micro), y_micro) / 4).backward()
print("four accumulated micro-batches give the batch gradient:", torch.allclose(model.weight.grad, full, atol=1e-6))
