"""Data augmentation on a tiny problem: random rotations of 16 points teach that only the radius matters."""

import matplotlib.pyplot as plt
import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.losses import cross_entropy
from lessonlib.optim import Adam

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tiny tensors: one thread is fastest


def rings(n, gen, noise=0.15):
    """Two classes on concentric rings, radius 0.5 (class 0) and 1.0 (class 1), at random angles."""
    y = torch.arange(n) % 2
    radius = torch.where(y == 0, 0.5, 1.0) + noise * torch.randn(n, generator=gen)
    angle = 2 * torch.pi * torch.rand(n, generator=gen)
    X = torch.stack([radius * angle.cos(), radius * angle.sin()], dim=1)
    return X.to(device, torch.float64), y.to(device)  # float64 from here on: the same numbers on every CPU


def rotate(X, gen):
    """Turn every point about the origin by its own random angle: the label cannot change."""
    angle = 2 * torch.pi * torch.rand(len(X), generator=gen).to(device, torch.float64)
    c, s = angle.cos(), angle.sin()
    return torch.stack([c * X[:, 0] - s * X[:, 1], s * X[:, 0] + c * X[:, 1]], dim=1)


def train(X, y, augment, epochs=120):
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = nn.Sequential(
        nn.Linear(2, 32), nn.ReLU(),
        nn.Linear(32, 32), nn.ReLU(),
        nn.Linear(32, 2),
    ).to(device, torch.float64)
    optimizer = Adam(model.parameters(), lr=0.01)
    for _ in range(epochs):
        X_epoch = rotate(X, gen) if augment else X  # a freshly rotated copy every epoch
        loss = cross_entropy(model(X_epoch), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model


X_val, y_val = rings(1000, torch.Generator().manual_seed(100))


@torch.no_grad()
def score(model):
    logits = model(X_val)
    accuracy = (logits.argmax(dim=1) == y_val).float().mean()
    return cross_entropy(logits, y_val).item(), accuracy.item()


print("training set   val loss: plain  rotated    val accuracy: plain  rotated")
results, first = [], None
for seed in range(5):  # five different draws of 16 training points
    X, y = rings(16, torch.Generator().manual_seed(seed))
    plain, rotated = train(X, y, augment=False), train(X, y, augment=True)
    (lp, ap), (lr_, ar) = score(plain), score(rotated)
    results.append((lp, lr_, ap, ar))
    print(f"{seed:12d}   {lp:15.3f}  {lr_:7.3f}   {ap:18.3f}  {ar:7.3f}")
    if first is None:
        first = (X, y, plain, rotated)
mean = [sum(col) / len(results) for col in zip(*results)]
print(f"{'mean':>12s}   {mean[0]:15.3f}  {mean[1]:7.3f}   {mean[2]:18.3f}  {mean[3]:7.3f}")
publish(mean_val_loss_plain=mean[0], mean_val_loss_rotated=mean[1],
        mean_val_accuracy_plain=mean[2], mean_val_accuracy_rotated=mean[3],
        draws_improved=sum(ar > ap for _, _, ap, ar in results))

X, y, plain, rotated = first
ticks = torch.linspace(-1.6, 1.6, 161)
gx, gy = torch.meshgrid(ticks, ticks, indexing="xy")
grid = torch.stack([gx.flatten(), gy.flatten()], dim=1).to(device, torch.float64)
fig, axes = plt.subplots(1, 2, figsize=(9, 4.4))
for ax, model, title in [(axes[0], plain, "without augmentation"),
                         (axes[1], rotated, "with random rotations")]:
    with torch.no_grad():
        prob = torch.softmax(model(grid), dim=1)[:, 1].reshape(gx.shape).cpu().round(decimals=3)
    ax.contourf(gx, gy, prob, levels=[0, 0.5, 1], colors=["C0", "C1"], alpha=0.2)
    ax.contour(gx, gy, prob, levels=[0.5], colors="0.2", linewidths=1.5)
    for label, marker in [(0, "o"), (1, "s")]:
        pts = X[y == label].cpu()
        ax.plot(pts[:, 0], pts[:, 1], marker, color=f"C{label}", mec="k", ms=7, ls="none",
                label=f"class {label}")
    circle = torch.linspace(0, 2 * torch.pi, 200)
    ax.plot(0.75 * circle.cos(), 0.75 * circle.sin(), color="0.5", ls=":", lw=1.2,
            label="best boundary, r = 0.75")
    ax.set(aspect="equal", xlim=(-1.6, 1.6), ylim=(-1.6, 1.6), title=title)
axes[0].legend(loc="lower left", fontsize=8)
fig.suptitle("16 training points, and the boundary each network learned")
savefig(fig, "augmentation")
