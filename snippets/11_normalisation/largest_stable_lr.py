"""The largest stable learning rate of a small MLP, with and without batch norm, measured on a grid."""

import matplotlib.pyplot as plt
import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.losses import cross_entropy
from lessonlib.nn import BatchNorm1d

use_book_style()
device = get_device()

# A synthetic four-class problem: 256 points in 20 dimensions, labelled by a noisy linear rule.
# Everything runs in float64: at the largest learning rates training is chaotic, and float32's
# rounding, which differs from CPU to CPU, would change the losses printed for them.
# (The data's seed matters more: with others the largest stable rates move by a grid step.)
gen = torch.Generator().manual_seed(1)
X = torch.randn(256, 20, generator=gen, dtype=torch.float64)
y = (X @ torch.randn(20, 4, generator=gen, dtype=torch.float64)
     + 0.5 * torch.randn(256, 4, generator=gen, dtype=torch.float64)).argmax(dim=1)
X, y = X.to(device), y.to(device)


def mlp(batch_norm, depth=6, width=32):
    """depth × (Linear → [BatchNorm] → ReLU), then a linear read-out; He initialisation, the same seed."""
    torch.manual_seed(1)
    layers, fan_in = [], 20
    for _ in range(depth):
        linear = nn.Linear(fan_in, width, dtype=torch.float64)
        nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        nn.init.zeros_(linear.bias)
        layers += [linear, BatchNorm1d(width, dtype=torch.float64), nn.ReLU()] if batch_norm else [linear, nn.ReLU()]
        fan_in = width
    layers.append(nn.Linear(fan_in, 4, dtype=torch.float64))
    return nn.Sequential(*layers).to(device)


def final_loss(batch_norm, lr, steps=20):
    """Full-batch SGD for a few dozen steps; return the first and the last loss."""
    model = mlp(batch_norm)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps + 1):
        loss = cross_entropy(model(X), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses[0], losses[-1]


lrs = [0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
results = {bn: [final_loss(bn, lr) for lr in lrs] for bn in (False, True)}


def stable(first, last):
    return last == last and last < first  # finite (NaN != NaN) and lower than where it started


print(f"loss after 20 steps (start: without BN {results[False][0][0]:.3f}, with BN {results[True][0][0]:.3f})")
print("    lr   without BN      with BN")
for i, lr in enumerate(lrs):
    cells = [f"{last:8.3f} {'ok' if stable(first, last) else '--'}" for first, last in (results[False][i], results[True][i])]
    print(f"{lr:6g}  " + "  ".join(f"{c:>11}" for c in cells))
largest = {}
for bn, name in [(False, "without batch norm"), (True, "with batch norm")]:
    ok = [stable(first, last) for first, last in results[bn]]
    largest[bn] = max(lr for i, lr in enumerate(lrs) if all(ok[: i + 1]))  # it and every smaller rate are stable
    print(f"largest stable learning rate {name}: {largest[bn]:g}")

fig, ax = plt.subplots(figsize=(6.4, 4))
for bn, label in [(False, "without batch norm"), (True, "with batch norm")]:
    lasts = [last if last == last else float("inf") for _, last in results[bn]]
    ax.plot(lrs, [min(v, 20.0) for v in lasts], "o-", label=label)
    for lr, v in zip(lrs, lasts):
        if v == float("inf"):
            ax.annotate("NaN", (lr, 20.0), textcoords="offset points", xytext=(0, 6), ha="center", color="C0")
ax.axhline(results[False][0][0], color="0.6", ls="--", lw=1, label="loss at the start")
ax.set(xscale="log", yscale="log", ylim=(0.005, 40), xlabel="learning rate α", ylabel="loss after 20 steps",
       title="Batch norm widens the range of usable learning rates")
ax.legend(loc="lower left")
savefig(fig, "largest_stable_lr")

limit = lrs.index(largest[False])  # the plain network's largest stable rate: compare the two there
publish(
    largest_stable_lr_plain=largest[False],
    largest_stable_lr_bn=largest[True],
    stable_lr_factor=largest[True] / largest[False],
    start_loss_plain=results[False][0][0],
    loss_at_plain_limit_plain=results[False][limit][1],
    loss_at_plain_limit_bn=results[True][limit][1],
    loss_at_bn_limit_bn=results[True][lrs.index(largest[True])][1],
)
