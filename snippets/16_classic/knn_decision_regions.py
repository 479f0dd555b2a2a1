"""Decision regions of k-nearest neighbours on two moons for k = 1, 5 and 25."""

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

X, y = two_moons(400, noise=0.3, seed=0)
X = X.double()  # float64 distances: no near-tie between neighbours is decided by float32 rounding
X_train, X_val, X_test, y_train, y_val, y_test = (
    t.to(device) for t in train_val_test_split(X, y, proportions=(0.5, 0.25, 0.25), seed=0)
)

# A grid of query points covering the plot: each gets the fraction of its k neighbours in class 1.
xs, ys = torch.linspace(-2.0, 3.0, 201), torch.linspace(-1.75, 2.25, 161)
grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1).reshape(-1, 2).to(device, torch.float64)

fig, axes = plt.subplots(1, 3, figsize=(12, 3.9), sharey=True)
accuracy = {}
print("   k   training accuracy   test accuracy")
for ax, k in zip(axes, (1, 5, 25)):
    knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
    train_acc = (knn.predict(X_train) == y_train).double().mean().item()
    test_acc = (knn.predict(X_test) == y_test).double().mean().item()
    print(f"{k:4d}   {train_acc:17.3f}   {test_acc:13.3f}")
    accuracy[f"train_accuracy_k{k}"], accuracy[f"test_accuracy_k{k}"] = train_acc, test_acc
    p1 = knn.predict_proba(grid)[:, 1].reshape(len(ys), len(xs)).cpu()
    ax.contourf(xs, ys, p1, levels=[0, 0.5, 1], colors=["#9CC8E6", "#F2B58E"], alpha=0.8)
    ax.contour(xs, ys, p1, levels=[0.5], colors="0.2", linewidths=1)
    Xc, yc = X_train.cpu(), y_train.cpu()
    for c, marker, color in [(0, "o", "C0"), (1, "s", "C1")]:
        ax.scatter(Xc[yc == c, 0], Xc[yc == c, 1], marker=marker, s=12, color=color, edgecolors="white", linewidths=0.4)
    ax.set(title=f"k = {k}: train {train_acc:.2f}, test {test_acc:.2f}", xlabel="$x_1$", aspect="equal")
axes[0].set_ylabel("$x_2$")
savefig(fig, "knn_regions")
publish(**accuracy)
