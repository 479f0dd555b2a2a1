"""Which numbers share a mean: batch norm normalises each channel over the batch, layer norm each example."""

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import Rectangle

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.nn import batch_norm, layer_norm

use_book_style()
device = get_device()
torch.manual_seed(0)

N, C, H, W = 6, 4, 2, 2
x = (3 + 2 * torch.randn(N, C, H, W, dtype=torch.float64)).to(device)  # float64: the same digits on every CPU

bn = batch_norm(x, None, None, training=True)  # statistics over (N, H, W): one pair per channel
ln = layer_norm(x, (C, H, W))  # statistics over (C, H, W): one pair per example
print("batch norm: every channel has mean 0 over (N, H, W):", bn.mean(dim=(0, 2, 3)).abs().max().item() < 1e-5)
print("layer norm: every example has mean 0 over (C, H, W):", ln.mean(dim=(1, 2, 3)).abs().max().item() < 1e-5)
print("batch norm, mean of example 0 over (C, H, W):", round(bn[0].mean().item(), 4))
print("layer norm, mean of channel 0 over (N, H, W):", round(ln[:, 0].mean().item(), 4))
# Layer norm treats each example on its own; batch norm's output for an example depends on its batch.
print("layer norm of example 0 alone equals its row in the batch:", torch.allclose(layer_norm(x[:1], (C, H, W)), ln[:1]))
print("batch norm of examples 0-2 alone equals their rows in the batch:",
      torch.allclose(batch_norm(x[:3], None, None, training=True), bn[:3]))


def draw(ax, title, group_of, four_d):
    """Draw the tensor as a grid: a row per example, a block of H·W cells per channel; colour = shared statistics."""
    cells = H * W if four_d else 1
    for n in range(N):
        for c in range(C):
            for k in range(cells):
                left = c * (cells + 0.6) + k
                colour = f"C{group_of(n, c)}"
                ax.add_patch(Rectangle((left, N - 1 - n), 1, 1, facecolor=colour, alpha=0.55, edgecolor="white", lw=1.5))
    width = C * (cells + 0.6) - 0.6
    ax.set(xlim=(-0.3, width + 0.3), ylim=(-0.9, N + 0.3), aspect="equal", title=title)
    ax.set_xticks([c * (cells + 0.6) + cells / 2 for c in range(C)], [f"c={c}" for c in range(C)])
    ax.set_yticks([N - 0.5 - n for n in range(N)], [f"n={n}" for n in range(N)])
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)
    if four_d:
        ax.text(width / 2, -0.6, "each channel block: its H × W positions", ha="center", fontsize=8)


fig, axes = plt.subplots(2, 2, figsize=(9, 7.5))
draw(axes[0, 0], "batch norm, (N, C): per feature over N", lambda n, c: c, four_d=False)
draw(axes[0, 1], "layer norm, (N, C): per example over C", lambda n, c: n, four_d=False)
draw(axes[1, 0], "batch norm, (N, C, H, W): per channel over N, H, W", lambda n, c: c, four_d=True)
draw(axes[1, 1], "layer norm, (N, C, H, W): per example over C, H, W", lambda n, c: n, four_d=True)
fig.suptitle("Cells of one colour share one mean and one variance")
savefig(fig, "norm_axes")
