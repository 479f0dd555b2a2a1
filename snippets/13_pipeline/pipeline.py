"""The whole training pipeline on the 8x8 digits: split, loaders, model, loop, scheduler, best checkpoint, test."""

import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

from lessonlib.book.device import get_device
from lessonlib.book.plotting import savefig, use_book_style
from lessonlib.book.publish import publish
from lessonlib.data import digits, train_val_test_split

# --8<-- [start:determinism]
# Reproducible on every device: exact float32 matrix products (no TF32 on GPUs),
# only deterministic kernels (cuBLAS needs this workspace setting for that),
# and one CPU thread (tensors this small train faster on one, and sums keep one order).
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
torch.set_float32_matmul_precision("highest")
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
device = get_device()
# float64: cheap for a model this small, and rounding then stays far below the printed digits (MPS has no float64).
dtype = torch.float32 if device.type == "mps" else torch.float64
# --8<-- [end:determinism]

# 1. Data: split once, with a seed; the test set is not touched until the very end.
X, y = digits()
X = X.to(dtype)
X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X, y, proportions=(0.6, 0.2, 0.2), seed=0)
loader_generator = torch.Generator().manual_seed(0)  # the shuffle order, drawn on the CPU
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True, generator=loader_generator)
val_loader = DataLoader(TensorDataset(X_val, y_val), batch_size=256)
test_loader = DataLoader(TensorDataset(X_test, y_test), batch_size=256)
print(f"train {len(y_train)}, validation {len(y_val)}, test {len(y_test)}; {len(train_loader)} batches per epoch")

# --8<-- [start:model]
# 2. Model: built and initialised on the CPU (same weights everywhere), then moved and converted.
torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(64, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(),
    nn.Linear(128, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(),
    nn.Linear(128, 10),
).to(device, dtype)
epochs = 20
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
print(f"on {device.type}: AdamW, lr {optimizer.defaults['lr']:g}, weight decay {optimizer.defaults['weight_decay']:g}, "
      f"batch size {train_loader.batch_size}, {epochs} epochs, cosine schedule; 2 hidden layers of 128")
# --8<-- [end:model]


# --8<-- [start:evaluate]
@torch.no_grad()  # no graph: evaluation needs no gradients
def evaluate(model, loader):
    """Mean cross-entropy and accuracy of the model on a loader, in evaluation mode."""
    model.eval()
    total_loss, correct = 0.0, 0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        logits = model(xb)
        total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(dim=1) == yb).sum().item()
    return total_loss / len(loader.dataset), correct / len(loader.dataset)
# --8<-- [end:evaluate]


# --8<-- [start:loop]
# 3. The loop: train an epoch, validate, step the scheduler, keep the best checkpoint.
history = {"train_loss": [], "val_loss": [], "val_acc": [], "lr": []}
best_val_loss, best_epoch = float("inf"), 0
with tempfile.TemporaryDirectory() as tmp:
    best_path = Path(tmp) / "best.pt"
    bar = tqdm(total=epochs * len(train_loader), unit="batch", disable=None)  # shown only in a terminal
    for epoch in range(1, epochs + 1):
        model.train()
        running_loss = 0.0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()  # clear the gradients of the previous step
            loss = F.cross_entropy(model(xb), yb)  # forward
            loss.backward()  # backward: fills p.grad for every parameter
            optimizer.step()  # update the parameters
            running_loss += loss.item() * len(yb)
            bar.update()
            bar.set_postfix(epoch=epoch, loss=f"{loss.item():.3f}")
        lr = scheduler.get_last_lr()[0]  # the rate this epoch used
        scheduler.step()  # once per epoch, after the optimizer's steps
        train_loss = running_loss / len(train_loader.dataset)
        val_loss, val_acc = evaluate(model, val_loader)
        for key, value in zip(history, (train_loss, val_loss, val_acc, lr)):
            history[key].append(value)
        saved = val_loss < best_val_loss
        if saved:
            best_val_loss, best_epoch = val_loss, epoch
            torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                        "scheduler": scheduler.state_dict(), "val_loss": val_loss}, best_path)
        tqdm.write(f"epoch {epoch:2d}  lr {lr:.5f}  train loss {train_loss:.4f}  "
                   f"val loss {val_loss:.4f}  val acc {val_acc:.4f}" + ("  saved" if saved else ""))
    bar.close()
    # --8<-- [end:loop]

    # --8<-- [start:test]
    # 4. Test: reload the best checkpoint, evaluate once on data the run never saw.
    checkpoint = torch.load(best_path, map_location=device, weights_only=True)
    model.load_state_dict(checkpoint["model"])
test_loss, test_acc = evaluate(model, test_loader)
print(f"best epoch {checkpoint['epoch']}: val loss {checkpoint['val_loss']:.4f}")
n_correct = round(test_acc * len(y_test))
print(f"test loss {test_loss:.4f}, test accuracy {test_acc:.4f} ({n_correct}/{len(y_test)})")
# --8<-- [end:test]

use_book_style()
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.6))
steps = range(1, epochs + 1)
ax_loss.plot(steps, [round(v, 4) for v in history["train_loss"]], label="training (mean over the epoch)")
ax_loss.plot(steps, [round(v, 4) for v in history["val_loss"]], label="validation (end of the epoch)")
ax_loss.set(yscale="log", xlabel="epoch", ylabel="cross-entropy loss", title="Loss")
ax_acc.plot(steps, [round(v, 4) for v in history["val_acc"]], color="C1", label="validation")
for ax in (ax_loss, ax_acc):
    ax.axvline(best_epoch, color="0.5", ls="--", lw=1, label=f"best checkpoint (epoch {best_epoch})")
    ax.legend(loc="best", fontsize=9)
ax_acc.set(xlabel="epoch", ylabel="accuracy", title="Validation accuracy")
savefig(fig, "training_curves")

best_acc = max(history["val_acc"])
publish(
    best_epoch=best_epoch, best_val_loss=best_val_loss, test_loss=test_loss, test_accuracy=test_acc,
    test_correct=n_correct, best_val_acc=best_acc,
    best_val_acc_epochs=" and ".join(str(e) for e, a in enumerate(history["val_acc"], 1) if a == best_acc),
    train_loss_first=history["train_loss"][0], train_loss_last=history["train_loss"][-1],
    val_loss_first=history["val_loss"][0], val_loss_last=history["val_loss"][-1],
    val_loss_max_after_best=max(history["val_loss"][best_epoch:], default=best_val_loss),
    val_acc_first=history["val_acc"][0],
    lr_last=history["lr"][-1],
)
