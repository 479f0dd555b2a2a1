"""The spread of activations through a 10-layer MLP at initialisation, with and without batch norm."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.nn import BatchNorm1d

use_book_style()
device = get_device()
torch.manual_seed(0)

# float64 throughout: ten layers of float32 matrix products would print digits that depend on the CPU's kernels.
x = torch.randn(256, 100, dtype=torch.float64, device=device)  # a batch of standardised inputs
depth, width = 10, 100


def layer_stds(weight_std, batch_norm):
    """Push x through depth × (Linear → [BatchNorm] → ReLU) and return the std of each layer's output."""
    gen = torch.Generator().manual_seed(1)  # the same weights for every variant with the same weight_std
    h, stds = x, []
    for _ in range(depth):
        W = (torch.randn(width, width, generator=gen, dtype=torch.float64) * weight_std).to(device)
        z = h @ W.T
        if batch_norm:
            z = BatchNorm1d(width, dtype=torch.float64).to(device)(z)
        h = torch.relu(z)
        stds.append(h.std().item())
    return stds


variants = {  # n = 100 inputs per unit; He initialisation, std √(2/n), would sit between the two
    "small weights (std 1/√n)": 1.0 / width**0.5,
    "large weights (std 2/√n)": 2.0 / width**0.5,
}
print("std of the activations, layer by layer")
print("layer    small   small + BN    large   large + BN")
table = {(name, bn): layer_stds(s, bn) for name, s in variants.items() for bn in (False, True)}
names = list(variants)
for layer in range(depth):
    print(f"{layer + 1:5d}" + "".join(f"{table[key][layer]:{w}.4f}" for key, w in zip(table, (9, 13, 9, 13))))

fig, ax = plt.subplots(figsize=(6.4, 4))
styles = {False: "--", True: "-"}
for (name, bn), stds in table.items():
    color = "C0" if name.startswith("small") else "C1"
    ax.plot(range(1, depth + 1), stds, styles[bn], marker="o", ms=4, color=color,
            label=f"{name}{', batch norm' if bn else ''}")
ax.set(yscale="log", xlabel="layer", ylabel="std of the activations", title="A 10-layer ReLU MLP at initialisation")
ax.legend(loc="lower left", fontsize=8)
savefig(fig, "activation_stats")

with_bn = table[names[0], True] + table[names[1], True]
publish(
    input_std=x.std(),
    small_std_last=table[names[0], False][-1],
    large_std_last=table[names[1], False][-1],
    bn_std_min=min(with_bn),
    bn_std_max=max(with_bn),
)
