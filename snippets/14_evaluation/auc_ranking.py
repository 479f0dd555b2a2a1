"""AUC is a ranking measure: the probability that a random positive scores above a random negative."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.metrics import roc_auc_score, roc_curve

use_book_style()
device = get_device()

# Twelve examples, sorted by score: 5 positives (1) and 7 negatives (0).
scores = torch.tensor([0.95, 0.90, 0.85, 0.80, 0.70, 0.65, 0.60, 0.50, 0.45, 0.40, 0.30, 0.20], device=device)
labels = torch.tensor([1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0], device=device)
pos, neg = scores[labels == 1], scores[labels == 0]
right_order = (pos[:, None] > neg[None, :]).sum().item()  # pairs (positive, negative) ranked the right way
print(f"{len(pos)} positives × {len(neg)} negatives = {len(pos) * len(neg)} pairs, {right_order} ranked right: "
      f"{right_order}/{len(pos) * len(neg)} = {right_order / (len(pos) * len(neg)):.4f}")
print(f"roc_auc_score: {roc_auc_score(labels, scores):.4f}")

# A larger sample: scores of negatives ~ N(0, 1), of positives ~ N(1.5, 1).
gen = torch.Generator().manual_seed(0)
s_neg = torch.randn(700, generator=gen, dtype=torch.float64).to(device)
s_pos = (1.5 + torch.randn(300, generator=gen, dtype=torch.float64)).to(device)
y = torch.cat([torch.zeros(700, dtype=torch.int64), torch.ones(300, dtype=torch.int64)]).to(device)
s = torch.cat([s_neg, s_pos])

auc = roc_auc_score(y, s)
all_pairs = (s_pos[:, None] > s_neg[None, :]).double().mean().item()
i = torch.randint(300, (100_000,), generator=gen).to(device)
j = torch.randint(700, (100_000,), generator=gen).to(device)
sampled = (s_pos[i] > s_neg[j]).double().mean().item()
ranks = torch.empty_like(s).scatter_(0, s.argsort(), torch.arange(1, 1001, dtype=s.dtype, device=device))
mann_whitney = ((ranks[y == 1].sum() - 300 * 301 / 2) / (300 * 700)).item()
sampled_se = math.sqrt(all_pairs * (1 - all_pairs) / 100_000)  # standard error of a mean of 100,000 0/1 draws
sampled_off = (sampled - all_pairs) / sampled_se  # how many standard errors the sample misses by
closed_form = 0.5 * (1 + math.erf(1.5 / 2))  # P(S+ - S- > 0) with S+ - S- ~ N(1.5, 2): Φ(1.5 / √2)
print("\n300 positives, 700 negatives")
print(f"roc_auc_score (area under the curve)         {auc:.4f}")
print(f"fraction of all 210,000 pairs ranked right   {all_pairs:.4f}")
print(f"fraction of 100,000 random pairs             {sampled:.4f}")
print(f"  its standard error √(p(1-p)/100,000)       {sampled_se:.4f}")
print(f"  off the exact fraction by                  {sampled_off:.2f} standard errors")
print(f"Mann-Whitney U / (m₊·m₋), from the ranks     {mann_whitney:.4f}")
print(f"population value Φ(1.5/√2)                   {closed_form:.4f}")

print("\nonly the order counts:")
for name, transformed in [("exp(s)", s.exp()), ("s³", s**3), ("sigmoid(s)", torch.sigmoid(s)), ("-s", -s)]:
    print(f"  AUC of {name:<14} {roc_auc_score(y, transformed):.4f}")

# The ROC curve of the twelve examples is a staircase on a 5 × 7 grid: one step up per positive, one step
# right per negative, in order of decreasing score. Each cell under it is one pair ranked the right way.
fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
fig, ax = plt.subplots(figsize=(5.2, 4.4))
for a in range(len(neg)):
    for c in range(len(pos)):
        below = (pos[c] > neg[a]).item()  # column a: the a-th highest negative; row c: the c-th highest positive
        ax.add_patch(plt.Rectangle((a / 7, c / 5), 1 / 7, 1 / 5, facecolor="#56B4E9" if below else "white",
                                   edgecolor="0.6", lw=0.6, alpha=0.6))
ax.plot(fpr.cpu(), tpr.cpu(), "o-", color="C1", ms=4, label=f"ROC curve, AUC = {right_order}/35")
ax.set(xlim=(0, 1), ylim=(0, 1), aspect="equal", xlabel="FPR (one step right per negative)",
       ylabel="TPR (one step up per positive)", title=f"{right_order} of 35 cells lie under the curve")
ax.grid(False)
ax.legend(loc="lower right")
savefig(fig, "auc_staircase")

publish(cells_under=right_order, cells=len(pos) * len(neg), auc=auc, all_pairs=all_pairs, sampled=sampled,
        sampled_se=sampled_se, sampled_off=sampled_off, mann_whitney=mann_whitney, population_auc=closed_form)
