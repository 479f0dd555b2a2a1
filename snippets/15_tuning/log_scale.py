"""Sampling a learning rate between 1e-4 and 1e-1: uniformly on a linear scale, or uniformly on a log scale."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish

use_book_style()

gen = torch.Generator().manual_seed(0)
low, high, n = 1e-4, 1e-1, 10_000
u = torch.rand(n, generator=gen, dtype=torch.float64)
linear = low + u * (high - low)  # uniform in [low, high]
log_uniform = 10 ** (torch.log10(torch.tensor(low)) + u * (torch.log10(torch.tensor(high)) - torch.log10(torch.tensor(low))))

shares = {}
print("decade              linear   log-uniform")
for k in (-4, -3, -2):
    lo, hi = 10.0**k, 10.0 ** (k + 1)
    share = lambda s: ((s >= lo) & (s < hi)).double().mean().item()
    shares[k] = share(linear), share(log_uniform)
    print(f"[1e{k}, 1e{k + 1})   {shares[k][0]:8.3f}   {shares[k][1]:11.3f}")
expected = (0.1 - 0.01) / (0.1 - 0.0001)
print(f"expected share of the top decade on a linear scale: (0.1 - 0.01) / (0.1 - 0.0001) = {expected:.3f}")
publish(linear_top_decade=shares[-2][0], linear_top_decade_expected=expected,
        linear_lower_decades=shares[-4][0] + shares[-3][0])

fig, ax = plt.subplots(figsize=(6.4, 2.6))
for row, (name, samples) in enumerate([("log-uniform", log_uniform), ("linear", linear)]):
    ax.plot(samples[:40], torch.full((40,), float(row)), "|", ms=22, mew=1.5, color=f"C{row}")
ax.set(xscale="log", xlim=(low, high), ylim=(-0.7, 1.7), yticks=[0, 1], yticklabels=["log-uniform", "linear"],
       xlabel="learning rate", title="40 draws each, on a log axis")
ax.grid(axis="y", visible=False)
savefig(fig, "log_scale")
