"""Softmax regression on the 8×8 digits: its confusion matrix, and precision, recall and F1 per class."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import digits, train_val_test_split
from lessonlib.losses import cross_entropy
from lessonlib.metrics import accuracy_score, confusion_matrix, f1_score, precision_score, recall_score

use_book_style()
torch.set_num_threads(1)  # tensors this small train faster on one thread than on two
device = get_device()

X, y = digits()
X_train, _, X_test, y_train, _, y_test = train_val_test_split(X.double(), y, proportions=(0.6, 0.2, 0.2), seed=0)
X_train, X_test, y_train, y_test = (t.to(device) for t in (X_train, X_test, y_train, y_test))

# A linear model with one logit per class, trained by full-batch gradient descent.
W = torch.zeros(64, 10, dtype=torch.float64, device=device, requires_grad=True)
b = torch.zeros(10, dtype=torch.float64, device=device, requires_grad=True)
optimizer = torch.optim.SGD([W, b], lr=1.0)
for _ in range(200):
    loss = cross_entropy(X_train @ W + b, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

with torch.no_grad():
    y_pred = (X_test @ W + b).argmax(dim=1)
C = confusion_matrix(y_test, y_pred).cpu()
print(f"{len(y_test)} test images, accuracy {accuracy_score(y_test, y_pred):.3f}")
print("confusion matrix (rows: true digit, columns: predicted digit):")
print(C)

precision = precision_score(y_test, y_pred, average=None).cpu()
recall = recall_score(y_test, y_pred, average=None).cpu()
f1 = f1_score(y_test, y_pred, average=None).cpu()
print("\ndigit  support  precision  recall     F1")
for c in range(10):
    print(f"{c:5d}  {int(C[c].sum()):7d}  {precision[c]:9.3f}  {recall[c]:6.3f}  {f1[c]:5.3f}")
for average in ["macro", "weighted", "micro"]:
    scores = [fn(y_test, y_pred, average=average) for fn in (precision_score, recall_score, f1_score)]
    print(f"{average:>8} average:  P = {scores[0]:.3f}  R = {scores[1]:.3f}  F1 = {scores[2]:.3f}")

off_diagonal = C - torch.diag(torch.diag(C))
perfect = [f"{c}s" for c in range(10) if recall[c] == 1]
print("\nmistakes made three times or more:")
for i, j in (off_diagonal >= 3).nonzero().tolist():
    print(f"  a true {i} predicted as {j}: {int(C[i, j])} times")

fig, ax = plt.subplots(figsize=(5.6, 4.8))
mesh = ax.pcolormesh(C.float().clamp(max=12), cmap="Blues", edgecolors="white", linewidth=0.5)
for r in range(10):
    for c in range(10):
        if C[r, c] > 0:
            ax.text(c + 0.5, r + 0.5, str(int(C[r, c])), ha="center", va="center", fontsize=9,
                    color="white" if C[r, c] > 8 else "black")
ax.set(xticks=torch.arange(10) + 0.5, xticklabels=range(10), yticks=torch.arange(10) + 0.5, yticklabels=range(10),
       xlabel="predicted digit", ylabel="true digit", title="Digits test set: counts per (true, predicted)")
ax.invert_yaxis()
ax.grid(False)
ax.set_aspect("equal")
savefig(fig, "digits_confusion")

publish(test_size=len(y_test), correct=int(torch.diag(C).sum()), correct_min=int(torch.diag(C).min()),
        correct_max=int(torch.diag(C).max()), accuracy=accuracy_score(y_test, y_pred),
        perfect_recall_digits=", ".join(perfect[:-1]) + " and " + perfect[-1],
        threes=int(C[3].sum()), threes_as_7=int(C[3, 7]), threes_as_8=int(C[3, 8]),
        threes_as_7_or_8=int(C[3, 7] + C[3, 8]), fives_as_9=int(C[5, 9]),
        precision_8=precision[8], recall_8=recall[8], precision_3=precision[3], recall_3=recall[3],
        micro_f1=f1_score(y_test, y_pred, average="micro"))
