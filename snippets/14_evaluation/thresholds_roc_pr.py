"""One model, many classifiers: precision and recall as the threshold moves, and the ROC and PR curves."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import imbalanced_train_test
from lessonlib.logistic import fit_logistic
from lessonlib.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

use_book_style()
device = get_device()

X_train, y_train, X_test, y_test = imbalanced_train_test(2000, ratio=0.05, separation=2.0, seeds=(0, 1))
X_train, X_test = X_train.double().to(device), X_test.double().to(device)
y_train, y_test = y_train.to(device), y_test.to(device)

w, b = fit_logistic(X_train, y_train.double())
p = torch.sigmoid(X_test @ w + b)  # the score: the model's probability of "positive"

print("   τ    TP    FP    FN  precision  recall (TPR)     FPR")
positive, negative = y_test == 1, y_test == 0
at = {}  # (precision, recall, FPR) at each threshold
for tau in [0.9, 0.7, 0.5, 0.3, 0.2, 0.1, 0.05]:
    flagged = p >= tau
    tp, fp, fn = int((flagged & positive).sum()), int((flagged & negative).sum()), int((~flagged & positive).sum())
    at[tau] = tp / (tp + fp), tp / (tp + fn), fp / int(negative.sum())
    print(f"{tau:4.2f}  {tp:4d}  {fp:4d}  {fn:4d}  {at[tau][0]:9.3f}  {at[tau][1]:12.3f}  {at[tau][2]:6.3f}")

fpr, tpr, _ = roc_curve(y_test, p)
precision, recall, _ = precision_recall_curve(y_test, p)
auc, ap = roc_auc_score(y_test, p), average_precision_score(y_test, p)
print(f"\nROC AUC = {auc:.3f}   average precision = {ap:.3f}   (a random ranking: 0.5 and {y_test.double().mean():.3f})")
trapezoid = torch.trapezoid(precision, -recall).item()
print(f"area under the precision-recall curve by the trapezoid rule: {trapezoid:.3f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.4))
left.plot(fpr.cpu(), tpr.cpu(), label=f"logistic regression (AUC = {auc:.3f})")
left.plot([0, 1], [0, 1], "--", color="0.5", lw=1, label="random ranking (AUC = 0.5)")
right.plot(recall.cpu(), precision.cpu(), drawstyle="steps-post", label=f"logistic regression (AP = {ap:.3f})")
right.axhline(0.05, ls="--", color="0.5", lw=1, label="random ranking (AP = 0.05)")
flagged = p >= 0.5
tp, fp = int((flagged & positive).sum()), int((flagged & negative).sum())
left.plot([fp / int(negative.sum())], [tp / int(positive.sum())], "o", color="C1", ms=7, label="τ = 0.5")
right.plot([tp / int(positive.sum())], [tp / (tp + fp)], "o", color="C1", ms=7, label="τ = 0.5")
left.set(xlabel="false positive rate FP / N", ylabel="true positive rate TP / P", title="ROC curve", aspect="equal")
right.set(xlabel="recall TP / P", ylabel="precision TP / (TP + FP)", title="Precision–recall curve", ylim=(0, 1.02))
left.legend(loc="lower right")
right.legend(loc="lower left", bbox_to_anchor=(0.0, 0.07), fontsize=9)
savefig(fig, "roc_pr")

publish(auc=auc, ap=ap, trapezoid=trapezoid, prevalence=y_test.double().mean(),
        precision_at_09=at[0.9][0], recall_at_09=at[0.9][1], precision_at_005=at[0.05][0], recall_at_005=at[0.05][1],
        fpr_at_005=at[0.05][2], recall_at_05=at[0.5][1])
