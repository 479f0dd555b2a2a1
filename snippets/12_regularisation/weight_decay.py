"""For SGD, an L2 penalty in the loss, weight_decay=λ and "shrink, then step" are one update."""

import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.data import linear_data
from lessonlib.optim import SGD
from lessonlib.regularization import l2_penalty

device = get_device()
torch.set_num_threads(1)  # tiny tensors: one thread is fastest
X, y, _ = linear_data(64, 5, noise=0.5, seed=0)
X, y = X.to(device, torch.float64), y.to(device, torch.float64)
lr, lam, steps = 0.1, 0.05, 100


def fresh_model():
    torch.manual_seed(0)
    return nn.Linear(5, 1).to(device, torch.float64)


def loss_fn(model):
    return 0.5 * ((model(X).squeeze(1) - y) ** 2).mean()


# 1. The penalty (λ/2)|θ|² added to the loss; plain SGD.
penalised = fresh_model()
opt = SGD(penalised.parameters(), lr=lr)
for _ in range(steps):
    opt.zero_grad()
    (loss_fn(penalised) + 0.5 * lam * l2_penalty(penalised.parameters())).backward()
    opt.step()

# 2. The optimizer's weight_decay=λ, which adds λθ to the gradient.
decayed = fresh_model()
opt = SGD(decayed.parameters(), lr=lr, weight_decay=lam)
for _ in range(steps):
    opt.zero_grad()
    loss_fn(decayed).backward()
    opt.step()

# 3. By hand: shrink every weight by the factor (1 − αλ), then take the ordinary gradient step.
by_hand = fresh_model()
for _ in range(steps):
    by_hand.zero_grad()
    loss_fn(by_hand).backward()
    with torch.no_grad():
        for p in by_hand.parameters():
            p.mul_(1 - lr * lam).sub_(lr * p.grad)

# And, for comparison, no regularisation at all.
plain = fresh_model()
opt = SGD(plain.parameters(), lr=lr)
for _ in range(steps):
    opt.zero_grad()
    loss_fn(plain).backward()
    opt.step()

flat = lambda model: torch.cat([p.detach().flatten() for p in model.parameters()])
print(f"shrink factor per step 1 − αλ = {1 - lr * lam}")
same = lambda a, b: torch.allclose(flat(a), flat(b), rtol=0, atol=1e-12)
print("penalty in the loss = weight_decay:     ", same(penalised, decayed))
print("penalty in the loss = shrink, then step:", same(penalised, by_hand))
print("weights with decay:   ", [round(v, 3) for v in flat(decayed).tolist()])
print("weights without decay:", [round(v, 3) for v in flat(plain).tolist()])
print(f"|θ| with decay {flat(decayed).norm().item():.3f}, without {flat(plain).norm().item():.3f}")
publish(norm_with_decay=flat(decayed).norm(), norm_without_decay=flat(plain).norm())
