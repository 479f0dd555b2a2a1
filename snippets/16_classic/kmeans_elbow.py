"""Choosing k for k-means: the inertia J always falls as k grows, so look for the elbow."""

import matplotlib.pyplot as plt
import torch

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.cluster import KMeans
from lessonlib.data import six_blobs

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tensors this small run faster on one thread than on two

X, _ = six_blobs(600, std=1.0, seed=0)  # the six blobs of the local-minima example
X = X.to(device, torch.float64)

ks = list(range(1, 11))
inertias = [KMeans(n_clusters=k, n_init=10, seed=0).fit(X).inertia_ for k in ks]
print("  k           J   J(k-1) / J(k)")
for i, (k, J) in enumerate(zip(ks, inertias)):
    ratio = f"{inertias[i - 1] / J:8.2f}" if i > 0 else ""
    print(f"{k:3d}   {J:9.2f}   {ratio}".rstrip())
ratios = [inertias[i - 1] / inertias[i] for i in range(1, len(ks))]
after_six = (inertias[5] / inertias[9]) ** (1 / 4)  # the geometric mean of the last four ratios
publish(J_k1=inertias[0], J_k6=inertias[5], J_k10=inertias[9], ratio_min_up_to_six=min(ratios[:5]),
        ratio_max_up_to_six=max(ratios[:5]), ratio_after_six=after_six)

fig, ax = plt.subplots()
ax.plot(ks, [round(J, 2) for J in inertias], "o-")
ax.annotate("the elbow: k = 6", xy=(6, inertias[5]), xytext=(7, inertias[1]), arrowprops=dict(arrowstyle="->"))
ax.set(xlabel="number of clusters k", ylabel="inertia J", yscale="log", xticks=ks,
       title="Six blobs: J drops fast up to k = 6, slowly after")
savefig(fig, "kmeans_elbow")
