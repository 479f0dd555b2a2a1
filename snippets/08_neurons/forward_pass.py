"""A forward pass in plain code: two matrix products, a ReLU and a softmax, checked against nn.Sequential."""

import torch
from torch import nn

from lessonlib.activations import relu, softmax
from lessonlib.book.device import get_device

device = get_device()
torch.manual_seed(0)


def forward(x, W1, b1, W2, b2):
    z1 = x @ W1 + b1  # layer 1: pre-activations, shape (batch, hidden)
    a1 = relu(z1)  # its activations
    z2 = a1 @ W2 + b2  # layer 2: the logits, shape (batch, classes)
    return softmax(z2, dim=1)  # probabilities: each row sums to 1


n, hidden, classes = 4, 5, 3
f64 = dict(dtype=torch.float64, device=device)  # float64: the printed digits do not depend on the CPU's kernels
W1, b1 = torch.randn(n, hidden, **f64), torch.randn(hidden, **f64)
W2, b2 = torch.randn(hidden, classes, **f64), torch.randn(classes, **f64)
x = torch.randn(2, n, **f64)  # two examples, one per row

p = forward(x, W1, b1, W2, b2)
for i, row in enumerate(p.tolist()):
    print(f"example {i}: p = [" + ", ".join(f"{v:.4f}" for v in row) + f"], sum {sum(row):.4f}")

# The same network as PyTorch modules. nn.Linear stores its weight as (out, in)
# and computes x @ weight.T + bias, so we hand it the transposes.
model = nn.Sequential(nn.Linear(n, hidden), nn.ReLU(), nn.Linear(hidden, classes), nn.Softmax(dim=1)).to(device, torch.float64)
with torch.no_grad():
    model[0].weight.copy_(W1.T), model[0].bias.copy_(b1)
    model[2].weight.copy_(W2.T), model[2].bias.copy_(b2)
    print("same as nn.Sequential:", torch.allclose(model(x), p, atol=1e-6))
