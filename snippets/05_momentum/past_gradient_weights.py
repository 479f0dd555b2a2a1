"""The weight β^k that the velocity gives to the gradient from k steps ago, and the effective window 1/(1 − β)."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish

use_book_style()

# Unrolling v_t = β v_{t-1} + g_t gives v_t = g_t + β g_{t-1} + β² g_{t-2} + ... : weight β^k at lag k.
shares = {}
print("  β    window 1/(1-β)   sum of all weights   share of the last 1/(1-β) gradients")
for beta in [0.5, 0.9, 0.99]:
    window = 1 / (1 - beta)
    recent = round(window)
    share = 1 - beta**recent  # (sum of the first `recent` weights) / (sum of all weights)
    total = sum(beta**k for k in range(100_000))
    shares[beta] = share
    print(f"{beta:4.2f}   {window:14.0f}   {total:18.2f}   {share:36.3f}")
print(f"as β → 1 the share tends to 1 - 1/e = {1 - 1 / math.e:.3f}")

fig, ax = plt.subplots()
lags = torch.linspace(0, 300, 3001, dtype=torch.float64)  # the weights live at whole k; draw the curve through them
for beta, color in zip([0.5, 0.9, 0.99], ["C0", "C1", "C2"]):
    ax.plot(lags, beta**lags, color=color, label=f"β = {beta}")
    ax.axvline(1 / (1 - beta), color=color, ls=":", lw=1.2)
    ax.text(1 / (1 - beta) * 1.08, 0.97, f"1/(1 − β) = {1 / (1 - beta):.0f}", color=color, fontsize=9, va="top")
ax.set(xscale="symlog", xlim=(0, 300), ylim=(0, 1.05), xlabel="lag $k$ (steps into the past)",
       ylabel="weight $\\beta^k$ on $g_{t-k}$", title="Momentum remembers about 1/(1 − β) gradients")
ax.legend(loc="lower left")
savefig(fig, "past_gradient_weights")
publish(share_beta_0_5=shares[0.5], share_beta_0_9=shares[0.9], share_beta_0_99=shares[0.99])
