"""Exercise: the AUC of hard 0/1 predictions is the balanced accuracy, not a ranking measure."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.metrics import recall_score, roc_auc_score

device = get_device()

# The screening example of this chapter: TP = 4, FN = 2, FP = 3, TN = 11.
y_true = torch.tensor([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0], device=device)
y_pred = torch.tensor([1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0], device=device)

tpr, tnr = 4 / 6, 11 / 14
print(f"AUC of the 0/1 predictions: {roc_auc_score(y_true, y_pred):.4f}")
print(f"(TPR + TNR) / 2           : {(tpr + tnr) / 2:.4f}")
print(f"balanced accuracy         : {recall_score(y_true, y_pred, average='macro'):.4f}")

publish(hard_label_auc=roc_auc_score(y_true, y_pred), balanced_accuracy=recall_score(y_true, y_pred, average="macro"))
