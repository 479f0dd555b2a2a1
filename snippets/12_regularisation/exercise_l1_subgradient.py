"""Exercise: L1 with plain gradient descent gives tiny weights, never exact zeros; a proximal step does."""

import torch

from lessonlib.book.device import get_device
from lessonlib.optim import SGD
from lessonlib.regularization import l1_penalty

device = get_device()
torch.set_num_threads(1)  # tiny tensors: one thread is fastest
gen = torch.Generator().manual_seed(0)

m, n = 100, 8
X = torch.randn(m, n, generator=gen, dtype=torch.float64).to(device)
w_true = torch.tensor([2.0, -3.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0], dtype=torch.float64, device=device)
y = X @ w_true + 0.5 * torch.randn(m, generator=gen, dtype=torch.float64).to(device)
lam, lr, steps = 0.1, 0.05, 500

# 1. Autograd and SGD on ½·mean((Xw − y)²) + λ|w|₁: the "gradient" of |w| is sign(w).
w = torch.zeros(n, dtype=torch.float64, device=device, requires_grad=True)
opt = SGD([w], lr=lr)
for _ in range(steps):
    opt.zero_grad()
    (0.5 * ((X @ w - y) ** 2).mean() + lam * l1_penalty([w])).backward()
    opt.step()

# 2. Proximal gradient (ISTA): a gradient step on the smooth part, then soft-threshold by lr·λ.
v = torch.zeros(n, dtype=torch.float64, device=device)
for _ in range(steps):
    v = v - lr * X.T @ (X @ v - y) / m
    v = v.sign() * (v.abs() - lr * lam).clamp(min=0)

print("true:    ", [round(t, 3) + 0.0 for t in w_true.tolist()])
print("SGD:     ", [round(t, 3) + 0.0 for t in w.detach().tolist()])
print("proximal:", [round(t, 3) + 0.0 for t in v.tolist()])
print("exact zeros, SGD:", int((w == 0).sum()), "  proximal:", int((v == 0).sum()))
leftover = w.detach()[w_true == 0].abs().max().item()
print(f"largest |weight| SGD leaves where the truth is 0: {leftover:.1e}   (lr·λ = {lr * lam:g})")
