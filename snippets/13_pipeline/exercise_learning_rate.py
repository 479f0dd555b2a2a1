"""Exercise: the pipeline's learning rate swept across and beyond the typical range."""

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib.data import digits, train_val_test_split
from lessonlib.publish import publish

torch.set_num_threads(1)
X, y = digits()
X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X.double(), y, seed=0)  # float64, as the pipeline


def validation_after(lr, epochs=5):
    """Train the chapter's model with AdamW at this learning rate; return the validation loss and accuracy."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10)).double()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-2)
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    model.train()
    for _ in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        logits = model(X_val)
    return F.cross_entropy(logits, y_val).item(), (logits.argmax(dim=1) == y_val).float().mean().item()


print("learning rate   val loss   val accuracy   (AdamW, 5 epochs)")
results = {}
for lr in [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]:
    results[lr] = validation_after(lr)
    print(f"{lr:13g}   {results[lr][0]:8.3f}   {results[lr][1]:12.3f}")

best = min(results, key=lambda lr: results[lr][0])
publish(best_lr=best, val_loss_lr_1e5=results[1e-5][0], val_loss_lr_1e4=results[1e-4][0],
        val_loss_lr_1e3=results[1e-3][0], val_loss_lr_1e2=results[1e-2][0], val_loss_lr_1e1=results[1e-1][0])
