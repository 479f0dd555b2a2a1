"""Exercise: instead of reweighting, move the threshold, choosing it on a validation set to maximise F1."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.data import imbalanced_binary
from lessonlib.logistic import fit_logistic
from lessonlib.metrics import f1_score, precision_recall_curve, precision_score, recall_score

device = get_device()

splits = {name: imbalanced_binary(2000, ratio=0.05, separation=2.0, seed=seed)
          for name, seed in [("train", 0), ("test", 1), ("validation", 2)]}
(X_train, y_train), (X_test, y_test), (X_val, y_val) = (
    (X.double().to(device), y.to(device)) for X, y in splits.values())

w, b = fit_logistic(X_train, y_train.double())  # no weights

# Every threshold at once: F1 = 2PR / (P + R) along the validation set's precision-recall curve.
precision, recall, thresholds = precision_recall_curve(y_val, torch.sigmoid(X_val @ w + b))
f1 = 2 * precision * recall / (precision + recall).clamp(min=1e-12)
best = int(f1[:-1].argmax())  # the last point (recall 0) has no threshold
tau = thresholds[best].item()
print(f"best threshold on the validation set: τ = {tau:.3f} (validation F1 {f1[best].item():.3f}), "
      f"like a class weight q = (1 - τ)/τ = {(1 - tau) / tau:.1f}")

p_test = torch.sigmoid(X_test @ w + b)
test_f1 = {}
for name, t in [("τ = 0.5", 0.5), (f"τ = {tau:.3f}", tau)]:
    y_pred = (p_test >= t).long()
    test_f1[t] = f1_score(y_test, y_pred)
    print(f"test set, {name:<9}: precision {precision_score(y_test, y_pred):.3f}, "
          f"recall {recall_score(y_test, y_pred):.3f}, F1 {f1_score(y_test, y_pred):.3f}")

publish(tau=tau, q_equivalent=(1 - tau) / tau, test_f1_half=test_f1[0.5], test_f1_tau=test_f1[tau])
