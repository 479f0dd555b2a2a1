"""Choosing k for k-nearest neighbours on a validation set, then one look at the test set."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import train_val_test_split, two_moons
from lessonlib.neighbors import KNeighborsClassifier

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tensors this small run faster on one thread than on two

X, y = two_moons(400, noise=0.3, seed=0)  # the same data and split as the decision regions
X = X.double()  # float64 distances: no near-tie between neighbours is decided by float32 rounding
X_train, X_val, X_test, y_train, y_val, y_test = (
    t.to(device) for t in train_val_test_split(X, y, proportions=(0.5, 0.25, 0.25), seed=0)
)

# Odd values of k (no tied votes between two classes), spaced roughly evenly on a log scale (chapter 16).
ks = [1, 3, 5, 7, 9, 11, 13, 15, 19, 23, 27, 33, 39, 47, 55, 65, 79, 95, 115, 139, 167, 199]
train_acc, val_acc = [], []
for k in ks:
    knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
    train_acc.append((knn.predict(X_train) == y_train).double().mean().item())
    val_acc.append((knn.predict(X_val) == y_val).double().mean().item())

best = max(range(len(ks)), key=lambda i: (val_acc[i], -ks[i]))  # the best validation accuracy; the smallest k on ties
k_best = ks[best]
print("    k   training   validation")
for k in (1, 3, 7, 15, 33, 65, 115, 199):  # a few rows; the figure shows them all
    i = ks.index(k)
    print(f"{k:5d}   {train_acc[i]:8.3f}   {val_acc[i]:10.3f}")
print(f"best validation accuracy {val_acc[best]:.3f} at k = {k_best}")
knn = KNeighborsClassifier(n_neighbors=k_best).fit(X_train, y_train)
test_acc = (knn.predict(X_test) == y_test).double().mean().item()
print(f"test accuracy with k = {k_best}: {test_acc:.3f}")
majority = y_train.bincount().max().item() / len(y_train)
print(f"k = {len(y_train)} (every training point votes) would predict the majority class; its share: {majority:.3f}")
plateau = [a for k, a in zip(ks, val_acc) if 7 <= k <= 95]  # the broad plateau of the figure
publish(train_accuracy_k1=train_acc[0], val_accuracy_k1=val_acc[0], val_accuracy_plateau=sum(plateau) / len(plateau),
        val_accuracy_best=val_acc[best], k_best=k_best, test_accuracy_best=test_acc, majority_share=majority,
        train_accuracy_largest_k=train_acc[-1], val_accuracy_largest_k=val_acc[-1])

fig, ax = plt.subplots()
ax.plot(ks, train_acc, "o-", ms=3, label="training accuracy")
ax.plot(ks, val_acc, "s-", ms=3, label="validation accuracy")
ax.axvline(k_best, color="0.5", ls="--", lw=1)
ax.annotate(f"chosen: k = {k_best}", xy=(k_best, val_acc[best]), xytext=(k_best * 1.8, 0.97),
            arrowprops=dict(arrowstyle="->"))
ax.set(xscale="log", xlabel="k (log scale): flexible on the left, smooth on the right", ylabel="accuracy",
       ylim=(0.5, 1.02), title="Small k overfits, large k underfits")
ax.legend(loc="lower left")
savefig(fig, "choose_k")
