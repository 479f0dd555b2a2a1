"""The curse of dimensionality: distances concentrate, and k-nearest neighbours drowns in irrelevant dimensions."""

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
gen = torch.Generator().manual_seed(0)

# 1. In n dimensions, how much nearer is a point's nearest neighbour than its farthest one?
dims = [1, 2, 10, 100, 1000]
ratios, exact = [], {}
print("    n   nearest / farthest distance (mean over 100 queries, 1000 uniform points)")
for n in dims:
    points = torch.rand(1000, n, generator=gen, dtype=torch.float64).to(device)
    queries = torch.rand(100, n, generator=gen, dtype=torch.float64).to(device)
    D = torch.cdist(queries, points)
    exact[n] = (D.min(dim=1).values / D.max(dim=1).values).mean().item()
    ratios.append(round(exact[n], 4))  # rounded for the figure: BLAS may vary the last bits
    print(f"{n:5d}   {ratios[-1]:.3f}")

# 2. Two moons plus d dimensions of pure noise, all on the same scale as the moons: test accuracy of 15-NN.
X, y = two_moons(400, noise=0.3, seed=0)
X = X.double()  # float64 distances: no near-tie between neighbours is decided by float32 rounding
X = (X - X.mean(dim=0)) / X.std(dim=0)
extra = [0, 2, 8, 32, 128, 512]
accs = []
print("noise dimensions   test accuracy (k = 15)")
for d in extra:
    features = torch.cat([X, torch.randn(400, d, generator=gen).double()], dim=1)
    X_train, _, X_test, y_train, _, y_test = (
        t.to(device) for t in train_val_test_split(features, y, proportions=(0.5, 0.25, 0.25), seed=0)
    )
    knn = KNeighborsClassifier(n_neighbors=15).fit(X_train, y_train)
    accs.append((knn.predict(X_test) == y_test).double().mean().item())
    print(f"{d:16d}   {accs[-1]:.3f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
left.plot(dims, ratios, "o-")
left.set(xscale="log", ylim=(0, 1), xlabel="dimension n", ylabel="nearest / farthest distance",
         title="Everything is about equally far")
right.plot([max(d, 0.5) for d in extra], accs, "s-", color="C1")
right.axhline(0.5, color="0.5", ls="--", lw=1)
right.set(xscale="log", ylim=(0.4, 1), xlabel="added noise dimensions (0 drawn at 0.5)", ylabel="test accuracy",
          title="15-NN on two moons plus noise")
savefig(fig, "curse")
publish(ratio_dim1=exact[1], ratio_dim10=exact[10], ratio_dim100=exact[100], ratio_dim1000=exact[1000],
        accuracy_noise0=accs[0], accuracy_noise32=accs[extra.index(32)], accuracy_noise512=accs[extra.index(512)])
