"""Training and validation loss of an over-large network on 100 points, and where early stopping ends it."""

import matplotlib.pyplot as plt
import torch
from torch import nn

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import train_val_test_split, two_moons
from lessonlib.losses import cross_entropy
from lessonlib.optim import Adam
from lessonlib.regularization import EarlyStopping

use_book_style()
device = get_device()
torch.set_num_threads(1)  # tiny tensors: one thread is fastest

# Everything in float64, data and weights included: 300 epochs of overfitting amplify a float32
# rounding difference (another CPU's sin, matmul or sum) into a different final loss.
f64 = torch.float64

# Two noisy moons: 100 points to train on, 100 to validate on, 100 kept for the final test.
# (seed=1: a draw on which the effects of overfitting show clearly; other draws vary in degree.)
X, y = two_moons(300, noise=0.3, dtype=f64, seed=1)
X_train, X_val, X_test, y_train, y_val, y_test = (
    t.to(device) for t in train_val_test_split(X, y, proportions=(1 / 3, 1 / 3, 1 / 3), seed=0)
)

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(2, 64, dtype=f64), nn.ReLU(),
    nn.Linear(64, 64, dtype=f64), nn.ReLU(),
    nn.Linear(64, 2, dtype=f64),
).to(device)
optimizer = Adam(model.parameters(), lr=0.01)
stopper = EarlyStopping(patience=20)


@torch.no_grad()
def evaluate(X, y):
    logits = model(X)
    return cross_entropy(logits, y).item(), (logits.argmax(dim=1) == y).float().mean().item()


epochs, stopped_at = 300, None
train_curve, val_curve = [], []
for epoch in range(epochs + 1):  # epoch t: the model after t full-batch updates
    train_curve.append(evaluate(X_train, y_train)[0])
    val_curve.append(evaluate(X_val, y_val)[0])
    if stopper.step(val_curve[-1], model) and stopped_at is None:
        stopped_at = epoch  # a real run would `break` here; we go on to draw the rest of the curve
    if epoch == epochs:
        break  # the model after 300 updates: no 301st
    loss = cross_entropy(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

last_test = evaluate(X_test, y_test)
stopper.restore(model)  # back to the weights of the best validation epoch
best_test = evaluate(X_test, y_test)
best = stopper.best_epoch
print(f"best validation loss {stopper.best_score:.3f} at epoch {best}; "
      f"patience 20 stops the run at epoch {stopped_at}")
print(f"epoch {best:3d}: train loss {train_curve[best]:.3f}   val loss {val_curve[best]:.3f}")
print(f"epoch {epochs}: train loss {train_curve[-1]:.3f}   val loss {val_curve[-1]:.3f}")
print(f"test loss / accuracy, restored best weights: {best_test[0]:.3f} / {best_test[1]:.2f}")
print(f"test loss / accuracy, after all {epochs} epochs: {last_test[0]:.3f} / {last_test[1]:.2f}")
publish(best_epoch=best, val_loss_best=stopper.best_score, stop_epoch=stopped_at,
        train_loss_final=train_curve[-1], val_loss_final=val_curve[-1],
        test_loss_best=best_test[0], test_accuracy_best=best_test[1],
        test_loss_final=last_test[0], test_accuracy_final=last_test[1])

fig, ax = plt.subplots(figsize=(6.4, 4))
ax.plot([round(v, 4) for v in train_curve], label="training loss")
ax.plot([round(v, 4) for v in val_curve], label="validation loss")
ax.axvspan(stopped_at, epochs, color="0.9", lw=0, label="never run with early stopping")
ax.axvline(best, color="0.3", ls="--", lw=1)
ax.annotate(f"best epoch, {best}", (best, val_curve[best]), textcoords="offset points",
            xytext=(8, 40), arrowprops={"arrowstyle": "->", "color": "0.3"})
ax.set(yscale="log", xlabel="epoch (full-batch updates)", ylabel="cross-entropy",
       title="Training loss keeps falling; validation loss turns")
ax.legend(loc="lower left")
savefig(fig, "early_stopping")
