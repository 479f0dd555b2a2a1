"""Three kinds of learning on small data sets: classification and regression learn from labels, clustering without."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.cluster import KMeans
from lessonlib.data import blobs
from lessonlib.linear import fit_lstsq

use_book_style()
device = get_device()
f64 = torch.float64  # the data sets and fits in float64: the same digits on every CPU
fig, (ax_cls, ax_reg, ax_clu) = plt.subplots(1, 3, figsize=(12, 3.8))

# Classification: every point comes with a label (its colour); learn a rule that predicts the label.
X, y = blobs(60, centers=torch.tensor([[-1.5, 0.0], [1.5, 1.0]]), std=0.8, dtype=f64, seed=1)
X, y = X.to(device), y.to(device)
mu0, mu1 = X[y == 0].mean(0), X[y == 1].mean(0)  # a very simple classifier: the nearest class mean
predicted = ((X - mu1).norm(dim=1) < (X - mu0).norm(dim=1)).long()
accuracy = (predicted == y).double().mean().item()
print(f"classification: nearest-mean rule gets {accuracy:.0%} of the 60 labels right")
X, y = X.cpu(), y.cpu()
for label, marker in [(0, "o"), (1, "s")]:
    ax_cls.plot(X[y == label, 0], X[y == label, 1], marker, ls="", color=f"C{label}", ms=5, label=f"class {label}")
normal, middle = (mu1 - mu0).cpu(), ((mu0 + mu1) / 2).cpu()  # the boundary is the perpendicular bisector
t = torch.linspace(-3, 3, 2, dtype=f64)
ax_cls.plot(middle[0] - normal[1] * t, middle[1] + normal[0] * t, "k--", lw=1.2)
ax_cls.set(title="supervised: classification", xlabel="$x_1$", ylabel="$x_2$", xlim=(-4, 4), ylim=(-3, 4))
ax_cls.legend(loc="lower right")

# Regression: the label is a number; learn a function from x to y.
g = torch.Generator().manual_seed(2)
x = torch.rand(40, generator=g, dtype=f64) * 4
target = 0.8 * x + 0.5 + 0.4 * torch.randn(40, generator=g, dtype=f64)
W = fit_lstsq(x[:, None].to(device), target.to(device))  # least squares (chapter 2): W = [slope, intercept]
# Rounded before plotting, so that the figure cannot depend on the last bits of a library routine.
slope, intercept = (round(v, 4) for v in W.tolist())
print(f"regression: fitted y = {slope:.2f} x + {intercept:.2f} to 40 labelled points")
ax_reg.plot(x, target, "o", ms=5, color="C2")
ax_reg.plot([0, 4], [intercept, 4 * slope + intercept], "k-", lw=1.5)
ax_reg.set(title="supervised: regression", xlabel="$x$", ylabel="$y$")

# Clustering: no labels at all; find groups in the inputs alone.
X, hidden = blobs(90, centers=torch.tensor([[0.0, 0.0], [4.0, 0.5], [1.5, 3.5]]), std=0.7, dtype=f64, seed=3)
km = KMeans(n_clusters=3, seed=0).fit(X.to(device))
labels, centres = km.labels_.cpu(), km.cluster_centers_.cpu()
sizes = sorted(labels.bincount().tolist())
print(f"clustering: k-means split 90 unlabelled points into groups of {sizes}")
for j in range(3):
    ax_clu.plot(X[labels == j, 0], X[labels == j, 1], "o", ms=5, color=f"C{j + 3}", alpha=0.8)
ax_clu.plot(centres[:, 0], centres[:, 1], "k*", ms=13)
ax_clu.set(title="unsupervised: clustering", xlabel="$x_1$", ylabel="$x_2$")
savefig(fig, "paradigms")
publish(accuracy=accuracy, slope=W[0], intercept=W[1],
        smallest_group=sizes[0], largest_group=sizes[-1])
