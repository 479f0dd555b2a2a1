"""Feature scaling matters to k-nearest neighbours: the same data in other units, and one loud irrelevant feature."""

import torch

from lessonlib.book.device import get_device
from lessonlib.book.publish import publish
from lessonlib.data import train_val_test_split, two_moons
from lessonlib.neighbors import KNeighborsClassifier

device = get_device()
torch.set_num_threads(1)  # tensors this small run faster on one thread than on two

X, y = two_moons(400, noise=0.3, seed=0)
X = X.double()  # float64 distances: no near-tie between neighbours is decided by float32 rounding
gen = torch.Generator().manual_seed(1)
noise_feature = 100 * torch.randn(400, 1, generator=gen).double()  # irrelevant to the label, a hundred times larger
variants = {
    "two moons as they are": X,
    "x1 in other units (x1000)": X * torch.tensor([1000.0, 1.0], dtype=torch.float64),
    "plus an irrelevant feature": torch.cat([X, noise_feature], dim=1),
}


def standardise(X_train, X_test):
    """Subtract the training mean and divide by the training standard deviation, feature by feature."""
    mean, std = X_train.mean(dim=0), X_train.std(dim=0)
    return (X_train - mean) / std, (X_test - mean) / std


accuracy = {}
print(f"{'data':<28}{'raw':>8}{'standardised':>14}   (test accuracy, k = 15)")
for name, features in variants.items():
    X_train, _, X_test, y_train, _, y_test = (
        t.to(device) for t in train_val_test_split(features, y, proportions=(0.5, 0.25, 0.25), seed=0)
    )
    accs = []
    for A_train, A_test in [(X_train, X_test), standardise(X_train, X_test)]:
        knn = KNeighborsClassifier(n_neighbors=15).fit(A_train, y_train)
        accs.append((knn.predict(A_test) == y_test).double().mean().item())
    print(f"{name:<28}{accs[0]:8.3f}{accs[1]:14.3f}")
    accuracy[name] = accs
(as_is_raw, as_is_std), (units_raw, units_std), (noise_raw, noise_std) = accuracy.values()
publish(as_is_raw=as_is_raw, as_is_standardised=as_is_std, units_raw=units_raw, units_standardised=units_std,
        noise_raw=noise_raw, noise_standardised=noise_std)
