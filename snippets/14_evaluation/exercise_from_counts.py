"""Exercise: a fraud detector's four counts, its four metrics, and the detector that flags nothing."""

import torch

from lessonlib.book.device import get_device
from lessonlib.metrics import accuracy_score, f1_score, precision_score, recall_score

device = get_device()

tp, fp, fn, tn = 30, 20, 10, 940  # 1000 transactions, 40 of them fraudulent
print(f"by hand:   accuracy {(tp + tn) / (tp + fp + fn + tn):.3f}, precision {tp / (tp + fp):.3f}, "
      f"recall {tp / (tp + fn):.3f}, F1 {2 * tp / (2 * tp + fp + fn):.3f}")

# Rebuild label vectors with exactly those counts and let the library count again.
y_true = torch.tensor([1] * tp + [0] * fp + [1] * fn + [0] * tn, device=device)
y_pred = torch.tensor([1] * tp + [1] * fp + [0] * fn + [0] * tn, device=device)
print(f"lessonlib: accuracy {accuracy_score(y_true, y_pred):.3f}, precision {precision_score(y_true, y_pred):.3f}, "
      f"recall {recall_score(y_true, y_pred):.3f}, F1 {f1_score(y_true, y_pred):.3f}")

nothing = torch.zeros_like(y_true)
print(f"flag nothing: accuracy {accuracy_score(y_true, nothing):.3f}, recall {recall_score(y_true, nothing):.3f}, "
      f"F1 {f1_score(y_true, nothing):.3f}")
