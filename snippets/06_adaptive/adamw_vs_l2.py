"""Adam with an L2 penalty against AdamW's decoupled weight decay: the same λ, different weights."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.optim import Adam, AdamW

device = get_device()
gen = torch.Generator(device="cpu").manual_seed(0)

# Linear regression with one large-scale and one small-scale feature; both true weights are 1.
X = torch.randn(2048, 2, generator=gen, dtype=torch.float64) * torch.tensor([10.0, 0.1], dtype=torch.float64)
y = X.sum(dim=1) + 0.1 * torch.randn(2048, generator=gen, dtype=torch.float64)
X, y = X.to(device), y.to(device)
batches = torch.randint(0, 2048, (3000, 32), generator=gen)
lr, lam = 0.01, 0.1


def train(make_opt):
    w = torch.zeros(2, dtype=torch.float64, device=device, requires_grad=True)
    opt = make_opt([w])
    for idx in batches:
        Xb, yb = X[idx], y[idx]
        w.grad = Xb.T @ (Xb @ w.detach() - yb) / len(idx)  # ∇ of ½·mean squared error
        opt.step()
    return w.detach(), opt.state[w]


w_l2, state_l2 = train(lambda p: Adam(p, lr=lr, weight_decay=lam))
w_adamw, _ = train(lambda p: AdamW(p, lr=lr, weight_decay=lam))

# The minimiser of ½·mean (Xw - y)² + ½ λ |w|², in closed form (ridge regression).
A = X.T @ X / len(X) + lam * torch.eye(2, dtype=torch.float64, device=device)
ridge = torch.linalg.solve(A, X.T @ y / len(X))
plain = torch.linalg.lstsq(X, y[:, None]).solution[:, 0]

fmt = lambda w: f"[{w[0].item():7.4f}, {w[1].item():7.4f}]"
print(f"λ = {lam}, α = {lr}, 3000 mini-batches of 32")
print(f"least squares, no penalty   {fmt(plain)}")
print(f"ridge (closed form)         {fmt(ridge)}")
print(f"Adam + L2 (weight_decay)    {fmt(w_l2)}")
print(f"AdamW (decoupled)           {fmt(w_adamw)}")

# How strongly each weight is pulled towards 0 per step, per unit of weight, at the end of training.
t = state_l2["step"].item()
v_hat = state_l2["exp_avg_sq"] / (1 - 0.999**t)
pull_l2 = lr * lam / (v_hat.sqrt() + 1e-8)  # λθ goes through the same 1/(√v̂ + ε) as the gradient
print(f"decay per step, Adam + L2:  [{pull_l2[0].item():.1e}, {pull_l2[1].item():.1e}]   (αλ/(√v̂ + ε))")
print(f"decay per step, AdamW:      [{lr * lam:.1e}, {lr * lam:.1e}]   (αλ, the same for every weight)")
publish(adam_l2_w1=w_l2[0], adam_l2_w2=w_l2[1], adamw_w1=w_adamw[0], adamw_w2=w_adamw[1], ridge_w2=ridge[1],
        least_squares_w2=plain[1], decay_l2_w1=pull_l2[0], decay_l2_w2=pull_l2[1])
