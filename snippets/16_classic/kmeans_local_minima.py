"""k-means ends in a local minimum that depends on its start: random starts against k-means++, over 100 seeds."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.cluster import KMeans, kmeans_plus_plus
from lessonlib.data import six_blobs

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tensors this small run faster on one thread than on two

X, _ = six_blobs(600, std=1.0, seed=0)  # 100 points around each of six centres (lessonlib.data.SIX_CENTRES)
X = X.to(device, torch.float64)
k = 6


def lloyd(X, centres, max_iter=100):
    """Lloyd's two steps until the centres stop moving; returns the centres, the labels and J."""
    for _ in range(max_iter):
        labels = torch.cdist(X, centres).argmin(dim=1)
        new = torch.stack([X[labels == j].mean(dim=0) if (labels == j).any() else centres[j] for j in range(len(centres))])
        if torch.equal(new, centres):
            break
        centres = new
    labels = torch.cdist(X, centres).argmin(dim=1)
    return centres, labels, (X - centres[labels]).square().sum().item()


starts = {
    "random data points": lambda g: X[torch.randperm(len(X), generator=g, device=device)[:k]],
    "k-means++": lambda g: kmeans_plus_plus(X, k, generator=g, n_local_trials=1),
    "greedy k-means++": lambda g: kmeans_plus_plus(X, k, generator=g),
}
results = {name: [lloyd(X, start(torch.Generator(device=device).manual_seed(s))) for s in range(100)]
           for name, start in starts.items()}
best_J = min(J for runs in results.values() for *_, J in runs)
print(f"best J found: {best_J:.2f}")
reached_by, worst_by = {}, {}
print(f"{'start':<20}{'reached it':>11}{'mean J':>9}{'worst J':>9}")
for name, runs in results.items():
    Js = torch.tensor([J for *_, J in runs], dtype=torch.float64)
    reached = (Js <= best_J * (1 + 1e-6)).sum().item()
    reached_by[name], worst_by[name] = reached, Js.max().item()
    print(f"{name:<20}{reached:>7} of 100{Js.mean().item():>9.1f}{Js.max().item():>9.1f}")

km = KMeans(n_clusters=k, n_init=10, seed=0).fit(X)
print(f"KMeans with n_init=10 (best of ten greedy k-means++ runs): J = {km.inertia_:.2f}")

# The picture: the first random start that got stuck, next to the best solution.
stuck = next(run for run in results["random data points"] if run[2] > best_J * (1 + 1e-6))
best = next(run for run in results["greedy k-means++"] if run[2] <= best_J * (1 + 1e-6))
print(f"pictured: a random start stuck at J = {stuck[2]:.1f}, and a solution with the best J")
publish(best_J=best_J, reached_random=reached_by["random data points"], reached_plus_plus=reached_by["k-means++"],
        reached_greedy=reached_by["greedy k-means++"], worst_J_random=worst_by["random data points"],
        J_n_init_10=km.inertia_, J_pictured_stuck=stuck[2], J_pictured_best=best[2])
fig, axes = plt.subplots(1, 2, figsize=(10, 4.4), sharey=True)
for ax, (centres, labels, J), title in [(axes[0], stuck, "a local minimum"), (axes[1], best, "the best found")]:
    Xc, labels, centres = X.cpu(), labels.cpu(), centres.cpu()
    for j in range(k):
        ax.scatter(Xc[labels == j, 0], Xc[labels == j, 1], s=7, color=f"C{j}", alpha=0.6)
    ax.plot(centres[:, 0], centres[:, 1], "X", ms=13, mfc="white", mec="black", mew=1.5)
    ax.set(title=f"{title}: J = {J:.0f}", xlabel="$x_1$", aspect="equal")
axes[0].set_ylabel("$x_2$")
savefig(fig, "kmeans_local_minima")
