"""A two-layer network on scalars with lessonlib.autograd.Value, its gradients printed beside torch.autograd's."""

import random

import torch

from lessonlib.autograd import Value
from lessonlib.book.device import get_device

device = get_device()
rng = random.Random(0)

# A 3-2-1 network: tanh hidden units, a ReLU output, a log-cosh-like loss that uses exp, log, / and −.
x_data = [0.5, -1.2, 2.0]
W1_data = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(2)]
b1_data = [rng.uniform(-1, 1) for _ in range(2)]
w2_data = [rng.uniform(-1, 1) for _ in range(2)]
b2_data, target = 0.8, 0.25


def loss_fn(x, W1, b1, w2, b2):
    h = [sum((W1[j][i] * x[i] for i in range(3)), b1[j]).tanh() for j in range(2)]
    out = sum((w2[j] * h[j] for j in range(2)), b2).relu()
    d = out - target
    return ((d.exp() + (-d).exp()) / 2).log()  # log cosh(d): like d²/2 near 0, like |d| far away


# Our engine.
params = [Value(v) for v in sum(W1_data, []) + b1_data + w2_data + [b2_data]]
W1, b1, w2, b2 = [params[0:3], params[3:6]], params[6:8], params[8:10], params[10]
L = loss_fn([Value(v) for v in x_data], W1, b1, w2, b2)
L.backward()

# PyTorch, the same numbers in float64.
t = torch.tensor([p.data for p in params], dtype=torch.float64, device=device, requires_grad=True)
x_t = torch.tensor(x_data, dtype=torch.float64, device=device)
W1_t, b1_t, w2_t, b2_t = t[0:6].reshape(2, 3), t[6:8], t[8:10], t[10]
h_t = torch.tanh(W1_t @ x_t + b1_t)
d_t = torch.relu(w2_t @ h_t + b2_t) - target
L_t = torch.log(torch.cosh(d_t))
L_t.backward()

labels = [f"W1[{j}][{i}]" for j in range(2) for i in range(3)] + ["b1[0]", "b1[1]", "w2[0]", "w2[1]", "b2"]
print(f"loss: Value {L.data:.8f}   torch {L_t.item():.8f}")
print(f"{'parameter':<10}{'Value grad':>16}{'torch grad':>16}")
for label, p, g in zip(labels, params, t.grad.tolist()):
    print(f"{label:<10}{p.grad:>16.8f}{g:>16.8f}")
worst = max(abs(p.grad - g) for p, g in zip(params, t.grad.tolist()))
print(f"all agree to within 1e-12: {worst < 1e-12}")
