"""Parameters and hyperparameters of a real model: what training learns, and what we choose before it starts."""

import torch

from lessonlib.book.device import get_device

device = get_device()
torch.manual_seed(0)

# Hyperparameters: chosen by us, before training, and fixed during it.
hyperparameters = {"hidden width": 16, "layers": 2, "learning rate": 0.05, "momentum": 0.9, "batch size": 32, "epochs": 20}

width = hyperparameters["hidden width"]
model = torch.nn.Sequential(torch.nn.Linear(4, width), torch.nn.ReLU(), torch.nn.Linear(width, 3)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=hyperparameters["learning rate"], momentum=hyperparameters["momentum"])

# Parameters: the numbers the learning algorithm changes at every step.
print("parameters (learned by gradient descent):")
for name, p in model.named_parameters():
    print(f"  {name:<9} shape {str(tuple(p.shape)):<8} {p.numel():3d} numbers, requires_grad={p.requires_grad}")
print(f"  total: {sum(p.numel() for p in model.parameters())} numbers")

print("hyperparameters (set by us, before training):")
for name, value in hyperparameters.items():
    print(f"  {name:<14} {value}")
group = optimizer.param_groups[0]
print(f"the optimizer keeps its own: lr={group['lr']}, momentum={group['momentum']}, weight_decay={group['weight_decay']}")
