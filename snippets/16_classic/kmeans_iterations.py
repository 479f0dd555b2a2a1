"""Lloyd's algorithm for k-means, step by step, from a deliberately poor start: the centroids travel."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.cluster import KMeans
from lessonlib.data import blobs

use_book_style()
device = get_device()

true_centres = torch.tensor([[-4.0, -2.0], [0.0, 3.5], [4.0, -1.0]])
X, _ = blobs(300, centers=true_centres, std=1.0, seed=0)
X = X.to(device, torch.float64)  # J is a sum of 300 squares: float64 keeps its printed decimals exact
k = 3

# A poor start on purpose: the three points nearest the bottom-left corner, all in one blob.
corner = torch.tensor([-6.0, -5.0], device=device, dtype=torch.float64)
centres = X[(X - corner).norm(dim=1).argsort()[:k]]


def inertia(X, centres, labels):
    """J: the sum of squared distances from each point to the centre of its cluster."""
    return (X - centres[labels]).square().sum().item()


history, assignments, J_first = [centres], [], None
print("iteration   J after assigning   J after updating")
for it in range(1, 21):
    labels = torch.cdist(X, centres).argmin(dim=1)  # step 1: assign each point to its nearest centre
    J_assign = inertia(X, centres, labels)
    J_first = J_assign if J_first is None else J_first
    centres = torch.stack([X[labels == j].mean(dim=0) for j in range(k)])  # step 2: move each centre to its mean
    J_update = inertia(X, centres, labels)
    history.append(centres)
    assignments.append(labels)
    print(f"{it:9d}   {J_assign:17.2f}   {J_update:16.2f}")
    if torch.equal(history[-1], history[-2]):  # nothing moved: the next assignment would be the same
        break

km = KMeans(n_clusters=k, seed=0).fit(X)
print(f"lessonlib KMeans (k-means++ start): J = {km.inertia_:.2f} after {km.n_iter_} iterations")
publish(J_initial=J_first, J_final=J_update, updates_to_converge=it - 1, iterations=it, J_kmeans_plus_plus=km.inertia_)

# Panel t: the centres after t updates (their path so far) and the partition they induce, which is the next
# assignment step; the last panel is the fixed point.
fig, axes = plt.subplots(1, 4, figsize=(13, 3.6), sharex=True, sharey=True)
path = torch.stack(history).cpu()  # (updates + 1, k, 2)
Xc = X.cpu()
last = len(assignments) - 1  # the last iteration changed nothing: its assignment is the final partition
for ax, t in zip(axes, [0, 1, 2, last]):
    labels = assignments[t].cpu()
    for j in range(k):
        ax.scatter(Xc[labels == j, 0], Xc[labels == j, 1], s=8, color=f"C{j}", alpha=0.6)
        ax.plot(path[: t + 1, j, 0], path[: t + 1, j, 1], "-", color="black", lw=1)
        ax.plot(path[0, j, 0], path[0, j, 1], "o", ms=5, mfc="white", mec="black")
        ax.plot(path[t, j, 0], path[t, j, 1], "X", ms=12, mfc=f"C{j}", mec="black")
    title = "start" if t == 0 else f"after {t} update{'s' if t > 1 else ''}" + (": converged" if t == last else "")
    ax.set(title=title, xlabel="$x_1$", aspect="equal")
axes[0].set_ylabel("$x_2$")
savefig(fig, "kmeans_iterations")
