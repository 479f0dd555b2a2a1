"""Backpropagation through a linear layer Z = XW + b in matrix form, checked against torch.autograd and the scalar engine."""

import torch

from lessonlib.autograd import Value
from lessonlib.book.device import get_device
from lessonlib.book.publish import publish

device = get_device()
f64 = dict(dtype=torch.float64, device=device)
gen = torch.Generator().manual_seed(0)


def randn(*shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(device)


def layer_gradients(X, W, Delta):
    """The backward pass of Z = XW + b, given Delta = dL/dZ: (dL/dW, dL/dX, dL/db)."""
    return X.T @ Delta, Delta @ W.T, Delta.sum(dim=0)


# A layer with m = 5 examples (the rows of X), n = 3 inputs and k = 2 outputs; a mean-squared-error loss.
m, n, k = 5, 3, 2
X, W, b, Y = randn(m, n), randn(n, k), randn(k), randn(m, k)
Z = X @ W + b  # the forward pass; b is added to every row
Delta = 2 * (Z - Y) / (m * k)  # dL/dZ for L = mean of (Z - Y)², one entry per entry of Z
dW, dX, db = layer_gradients(X, W, Delta)

# torch.autograd on the same numbers, for comparison.
Xt, Wt, bt = (v.clone().requires_grad_() for v in (X, W, b))
((Xt @ Wt + bt - Y) ** 2).mean().backward()

print(f"One layer: m = {m} examples, n = {n} inputs, k = {k} outputs; Delta = dL/dZ is {tuple(Delta.shape)}")
checks = [
    ("dL/dW = X^T Delta", f"{tuple(X.T.shape)} @ {tuple(Delta.shape)}", dW, Wt, "W"),
    ("dL/dX = Delta W^T", f"{tuple(Delta.shape)} @ {tuple(W.T.shape)}", dX, Xt, "X"),
    ("dL/db = Delta's rows summed", f"{tuple(Delta.shape)} summed", db, bt, "b"),
]
for name, shapes, ours, leaf, symbol in checks:
    worst = (ours - leaf.grad).abs().max().item()
    result = f"{shapes} -> {tuple(ours.shape)}, the shape of {symbol}"
    print(f"  {name:<30}{result:<44}autograd agrees to 1e-12: {worst < 1e-12}")

# A 2×2 layer on a batch of 2, with numbers whose arithmetic is exact in binary, against the scalar engine.
X_small = [[1.0, 2.0], [-1.0, 0.5]]
W_small = [[0.5, -1.0], [0.25, 2.0]]
b_small = [0.5, -0.25]
Y_small = [[1.0, 0.0], [0.0, 1.0]]
Xv = [[Value(x) for x in row] for row in X_small]
Wv = [[Value(w) for w in row] for row in W_small]
bv = [Value(v) for v in b_small]
Zv = [[sum((Xv[i][p] * Wv[p][q] for p in range(2)), bv[q]) for q in range(2)] for i in range(2)]
L = sum(((Zv[i][q] - Y_small[i][q]) ** 2 for i in range(2) for q in range(2)), Value(0.0)) / 4
L.backward()  # every gradient, entry by entry, through a graph of scalar products and sums

Xs, Ws, bs, Ys = (torch.tensor(v, **f64) for v in (X_small, W_small, b_small, Y_small))
Delta_s = 2 * (Xs @ Ws + bs - Ys) / 4
dW_s, dX_s, db_s = layer_gradients(Xs, Ws, Delta_s)
print("\nA 2×2 layer, batch of 2, against the scalar engine Value:")
print(f"  Delta        {Delta_s.tolist()}")
print(f"  X^T Delta    {dW_s.tolist()}")
print(f"  Value W.grad {[[w.grad for w in row] for row in Wv]}")
print(f"  Delta W^T    {dX_s.tolist()}")
print(f"  Value X.grad {[[x.grad for x in row] for row in Xv]}")
print(f"  Delta's rows summed {db_s.tolist()},  Value b.grad {[v.grad for v in bv]}")
engine = [w.grad for row in Wv for w in row] + [x.grad for row in Xv for x in row] + [v.grad for v in bv]
formulas = dW_s.flatten().tolist() + dX_s.flatten().tolist() + db_s.tolist()
print(f"  all {len(engine)} gradients equal, to the last bit: {engine == formulas}")

publish(
    small_delta_11=Delta_s[0, 0],
    small_delta_21=Delta_s[1, 0],
    small_dW_11=dW_s[0, 0],
    small_db_1=db_s[0],
    small_loss=L.data,
)
