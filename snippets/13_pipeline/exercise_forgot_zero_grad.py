"""Exercise: the pipeline with optimizer.zero_grad() left out, next to the correct loop."""

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib.book.publish import publish
from lessonlib.data import digits, train_val_test_split
from lessonlib.pipeline import train_digits

torch.set_num_threads(1)

# The correct loop: lessonlib's run of the chapter's data, model and loop (AdamW, 5 epochs).
run = train_digits(3e-3, weight_decay=1e-2, epochs=5)
correct = list(zip(run.val_loss, run.val_accuracy, strict=True))

# The same run, written out, with optimizer.zero_grad() left out: each step adds its gradient to all the earlier ones.
X, y = digits()
X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X.double(), y, seed=0)  # float64, as the pipeline
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10)).double()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0))
forgotten = []
for _ in range(5):
    model.train()
    for xb, yb in loader:
        F.cross_entropy(model(xb), yb).backward()  # no optimizer.zero_grad() before it
        optimizer.step()
    model.eval()
    with torch.no_grad():
        logits = model(X_val)
    forgotten.append((F.cross_entropy(logits, y_val).item(), (logits.argmax(dim=1) == y_val).float().mean().item()))

print("        validation loss (accuracy)")
print("epoch   with zero_grad    without")
for epoch, ((loss, acc), (bad_loss, bad_acc)) in enumerate(zip(correct, forgotten), start=1):
    print(f"{epoch:5d}   {loss:.3f} ({acc:.3f})    {bad_loss:.3f} ({bad_acc:.3f})")

lower = [bad[0] < good[0] for good, bad in zip(correct, forgotten)]
epochs_lower = lower.index(False) if False in lower else len(lower)
publish(epochs_lower_without=epochs_lower,
        loss_margin_last_lower=correct[epochs_lower - 1][0] - forgotten[epochs_lower - 1][0],
        val_loss_last=correct[-1][0], val_loss_last_without=forgotten[-1][0],
        val_acc_last=correct[-1][1], val_acc_last_without=forgotten[-1][1],
        val_loss_before_last_without=forgotten[-2][0])
