"""Class weights: count each positive q times in the loss, and watch recall, precision and F1 move."""

import math

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import imbalanced_train_test
from lessonlib.logistic import fit_logistic
from lessonlib.metrics import f1_score, precision_score, recall_score, roc_auc_score

use_book_style()
device = get_device()

X_train, y_train, X_test, y_test = imbalanced_train_test(2000, ratio=0.05, separation=2.0, seeds=(0, 1))
X_train, X_test = X_train.double().to(device), X_test.double().to(device)
y_train, y_test = y_train.to(device), y_test.to(device)
n_neg, n_pos = int((y_train == 0).sum()), int(y_train.sum())
print(f"training set: {n_neg} negatives, {n_pos} positives; the balancing weight is q = {n_neg}/{n_pos} = {n_neg / n_pos:g}")

weights = [1, 2, 4, 8, 19]
models = {q: fit_logistic(X_train, y_train.double(), pos_weight=float(q)) for q in weights}
w_1, b_1 = models[1]

print("\n   q  precision  recall     F1  balanced acc.  ROC AUC")
rows = []
for q, (w, b) in models.items():
    s = X_test @ w + b
    y_pred = (s >= 0).long()  # σ(s) ≥ 0.5
    row = [precision_score(y_test, y_pred), recall_score(y_test, y_pred), f1_score(y_test, y_pred),
           recall_score(y_test, y_pred, average="macro"), roc_auc_score(y_test, s)]
    rows.append(row)
    print(f"{q:4d}  {row[0]:9.3f}  {row[1]:6.3f}  {row[2]:5.3f}  {row[3]:13.3f}  {row[4]:7.3f}")

# What the weight does to the model: the slopes barely move, the intercept rises by about log q. So the weighted
# model at τ = 0.5 makes nearly the same decisions as the unweighted model at τ = 1/(1 + q).
print("\n   q     w_1    w_2       b  b - b(q=1)  log q  same decisions as q = 1 at τ = 1/(1+q)")
p_1 = torch.sigmoid(X_test @ w_1 + b_1)
for q, (w, b) in models.items():
    same = ((X_test @ w + b >= 0) == (p_1 >= 1 / (1 + q))).double().mean().item()
    print(f"{q:4d}  {w[0].item():6.3f} {w[1].item():6.3f}  {b.item():6.3f}  {(b - b_1).item():10.3f}  {math.log(q):5.3f}"
          f"  {same:.1%} of the test set")

same_min = min(((X_test @ w + b >= 0) == (p_1 >= 1 / (1 + q))).double().mean().item() for q, (w, b) in models.items())
best = max(range(len(weights)), key=lambda i: rows[i][2])
publish(precision_q1=rows[0][0], precision_q19=rows[-1][0], recall_q1=rows[0][1], recall_q19=rows[-1][1],
        f1_q1=rows[0][2], f1_q19=rows[-1][2], best_q=weights[best], f1_best=rows[best][2],
        balanced_q1=rows[0][3], balanced_q19=rows[-1][3], auc_q1=rows[0][4], auc_q19=rows[-1][4], same_min=same_min)

fig, ax = plt.subplots()
for k, label in enumerate(["precision", "recall", "F1", "balanced accuracy", "ROC AUC"]):
    ax.plot(weights, [r[k] for r in rows], marker="o", ms=4, label=label, ls="--" if label == "ROC AUC" else "-")
ax.set_xscale("log")
ax.minorticks_off()
ax.set(xticks=weights, xticklabels=[str(q) for q in weights], ylim=(0, 1),
       xlabel="weight q of each positive (log scale)", ylabel="on the test set, at τ = 0.5",
       title="Class weights move the operating point, not the ranking")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3)
savefig(fig, "class_weights")
