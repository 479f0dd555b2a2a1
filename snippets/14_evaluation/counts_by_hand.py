"""A screening test on 20 people: count the four outcomes, then turn the counts into four metrics."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.metrics import accuracy_score, confusion_matrix, f1_score, precision_score, recall_score

device = get_device()

# 1 = has the condition (the positive class), 0 = does not. Six of the twenty are positive.
y_true = torch.tensor([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0], device=device)
y_pred = torch.tensor([1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0], device=device)

tp = int(((y_true == 1) & (y_pred == 1)).sum())  # ill, and flagged
fp = int(((y_true == 0) & (y_pred == 1)).sum())  # healthy, but flagged: a false alarm
fn = int(((y_true == 1) & (y_pred == 0)).sum())  # ill, but missed
tn = int(((y_true == 0) & (y_pred == 0)).sum())  # healthy, and cleared
m = len(y_true)
print(f"TP = {tp}, FP = {fp}, FN = {fn}, TN = {tn}  (m = {m})")
print("confusion matrix, rows = true class 0, 1; columns = predicted class 0, 1:")
print(confusion_matrix(y_true, y_pred).cpu())

print(f"\n{'metric':<10}{'formula':<24}{'by hand':>14}{'lessonlib':>11}")
rows = [
    ("accuracy", "(TP + TN) / m", tp + tn, m, accuracy_score(y_true, y_pred)),
    ("precision", "TP / (TP + FP)", tp, tp + fp, precision_score(y_true, y_pred)),
    ("recall", "TP / (TP + FN)", tp, tp + fn, recall_score(y_true, y_pred)),
    ("F1", "2TP / (2TP + FP + FN)", 2 * tp, 2 * tp + fp + fn, f1_score(y_true, y_pred)),
]
for name, formula, num, den, library in rows:
    print(f"{name:<10}{formula:<24}{f'{num}/{den} = {num / den:.3f}':>14}{library:>11.3f}")

publish(tp=tp, fp=fp, fn=fn, tn=tn, flagged=tp + fp, ill=tp + fn, accuracy=accuracy_score(y_true, y_pred),
        precision=precision_score(y_true, y_pred), recall=recall_score(y_true, y_pred), f1=f1_score(y_true, y_pred))
