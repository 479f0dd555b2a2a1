"""The digits split into training, validation and test sets, and batched by seeded DataLoaders."""

import matplotlib.pyplot as plt
import torch
from torch.utils.data import DataLoader, TensorDataset

from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import digits, train_val_test_split

X, y = digits()
print(f"X {tuple(X.shape)} {X.dtype}, pixels in [{X.min().item():g}, {X.max().item():g}]; y {tuple(y.shape)} {y.dtype}")

X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X, y, proportions=(0.6, 0.2, 0.2), seed=0)
for name, labels in [("train", y_train), ("validation", y_val), ("test", y_test)]:
    print(f"{name:>10}: {len(labels):4d} images, per digit {labels.bincount(minlength=10).tolist()}")

# A Dataset pairs each input with its label; a DataLoader cuts it into shuffled mini-batches.
train_set = TensorDataset(X_train, y_train)
loader = DataLoader(train_set, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0))
sizes = [len(yb) for _, yb in loader]
xb, yb = next(iter(loader))
print(f"{len(loader)} batches per epoch: {sizes.count(64)} of 64 and a last one of {sizes[-1]}")
print(f"one batch: inputs {tuple(xb.shape)} {xb.dtype}, labels {tuple(yb.shape)} {yb.dtype}")

# The shuffle is drawn from the loader's own generator: a new order every epoch,
# and the same sequence of orders for every loader seeded alike.
def first_labels(loader):
    """The first ten labels of a fresh pass (an epoch) over the loader."""
    return next(iter(loader))[1][:10].tolist()


for name in ("A", "B"):
    seeded = DataLoader(train_set, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0))
    print(f"loader {name}: epoch 1 starts {first_labels(seeded)}, epoch 2 starts {first_labels(seeded)}")

use_book_style()
fig, axes = plt.subplots(2, 10, figsize=(8, 2.1))
for ax, image, label in zip(axes.flat, X_train[:20], y_train[:20]):
    ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(str(label.item()), fontsize=10)
    ax.set_axis_off()
savefig(fig, "digits")

val_counts = y_val.bincount(minlength=10)
publish(val_sevens=val_counts[7], val_sixes=val_counts[6],
        figure_row_1_starts=", ".join(str(v) for v in y_train[:5].tolist()),
        figure_row_2_starts=", ".join(str(v) for v in y_train[10:15].tolist()))
