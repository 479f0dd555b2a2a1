"""Exercise: instead of reweighting, move the threshold, choosing it on a validation set to maximise F1."""

import torch

from lessonlib.data import imbalanced_binary
from lessonlib.device import get_device
from lessonlib.losses import binary_cross_entropy_with_logits
from lessonlib.metrics import f1_score, precision_recall_curve, precision_score, recall_score

device = get_device()


def fit_logistic(X, y, pos_weight=1.0):
    """Logistic regression: minimise the class-weighted cross-entropy, here with L-BFGS."""
    if not pos_weight > 0:
        raise ValueError(f"Invalid pos_weight: {pos_weight!r} (expected a number > 0)")
    q = torch.tensor(pos_weight, dtype=X.dtype, device=X.device)
    w = torch.zeros(X.shape[1], dtype=X.dtype, device=X.device, requires_grad=True)
    b = torch.zeros((), dtype=X.dtype, device=X.device, requires_grad=True)
    total_weight = q * y.sum() + (1 - y).sum()  # each positive counts q times
    optimizer = torch.optim.LBFGS([w, b], max_iter=100, tolerance_grad=1e-10, tolerance_change=1e-12,
                                  line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = binary_cross_entropy_with_logits(X @ w + b, y, pos_weight=q, reduction="sum") / total_weight
        loss.backward()
        return loss

    optimizer.step(closure)
    return w.detach(), b.detach()


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
for name, t in [("τ = 0.5", 0.5), (f"τ = {tau:.3f}", tau)]:
    y_pred = (p_test >= t).long()
    print(f"test set, {name:<9}: precision {precision_score(y_test, y_pred):.3f}, "
          f"recall {recall_score(y_test, y_pred):.3f}, F1 {f1_score(y_test, y_pred):.3f}")
