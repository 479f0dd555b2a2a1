"""The network of the early-stopping example with dropout: the train-validation gap closes."""

import matplotlib.pyplot as plt
import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import train_val_test_split, two_moons
from lessonlib.losses import cross_entropy
from lessonlib.nn import Dropout
from lessonlib.optim import Adam

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tiny tensors: one thread is fastest

f64 = torch.float64  # as in the early-stopping example: the same numbers on every CPU

X, y = two_moons(300, noise=0.3, dtype=f64, seed=1)  # the data of the early-stopping example
X_train, X_val, _, y_train, y_val, _ = (
    t.to(device) for t in train_val_test_split(X, y, proportions=(1 / 3, 1 / 3, 1 / 3), seed=0)
)
X_both = torch.cat([X_train, X_val])  # to evaluate both sets in one pass


def train(p, epochs=300):
    """Train the 2-64-64-2 MLP with dropout p after each hidden layer; return the curves."""
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(2, 64, dtype=f64), nn.ReLU(), Dropout(p),
        nn.Linear(64, 64, dtype=f64), nn.ReLU(), Dropout(p),
        nn.Linear(64, 2, dtype=f64),
    ).to(device)
    optimizer = Adam(model.parameters(), lr=0.01)
    curves = {"train": [], "val": [], "val accuracy": []}
    for _ in range(epochs + 1):
        model.eval()  # measure without dropout: the network as it will be used
        with torch.no_grad():
            logits = model(X_both)  # both sets in one pass
            curves["train"].append(cross_entropy(logits[:100], y_train).item())
            curves["val"].append(cross_entropy(logits[100:], y_val).item())
            accuracy = (logits[100:].argmax(dim=1) == y_val).float().mean()
            curves["val accuracy"].append(accuracy.item())
        model.train()  # dropout on
        loss = cross_entropy(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return curves


runs = {p: train(p) for p in (0.0, 0.5)}
print("after 300 epochs   train loss   val loss   gap     best val loss   val accuracy")
for p, c in runs.items():
    gap = c["val"][-1] - c["train"][-1]
    print(f"dropout p = {p:.1f}   {c['train'][-1]:10.3f}   {c['val'][-1]:8.3f}   {gap:5.3f}   "
          f"{min(c['val']):13.3f}   {c['val accuracy'][-1]:12.2f}")
plain, dropped = runs[0.0], runs[0.5]
publish(train_loss_plain=plain["train"][-1], val_loss_plain=plain["val"][-1],
        gap_plain=plain["val"][-1] - plain["train"][-1], best_val_loss_plain=min(plain["val"]),
        val_accuracy_plain=plain["val accuracy"][-1],
        train_loss_dropout=dropped["train"][-1], val_loss_dropout=dropped["val"][-1],
        gap_dropout=dropped["val"][-1] - dropped["train"][-1], best_val_loss_dropout=min(dropped["val"]),
        val_accuracy_dropout=dropped["val accuracy"][-1])

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
for ax, p in zip(axes, (0.0, 0.5)):
    train_curve = [round(v, 4) for v in runs[p]["train"]]
    val_curve = [round(v, 4) for v in runs[p]["val"]]
    ax.plot(train_curve, label="training loss")
    ax.plot(val_curve, label="validation loss")
    ax.fill_between(range(301), train_curve, val_curve, color="0.85", lw=0, label="the gap")
    ax.set(yscale="log", xlabel="epoch", title=f"dropout p = {p:g}")
axes[0].set_ylabel("cross-entropy (dropout off)")
axes[0].legend(loc="lower left")
savefig(fig, "dropout_gap")
