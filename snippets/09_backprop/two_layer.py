"""The backward pass of a two-layer tanh network in matrix form, checked against torch.autograd."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish

device = get_device()
gen = torch.Generator().manual_seed(0)


def randn(*shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(device)


m, n, k, t = 8, 3, 4, 2  # examples, inputs, hidden units, outputs
X, Y = randn(m, n), randn(m, t)
W1, b1, W2, b2 = randn(n, k), randn(k), randn(k, t), randn(t)

# Forward, keeping what the backward pass needs.
Z1 = X @ W1 + b1
A = torch.tanh(Z1)
Y_hat = A @ W2 + b2
L = ((Y_hat - Y) ** 2).mean()

# Backward, from the loss to the input, one matrix at a time.
Delta2 = 2 * (Y_hat - Y) / (m * t)  # 1. dL/dY_hat
dW2, db2 = A.T @ Delta2, Delta2.sum(dim=0)  # 2. the second layer's parameters ...
dA = Delta2 @ W2.T  # ... and the gradient it passes back
Delta1 = dA * (1 - A**2)  # 3. through tanh: an elementwise product with its slope
dW1, db1 = X.T @ Delta1, Delta1.sum(dim=0)  # 4. the first layer's parameters

# torch.autograd on the same numbers.
leaves = [v.clone().requires_grad_() for v in (W1, b1, W2, b2)]
W1t, b1t, W2t, b2t = leaves
L_t = (((torch.tanh(X @ W1t + b1t) @ W2t + b2t) - Y) ** 2).mean()
L_t.backward()

print(f"m = {m} examples, n = {n} inputs, k = {k} hidden units, t = {t} outputs")
print(f"loss agrees with autograd to 1e-12: {abs(L.item() - L_t.item()) < 1e-12}")
for name, ours, leaf in zip(["dL/dW1", "dL/db1", "dL/dW2", "dL/db2"], [dW1, db1, dW2, db2], leaves):
    worst = (ours - leaf.grad).abs().max().item()
    print(f"  {name:<8}{str(tuple(ours.shape)):<8}autograd agrees to 1e-12: {worst < 1e-12}")

publish(loss=L, dW1_norm=dW1.norm(), db1_norm=db1.norm(), dW2_norm=dW2.norm(), db2_norm=db2.norm())
