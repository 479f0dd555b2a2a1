"""On a test set with 5% positives, a classifier that never says "positive" beats most on accuracy."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.data import imbalanced_train_test
from lessonlib.logistic import fit_logistic
from lessonlib.metrics import accuracy_score, confusion_matrix, f1_score, precision_score, recall_score

device = get_device()

# Two overlapping Gaussian classes in 2-D, 5% positives; training and test sets drawn separately.
X_train, y_train, X_test, y_test = imbalanced_train_test(2000, ratio=0.05, separation=2.0, seeds=(0, 1))
X_train, X_test = X_train.double().to(device), X_test.double().to(device)
y_train, y_test = y_train.to(device), y_test.to(device)
print(f"test set: {int((y_test == 0).sum())} negatives, {int(y_test.sum())} positives")

w, b = fit_logistic(X_train, y_train.double())
predictions = {
    "always negative": torch.zeros_like(y_test),
    "logistic regression": (torch.sigmoid(X_test @ w + b) >= 0.5).long(),  # threshold τ = 0.5
}

print(f"\n{'':<21}{'accuracy':>9}{'precision':>10}{'recall':>8}{'F1':>7}{'balanced acc.':>15}")
for name, y_pred in predictions.items():
    scores = [
        accuracy_score(y_test, y_pred),
        precision_score(y_test, y_pred),  # no positive predictions: 0/0, scored as 0
        recall_score(y_test, y_pred),
        f1_score(y_test, y_pred),
        recall_score(y_test, y_pred, average="macro"),  # the mean of the two classes' recalls
    ]
    print(f"{name:<21}" + "".join(f"{s:{width}.3f}" for s, width in zip(scores, [9, 10, 8, 7, 15])))
model = predictions["logistic regression"]
for name, y_pred in predictions.items():
    print(f"\nconfusion matrix, {name}:\n{confusion_matrix(y_test, y_pred).cpu()}")

publish(test_positives=int(y_test.sum()), baseline_accuracy=accuracy_score(y_test, predictions["always negative"]),
        model_accuracy=accuracy_score(y_test, model), model_tp=int(((y_test == 1) & (model == 1)).sum()),
        model_fp=int(((y_test == 0) & (model == 1)).sum()), model_recall=recall_score(y_test, model),
        model_f1=f1_score(y_test, model),
        baseline_balanced=recall_score(y_test, predictions["always negative"], average="macro"),
        model_balanced=recall_score(y_test, model, average="macro"))
