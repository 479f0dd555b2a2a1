"""The same scorer at three class ratios: the ROC curve does not move, the precision-recall curve collapses."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

use_book_style()
device = get_device()

# One scorer: a negative's score is drawn from N(0, 1), a positive's from N(2, 1).
gen = torch.Generator().manual_seed(0)
s_pos = (2.0 + torch.randn(200, generator=gen, dtype=torch.float64)).to(device)
s_neg_all = torch.randn(19_800, generator=gen, dtype=torch.float64).to(device)
print(f"population AUC Φ(2/√2) = {0.5 * (1 + math.erf(1.0)):.3f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.4))
print("\nprevalence  positives  negatives  ROC AUC     AP")
found = {}
for n_neg, color in [(200, "C0"), (1_800, "C1"), (19_800, "C2")]:
    s_neg = s_neg_all[:n_neg]  # the same negatives, more of them
    y = torch.cat([torch.ones(200, dtype=torch.int64), torch.zeros(n_neg, dtype=torch.int64)]).to(device)
    s = torch.cat([s_pos, s_neg])
    prevalence = 200 / (200 + n_neg)
    auc, ap = roc_auc_score(y, s), average_precision_score(y, s)
    found[n_neg] = auc, ap
    print(f"{prevalence:10.2f}  {200:9d}  {n_neg:9d}  {auc:7.3f}  {ap:5.3f}")

    fpr, tpr, _ = roc_curve(y, s)
    precision, recall, _ = precision_recall_curve(y, s)
    label = f"{prevalence:.0%} positive"
    left.plot(fpr.cpu(), tpr.cpu(), color=color, lw=1.5, label=f"{label}: AUC = {auc:.3f}")
    right.plot(recall.cpu(), precision.cpu(), color=color, lw=1.5, drawstyle="steps-post", label=f"{label}: AP = {ap:.3f}")
    right.axhline(prevalence, color=color, ls=":", lw=1)

# Why: at a fixed threshold, TPR and FPR are rates within one class, but precision mixes the two classes.
Phi = lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2)))
tpr_1, fpr_1 = Phi(1.0), 1 - Phi(1.0)  # predict positive when s ≥ 1, in the population
print(f"\nthreshold s ≥ 1, population rates at every ratio: TPR = {tpr_1:.3f}, FPR = {fpr_1:.3f}")
precision_at = {}
for prevalence in [0.5, 0.1, 0.01]:
    precision_1 = precision_at[prevalence] = prevalence * tpr_1 / (prevalence * tpr_1 + (1 - prevalence) * fpr_1)
    print(f"  prevalence {prevalence:4.2f}: precision = {precision_1:.3f}")

left.plot([0, 1], [0, 1], "--", color="0.5", lw=1)
left.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC: blind to the class ratio", aspect="equal")
right.set(xlabel="recall", ylabel="precision", title="Precision–recall: not blind to it", ylim=(0, 1.02))
left.legend(loc="lower right")
right.plot([], [], ls=":", color="0.4", lw=1, label="dotted: a random ranking")
right.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
savefig(fig, "prevalence")

publish(auc_50=found[200][0], auc_10=found[1_800][0], auc_1=found[19_800][0],
        ap_50=found[200][1], ap_10=found[1_800][1], ap_1=found[19_800][1],
        precision_at_1_50=precision_at[0.5], precision_at_1_1=precision_at[0.01])
