"""Random over- and under-sampling of the training set, next to class weights, on the same test set."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import imbalanced_train_test
from lessonlib.logistic import fit_logistic
from lessonlib.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

use_book_style()
device = get_device()

X_train, y_train, X_test, y_test = imbalanced_train_test(2000, ratio=0.05, separation=2.0, seeds=(0, 1))
X_train, X_test = X_train.double().to(device), X_test.double().to(device)
y_train, y_test = y_train.to(device), y_test.to(device)

pos = (y_train == 1).nonzero().squeeze(1)
neg = (y_train == 0).nonzero().squeeze(1)


def over_sample(gen):
    """Every example, plus copies of positives drawn with replacement until the classes are the same size."""
    extra = pos[torch.randint(len(pos), (len(neg) - len(pos),), generator=gen).to(device)]
    return torch.cat([neg, pos, extra])


def under_sample(gen):
    """Every positive, and as many negatives drawn without replacement."""
    return torch.cat([neg[torch.randperm(len(neg), generator=gen)[: len(pos)].to(device)], pos])


gen = torch.Generator().manual_seed(0)
over, under = over_sample(gen), under_sample(gen)

strategies = {
    "plain": (X_train, y_train, 1.0),
    "class weights, q = 19": (X_train, y_train, len(neg) / len(pos)),
    "over-sampled": (X_train[over], y_train[over], 1.0),
    "under-sampled": (X_train[under], y_train[under], 1.0),
}
print(f"{'':<23}{'train size':>12}{'accuracy':>9}{'precision':>10}{'recall':>7}{'F1':>7}{'bal. acc.':>10}{'AUC':>7}{'AP':>7}")
lines, found = {}, {}
for name, (X, y, q) in strategies.items():
    w, b = fit_logistic(X, y.double(), pos_weight=q)
    lines[name] = (w.cpu(), b.cpu())
    s = X_test @ w + b
    y_pred = (s >= 0).long()
    scores = [accuracy_score(y_test, y_pred), precision_score(y_test, y_pred), recall_score(y_test, y_pred),
              f1_score(y_test, y_pred), recall_score(y_test, y_pred, average="macro"),
              roc_auc_score(y_test, s), average_precision_score(y_test, s)]
    found[name] = scores
    widths = [9, 10, 7, 7, 10, 7, 7]
    print(f"{name:<23}{f'{int((y == 0).sum())} + {int(y.sum())}':>12}" + "".join(f"{v:{k}.3f}" for v, k in zip(scores, widths)))

# Each is one random draw. Ten more draws of each show how much the result depends on the luck of the draw.
print("\nten more random draws:      F1 (min to max)    AUC (min to max)")
draws = {}
for name, sample in [("over-sampled", over_sample), ("under-sampled", under_sample)]:
    f1s, aucs = [], []
    for seed in range(1, 11):
        idx = sample(torch.Generator().manual_seed(seed))
        w, b = fit_logistic(X_train[idx], y_train[idx].double())
        s = X_test @ w + b
        f1s.append(f1_score(y_test, (s >= 0).long()))
        aucs.append(roc_auc_score(y_test, s))
    print(f"{name:<26}{min(f1s):7.3f} to {max(f1s):.3f}{min(aucs):11.3f} to {max(aucs):.3f}")
    draws[name] = min(f1s), max(f1s), min(aucs), max(aucs)

fig, ax = plt.subplots(figsize=(6.4, 5.0))
Xc, yc = X_train.cpu(), y_train.cpu()
ax.scatter(Xc[yc == 0, 0], Xc[yc == 0, 1], s=4, color="0.75", label="negative (training)")
ax.scatter(Xc[yc == 1, 0], Xc[yc == 1, 1], s=10, color="C1", label="positive (training)")
x1 = torch.linspace(-4, 5, 2, dtype=torch.float64)
for (name, (w, b)), style, color in zip(lines.items(), ["-", "--", ":", "-."], ["0.2", "C0", "C2", "C3"]):
    ax.plot(x1, -(w[0] * x1 + b) / w[1], ls=style, lw=1.8, color=color, label=name)  # the line w·x + b = 0
ax.set(xlim=(-4, 5), ylim=(-4, 5), aspect="equal", xlabel="$x_1$", ylabel="$x_2$",
       title="Where σ(s) = 0.5: rebalancing shifts the line")
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
savefig(fig, "resampling")

publish(over_recall=found["over-sampled"][2], over_f1=found["over-sampled"][3], over_auc=found["over-sampled"][5],
        over_f1_min=draws["over-sampled"][0], over_f1_max=draws["over-sampled"][1],
        under_f1_min=draws["under-sampled"][0], under_f1_max=draws["under-sampled"][1],
        auc_min=min(draws["over-sampled"][2], draws["under-sampled"][2]))
