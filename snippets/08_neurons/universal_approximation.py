"""One hidden layer, more and more units: an MLP fitting a 1-D function as its width grows."""

import matplotlib.pyplot as plt
import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.optim import Adam

use_book_style()
device = get_device()
torch.manual_seed(0)


def target(x):
    return torch.sin(3 * x) + 0.5 * x.abs()  # smooth bumps and a kink at 0


# float64 throughout: 600 Adam steps would otherwise carry float32's CPU-dependent rounding into the printed errors.
x = torch.linspace(-2, 2, 100, dtype=torch.float64, device=device)[:, None]  # 100 points, one feature each
y = target(x)

fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), sharey=True)
mse = {}
print("width   parameters   MSE after 600 steps")
for ax, width in zip(axes, [3, 10, 100]):
    model = nn.Sequential(nn.Linear(1, width), nn.ReLU(), nn.Linear(width, 1)).to(device, torch.float64)
    optimizer = Adam(model.parameters(), lr=0.01)
    for step in range(600):  # full-batch Adam
        loss = ((model(x) - y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        loss = ((model(x) - y) ** 2).mean()
        fit = model(x)
    mse[width] = loss.item()
    print(f"{width:5d}   {sum(p.numel() for p in model.parameters()):10d}   {loss.item():.5f}")
    ax.plot(x.cpu(), y.cpu(), color="0.6", lw=4, label="target")
    ax.plot(x.cpu(), fit.cpu(), color="C1", label=f"MLP, {width} ReLU units")
    ax.set(title=f"width {width}: MSE {loss.item():.4f}", xlabel="$x$")
    ax.legend(loc="upper right", fontsize=9)
axes[0].set_ylabel("$y$")
savefig(fig, "universal_approximation")

publish(mse_3_units=mse[3], mse_10_units=mse[10], mse_100_units=mse[100])
