"""RMSProp and Adam on the same two landscapes, with the same learning rate."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.descent import optimizer_path
from lessonlib.functions import beale, quadratic
from lessonlib.optim import Adam, RMSprop

use_book_style()
device = get_device()
steps = 200
cases = [  # landscape, start, learning rate, view
    (quadratic(25.0), (-2.0, 0.5), 0.05, ((-2.3, 0.8), (-0.7, 0.7))),
    (beale, (1.0, 1.5), 0.05, ((0.0, 3.5), (-0.6, 1.7))),
]

fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.0))
results = {}  # "<landscape>_<optimizer>_loss_<steps>": L after that many steps
for ax, (fn, start, lr, (xr, yr)) in zip(axes, cases):
    xs, ys = torch.linspace(*xr, 240, dtype=torch.float64), torch.linspace(*yr, 200, dtype=torch.float64)
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1)
    values = fn(grid)
    ax.contour(xs, ys, values, levels=torch.quantile(values.flatten(), torch.linspace(0.02, 0.9, 9, dtype=torch.float64)).tolist(),
               colors="0.75", linewidths=0.8)
    for name, make, color in [("RMSProp", RMSprop, "C0"), ("Adam", Adam, "C1")]:
        w = torch.tensor(start, dtype=torch.float64, device=device, requires_grad=True)
        path = optimizer_path(fn, w, make([w], lr=lr), steps, grad=fn.grad).w.cpu()
        ax.plot(path[:, 0], path[:, 1], "o-", ms=2, lw=1, color=color, label=name)
        losses = fn(path)
        key = f"{'bowl' if fn is not beale else 'beale'}_{name.lower()}"
        results[f"{key}_loss_25"], results[f"{key}_loss_{steps}"] = losses[25], losses[-1]
        print(f"{fn.name:<16} {name:<8} α = {lr}: L after 25 steps {losses[25].item():.2e}, after {steps} {losses[-1].item():.2e}")
    ax.plot(*fn.minima[0], "k*", ms=10)
    ax.set(xlim=xr, ylim=yr, title=f"{fn.name}, α = {lr}")
    ax.legend(loc="upper right")
savefig(fig, "rmsprop_adam_paths")
publish(**results)
